// Answering a proxy's 407 (RFC 9110 §11.7, §15.5.8): Proxy-Authenticate → Proxy-Authorization.
// Proxy authentication is independent of the destination's (seed: Note) and concerns the
// client↔proxy hop only: this header is never put on a request that goes to the server directly.

import { parseChallenges } from '../auth/challenge.ts';
import { proxyAuthorizationFor } from '../auth/proxy-auth.ts';
import { getHeaders } from '../wire/index.ts';
import type { HttpResponse } from '../wire/types.ts';
import type { ProxyCredentials } from './proxy-resolution.ts';
import { WinrmClientError } from './types.ts';

/**
 * The Proxy-Authorization value answering this 407, or WinrmClientError('proxy-auth') when the
 * client has no proxy credential or cannot use a scheme the proxy offers.
 */
export function answerProxyChallenge(res: HttpResponse, creds: ProxyCredentials | undefined): string {
  const values = getHeaders(res.headers, 'proxy-authenticate');
  const offered = parseChallenges(values).map((c) => c.scheme);
  const detail = { status: res.status, offered };
  if (!creds) {
    throw new WinrmClientError('proxy-auth', `the proxy requires authentication (${offered.join(', ') || 'no scheme named'}) and no proxy credential is configured`, detail);
  }
  if (creds.scheme !== 'basic') {
    throw new WinrmClientError('proxy-auth', `proxy authentication scheme '${creds.scheme}' is not supported yet (Basic is)`, detail);
  }
  const value = proxyAuthorizationFor(values, creds);
  if (!value) throw new WinrmClientError('proxy-auth', `the proxy does not offer Basic (offers: ${offered.join(', ') || 'nothing'})`, detail);
  return value;
}
