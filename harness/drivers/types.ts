// How the conformance runner reaches a proxy under test: a URL, plus a way to stop it and to
// read the product's own log when a case fails (the log tail becomes the error reason).

export interface ProductInfo {
  name: string;
  version?: string;
  variant?: string;
}

export interface ProxyCredentials {
  user: string;
  password: string;
}

export interface ProxyUnderTest {
  /** `http://127.0.0.1:PORT` — never carries credentials. */
  url: string;
  product?: ProductInfo;
  credentials?: ProxyCredentials;
  /** Stops the product and removes its temporary directory; idempotent. */
  stop(): Promise<void>;
  /** The last lines of the product's own log(s), for error reasons. */
  logs(): string;
}

export interface ProductVariant {
  name: string;
  description: string;
}

export interface StartOptions {
  variant?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 or absent → a free port is picked. */
  port?: number;
  proxyAuth?: ProxyCredentials;
  /**
   * Origins (`http://127.0.0.1:5985`) the proxy will be asked to reach, for products whose
   * per-target settings must be declared up front (apache2 `pooled` defines one reusable worker
   * per origin; its generic forward worker never reuses backend connections). Others ignore it.
   */
  targets?: string[];
}

export interface ProductDriver {
  name: string;
  variants: ProductVariant[];
  installed(): Promise<boolean>;
  version(): Promise<string | undefined>;
  start(opts: StartOptions): Promise<ProxyUnderTest>;
}
