// The destination's Negotiate handshake with NTLM, on ONE connection (MS-NTHT §3; RFC 4559 §4;
// PROTOCOL.md): POST with an empty body and `Authorization: Negotiate <Type1>` → 401 with
// `WWW-Authenticate: Negotiate <Type2>` → POST with `<Type3>` → 200. pywinrm sends raw NTLMSSP
// tokens; with `spnego` the tokens travel in SPNEGO (RFC 4178) NegTokenInit / NegTokenResp.

import { parseChallenges, formatCredentials, sameScheme } from '../auth/challenge.ts';
import { NtlmClient } from '../auth/ntlm/client.ts';
import type { NtlmSession } from '../auth/ntlm/session.ts';
import { extractNtlm, parseNegotiateToken, wrapInitiatorToken } from '../auth/spnego.ts';
import { getHeaders } from '../wire/index.ts';
import type { HttpResponse } from '../wire/types.ts';
import { ConnectionLost } from './errors.ts';
import type { HttpConnection } from './http-connection.ts';
import { WinrmClientError } from './types.ts';

export interface NegotiateCredentials {
  user: string;
  password: string;
  domain?: string;
  random: { bytes(n: number): Uint8Array };
  spnego?: boolean;
}

/** Sends one empty-bodied leg carrying `Authorization`, returns the response. */
export type SendLeg = (step: 'negotiate-1' | 'negotiate-3', authorization: string) => Promise<HttpResponse>;

/** The Negotiate token in the first `WWW-Authenticate: Negotiate <token>` of a 401. */
function challengeToken(res: HttpResponse): Uint8Array | undefined {
  const c = parseChallenges(getHeaders(res.headers, 'www-authenticate')).find((v) => sameScheme(v.scheme, 'Negotiate') && v.token);
  return c?.token;
}

/**
 * Runs the handshake on `http` and returns the NTLM session (client role). Throws
 * WinrmClientError('access-denied') when the server rejects the credentials or a leg arrives
 * on a connection that lost the context, and ConnectionLost when the connection closes between
 * the legs (the context is bound to it: MS-NTHT §3.1.5.1.1.1, so the caller starts over).
 */
export async function negotiateHandshake(http: HttpConnection, creds: NegotiateCredentials, send: SendLeg): Promise<NtlmSession> {
  const style = creds.spnego ? 'spnego' : 'raw';
  const ntlm = new NtlmClient({
    user: creds.user,
    password: creds.password,
    ...(creds.domain !== undefined ? { domain: creds.domain } : {}),
    random: creds.random,
  });
  const type1 = wrapInitiatorToken(style, ntlm.negotiate(), true);
  const r1 = await send('negotiate-1', formatCredentials('Negotiate', type1));
  if (r1.status !== 401) {
    throw new WinrmClientError('protocol', `expected 401 with an NTLM challenge, got ${r1.status} ${r1.reason}`, { status: r1.status, step: 'negotiate-1' });
  }
  const token = challengeToken(r1);
  if (!token) {
    // A bare `Negotiate` after a Type1 is the server refusing it, or a proxy that stripped it.
    throw new WinrmClientError('access-denied', 'the 401 to the Negotiate Type 1 carries no challenge token', {
      status: 401,
      step: 'negotiate-1',
      challenges: getHeaders(r1.headers, 'www-authenticate').map((v) => v.split(' ')[0]),
    });
  }
  if (!http.usable) {
    // RFC 4559 §6 / MS-NTHT: the Type 3 must follow on the same connection; it cannot any more.
    throw new ConnectionLost(true, true, false, `connection ${http.id} closed after the NTLM challenge`);
  }
  let type2: Uint8Array | undefined;
  try {
    type2 = extractNtlm(parseNegotiateToken(token)).ntlm;
  } catch (e) {
    throw new WinrmClientError('protocol', `undecodable Negotiate challenge: ${(e as Error).message}`, { step: 'negotiate-1' });
  }
  if (!type2) throw new WinrmClientError('protocol', 'the Negotiate challenge carries no NTLM message', { step: 'negotiate-1' });
  let type3: Uint8Array;
  try {
    type3 = ntlm.authenticate(type2);
  } catch (e) {
    throw new WinrmClientError('protocol', `bad NTLM challenge: ${(e as Error).message}`, { step: 'negotiate-1' });
  }
  const r3 = await send('negotiate-3', formatCredentials('Negotiate', wrapInitiatorToken(style, type3, false)));
  if (r3.status === 401) {
    throw new WinrmClientError('access-denied', 'the server rejected the NTLM authentication (401 to the Type 3)', {
      status: 401,
      step: 'negotiate-3',
    });
  }
  if (r3.status < 200 || r3.status >= 300) {
    throw new WinrmClientError('protocol', `unexpected ${r3.status} ${r3.reason} to the NTLM Type 3`, { status: r3.status, step: 'negotiate-3' });
  }
  return ntlm.session;
}
