import { randomBytes } from 'node:crypto';
import { stablePort } from './free-port.ts';
import { isPortOpen } from './port-probe.ts';
import type { ProductVariant, ProxyCredentials, StartOptions } from './types.ts';

export interface ResolvedStart {
  variant: string;
  host: string;
  port: number;
}

/** Validates the variant name and picks a free port when none was asked for. */
export async function resolveStart(
  product: string,
  variants: ProductVariant[],
  opts: StartOptions,
  defaultVariant = 'default',
): Promise<ResolvedStart> {
  const variant = opts.variant ?? defaultVariant;
  if (!variants.some((v) => v.name === variant)) {
    throw new Error(`${product}: unknown variant '${variant}' (known: ${variants.map((v) => v.name).join(', ')})`);
  }
  const host = opts.host ?? '127.0.0.1';
  // Products are only ever exposed on loopback (IPv4 literal: the configs assume one).
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) {
    throw new Error(`${product}: host '${host}' is not an IPv4 loopback address (127.0.0.0/8)`);
  }
  // Outside the ephemeral range: a port from listen on 0 could be taken by another process's
  // listen on 0 before the product binds it, and that listener would pass for the product.
  const port = opts.port && opts.port > 0 ? opts.port : await stablePort(host);
  // Someone else answering on the port would pass for the product having started.
  if (opts.port && (await isPortOpen(host, port, 500))) {
    throw new Error(`${product}: ${host}:${port} is already in use`);
  }
  return { variant, host, port };
}

/** Credentials for an auth variant: the caller's, or fresh random ones. */
export function authCredentials(opts: StartOptions): ProxyCredentials {
  return opts.proxyAuth ?? { user: 'wpc', password: randomBytes(12).toString('base64url') };
}

/** Products whose variant has no proxy authentication reject proxyAuth rather than ignore it. */
export function rejectProxyAuth(product: string, variant: string, opts: StartOptions): void {
  if (opts.proxyAuth) {
    throw new Error(`${product}: variant '${variant}' has no proxy authentication; proxyAuth is not supported`);
  }
}
