// Basic proxy authentication (RFC 9110 §11.7, RFC 7617): 407 + Proxy-Authenticate, answered
// with Proxy-Authorization. It concerns the client↔proxy hop only; the proxy consumes it.

import { timingSafeEqual } from 'node:crypto';
import type { HttpRequest, HttpResponse } from '../wire/types.ts';
import { getHeader, response } from '../wire/index.ts';

export interface ProxyCredentials {
  user: string;
  password: string;
  realm?: string;
}

/** True when the request carries the right Basic credentials. */
export function proxyAuthorized(req: HttpRequest, creds: ProxyCredentials): boolean {
  const value = getHeader(req.headers, 'proxy-authorization');
  if (!value) return false;
  const m = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
  if (!m) return false;
  const got = Buffer.from(m[1], 'base64');
  const want = Buffer.from(`${creds.user}:${creds.password}`, 'utf8');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** 407 with the Basic challenge (RFC 9110 §15.5.8). The connection stays open for the retry. */
export function proxyAuthRequired(creds: ProxyCredentials): HttpResponse {
  return response({
    status: 407,
    reason: 'Proxy Authentication Required',
    headers: [
      { name: 'Proxy-Authenticate', value: `Basic realm="${creds.realm ?? 'wpc'}"` },
      { name: 'Content-Type', value: 'text/plain' },
    ],
    body: new TextEncoder().encode('Proxy Authentication Required\n'),
  });
}
