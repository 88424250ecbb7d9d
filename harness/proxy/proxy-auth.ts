// The reference proxy's own authentication (RFC 9110 §11.7): which schemes it offers, the Basic
// check (RFC 7617), and the 407 it answers with. It concerns the client↔proxy hop only: the
// proxy consumes Proxy-Authorization (stripped as hop-by-hop) and never forwards it.

import { timingSafeEqual } from 'node:crypto';
import type { HttpResponse } from '../wire/types.ts';
import { response } from '../wire/index.ts';

/** Schemes the reference proxy can require. */
export type ProxyAuthScheme = 'basic' | 'digest' | 'negotiate' | 'ntlm';
export const PROXY_AUTH_SCHEMES: readonly ProxyAuthScheme[] = ['negotiate', 'ntlm', 'digest', 'basic'];

export interface ProxyCredentials {
  user: string;
  password: string;
  realm?: string;
  /** Schemes offered in 407s; default ['basic'] (the proxy's behaviour before Digest/NTLM existed). */
  schemes?: ProxyAuthScheme[];
}

/** `basic,digest,…` → schemes in the order the proxy offers them (strongest first). */
export function parseProxyAuthSchemes(list: string): ProxyAuthScheme[] {
  const names = list.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const bad = names.filter((n) => !(PROXY_AUTH_SCHEMES as readonly string[]).includes(n));
  if (bad.length) throw new Error(`unknown proxy authentication scheme(s): ${bad.join(', ')} (known: ${PROXY_AUTH_SCHEMES.join(', ')})`);
  if (!names.length) throw new Error('no proxy authentication scheme named');
  return PROXY_AUTH_SCHEMES.filter((s) => names.includes(s));
}

/** RFC 7617 §2: true when `token` (the base64 after "Basic ") is exactly user:password. */
export function basicMatches(token: Uint8Array, creds: ProxyCredentials): boolean {
  const got = Buffer.from(token);
  const want = Buffer.from(`${creds.user}:${creds.password}`, 'utf8');
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * 407 with every challenge (RFC 9110 §15.5.8, §11.7.1). The connection stays open for the retry;
 * with a connection-bound scheme offered, `Proxy-Support: Session-Based-Authentication` tells the
 * client the handshake is tied to this connection (RFC 4559 §6, as Squid sends it).
 */
export function proxyAuthRequired(challenges: readonly string[], connectionBound: boolean): HttpResponse {
  return response({
    status: 407,
    reason: 'Proxy Authentication Required',
    headers: [
      ...challenges.map((value) => ({ name: 'Proxy-Authenticate', value })),
      ...(connectionBound ? [{ name: 'Proxy-Support', value: 'Session-Based-Authentication' }] : []),
      { name: 'Content-Type', value: 'text/plain' },
    ],
    body: new TextEncoder().encode('Proxy Authentication Required\n'),
  });
}
