// The simulated WinRM client's public shape (issue 3; REQUIREMENTS.md §4). Written once
// against `Network`; runs on `sim` and on `tcp`.

import type { Network } from '../net/types.ts';
import type { KerberosClientSettings } from './kerberos.ts';

/** WinRM 2.0 session option ProxyAccessType (WSMan.CreateSession / -ProxyAccessType). */
export type ProxyAccessType = 'ProxyIEConfig' | 'ProxyWinHttpConfig' | 'ProxyAutoDetect' | 'ProxyNoProxyServer';

export interface ProxySettings {
  accessType: ProxyAccessType;
  /** For ProxyIEConfig / ProxyAutoDetect: the proxy URL those sources would yield. */
  url?: string;
  /**
   * Proxy authentication with its own credential, independent of the destination's (seed: Note).
   * `scheme` pins one; absent or 'auto': Negotiate when the proxy offers it, then NTLM, Digest, Basic.
   */
  auth?: { scheme?: 'auto' | 'negotiate' | 'ntlm' | 'digest' | 'basic'; user: string; password: string };
}

/** WinHTTP proxy settings as `netsh winhttp set proxy proxy-server="…" bypass-list="…"` writes them. */
export interface WinHttpSettings {
  /** e.g. "127.0.0.1:8080" or "http=127.0.0.1:8080;https=127.0.0.1:8443"; undefined = direct. */
  proxyServer?: string;
  /** e.g. "<local>;*.corp.example" */
  bypassList?: string;
}

export interface WinrmClientOptions {
  /** Destination, e.g. "http://127.0.0.1:5985/wsman" or "https://127.0.0.1:5986/wsman". */
  endpoint: string;
  user: string;
  password: string;
  domain?: string;
  /** Destination authentication. Default 'negotiate'. */
  auth?: 'negotiate' | 'basic' | 'kerberos' | 'credssp';
  /**
   * KDC and service for `auth: 'kerberos'`, and for `auth: 'credssp'` with
   * `credsspMechanism: 'kerberos'` (the principal is `user@realm`).
   */
  kerberos?: KerberosClientSettings;
  /**
   * What CredSSP carries inside its SPNEGO negoTokens (MS-CSSP §3.1.5): 'ntlm' (default, as
   * requests-credssp with a local account) or 'kerberos' (the AP-REQ for HTTP/<host>; needs `kerberos`).
   */
  credsspMechanism?: 'ntlm' | 'kerberos';
  /** Message encryption over HTTP; default 'always' for Negotiate (WinRM 2.0 default). */
  encryption?: 'always' | 'never';
  /** 'winrm2' (default) or 'winrm1.1' (proxy only from WinHTTP settings; IE settings ignored). */
  profile?: 'winrm2' | 'winrm1.1';
  proxy?: ProxySettings;
  /** Machine-wide WinHTTP proxy settings (the default source for WinRM 2.0 and the only one for 1.1). */
  winhttp?: WinHttpSettings;
  /** IE settings, which a WinRM 1.1 client must ignore. */
  ieProxy?: string;
  /** Pin the HTTPS server certificate (sha-256 hex). */
  pinFingerprint256?: string;
  /** Trace actor name, e.g. 'client#1'. */
  actor?: string;
  /** Bound on any single request/response exchange, ms. Default 30000 (plus OperationTimeout for Receive). */
  timeoutMs?: number;
  /** OperationTimeout sent in WS-Man headers, seconds. Default 20 (as pywinrm). */
  operationTimeoutS?: number;
  random: { bytes(n: number): Uint8Array };
  /** Wrap the NTLM tokens in SPNEGO (RFC 4178) instead of sending raw NTLMSSP as pywinrm does. */
  spnego?: boolean;
  /**
   * Negative controls only: send unencrypted WS-Man bodies (Basic, or `encryption: 'never'`) over
   * HTTP through a proxy, which a WinRM 2.0 client refuses (seed: "Under no circumstances …").
   */
  unsafeAllowUnencryptedThroughProxy?: boolean;
  /** Most Receive rounds `runCommand` makes before giving up with 'timeout'. Default 1000. */
  maxReceiveRounds?: number;
}

export interface CommandResult {
  stdout: Uint8Array;
  stderr: Uint8Array;
  exitCode: number;
}

/** Raised for every failure a caller can act on; `code` is stable. */
export class WinrmClientError extends Error {
  constructor(
    readonly code:
      | 'access-denied' // 401 after a completed handshake, or credentials rejected
      | 'proxy-auth' // 407 the client could not satisfy
      | 'refused-unencrypted-proxy' // seed: "Under no circumstances should unencrypted HTTP requests be sent through proxy servers"
      | 'wsman-fault'
      | 'protocol' // malformed or undecryptable response
      | 'network' // refused, reset, closed mid-exchange
      | 'timeout'
      | 'tls', // certificate pin mismatch or handshake failure
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'WinrmClientError';
  }
}

/** What a client did on the wire, for invariants and cases. */
export interface ClientExchange {
  /** Client-side connection id each request left on (the Trace's). */
  conn: string;
  /** Value of the `X-Wpc-Request` header the client put on the request (correlates both hops). */
  tag: string;
  requestLine: string;
  status: number;
  /** Which step: a handshake leg or a WS-Man operation. */
  step: string;
}

export interface WinrmClient {
  readonly exchanges: readonly ClientExchange[];
  /** Number of destination handshakes started. */
  readonly handshakes: number;
  identify(opts?: { unauthenticated?: boolean }): Promise<{ productVendor: string; productVersion: string; protocolVersion: string }>;
  createShell(): Promise<string>;
  command(shellId: string, command: string, args?: string[]): Promise<string>;
  /** One Receive round; `done` when the command finished and all output was delivered. */
  receive(shellId: string, commandId: string): Promise<CommandResult & { done: boolean }>;
  signal(shellId: string, commandId: string, code?: 'terminate' | 'ctrl_c'): Promise<void>;
  deleteShell(shellId: string): Promise<void>;
  /** Create → Command → Receive until done → Signal → Delete, like pywinrm's run_cmd. */
  runCommand(command: string, args?: string[]): Promise<CommandResult>;
  close(): void;
}

export type CreateWinrmClient = (net: Network, opts: WinrmClientOptions) => WinrmClient;
