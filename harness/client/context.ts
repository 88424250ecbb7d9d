// What every part of one client shares: the network, the resolved route, bounds, and the
// record of exchanges.

import type { Network } from '../net/types.ts';
import type { ProxyAuthClient } from './proxy-auth.ts';
import type { ProxyRoute } from './proxy-resolution.ts';
import type { ClientExchange } from './types.ts';

export interface ClientContext {
  readonly net: Network;
  readonly actor: string;
  /** The WinRM endpoint, e.g. http://127.0.0.1:5985/wsman. */
  readonly endpoint: URL;
  readonly route: ProxyRoute;
  /** Bound on one request/response exchange (and on connect and TLS), ms. */
  readonly timeoutMs: number;
  readonly pinFingerprint256?: string;
  readonly exchanges: ClientExchange[];
  /** Proxy authentication learnt from the first 407, applied afterwards (client↔proxy hop only). */
  readonly proxyAuth: ProxyAuthClient;
  /** Next `X-Wpc-Request` value: `<actor>/<n>`. */
  nextTag(): string;
}

export function isHttps(ctx: ClientContext): boolean {
  return ctx.endpoint.protocol === 'https:';
}

/** Through a proxy with plain HTTP: absolute-form targets and Proxy-Authorization on every request. */
export function httpViaProxy(ctx: ClientContext): boolean {
  return ctx.route.kind === 'proxy' && !isHttps(ctx);
}

/** `host:port` of the endpoint, port always written (the Host header and CONNECT target). */
export function authority(ctx: ClientContext): string {
  const u = ctx.endpoint;
  const port = u.port !== '' ? u.port : u.protocol === 'https:' ? '443' : '80';
  return `${u.hostname}:${port}`;
}

export function endpointPort(ctx: ClientContext): number {
  return Number(authority(ctx).slice(authority(ctx).lastIndexOf(':') + 1));
}
