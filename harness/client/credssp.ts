// The destination's CredSSP handshake (MS-CSSP §3.1.5 over HTTP; PROTOCOL.md) on ONE
// connection, as pywinrm/requests-credssp do it: empty-bodied POSTs carrying
// `Authorization: CredSSP <b64>`, each answered by `401 WWW-Authenticate: CredSSP <b64>`, until
// the leg with the delegated credentials gets the 200 (five legs with TLS 1.2). Then every body
// is encrypted with the CredSSP TLS session (MS-WSMV §2.2.9.1.3, harness/encryption/credssp.ts).

import { parseChallenges, formatCredentials, sameScheme } from '../auth/challenge.ts';
import { CredSspClient } from '../auth/credssp/client.ts';
import { CredSspError } from '../auth/credssp/errors.ts';
import type { KerberosInitiatorMech } from '../auth/credssp/kerberos-mech.ts';
import { nodeTls } from '../auth/credssp/node-tls.ts';
import { simTlsEngines } from '../auth/credssp/sim-tls.ts';
import type { CredSspTls } from '../auth/credssp/tls-channel.ts';
import { decryptCredSspMessage, encryptCredSspMessage, isCredSspEncryptedContentType } from '../encryption/credssp.ts';
import type { Network } from '../net/types.ts';
import { getHeaders } from '../wire/index.ts';
import type { HttpResponse } from '../wire/types.ts';
import { ConnectionLost } from './errors.ts';
import type { HttpConnection } from './http-connection.ts';
import { WinrmClientError } from './types.ts';

export { isCredSspEncryptedContentType };

/** More legs than any CredSSP exchange needs (5 with TLS 1.2, 4 with 1.3, +1 for SPNEGO retries). */
export const MAX_CREDSSP_LEGS = 8;

export interface CredSspCredentials {
  user: string;
  password: string;
  domain?: string;
  random: { bytes(n: number): Uint8Array };
  /** Kerberos instead of NTLM inside CredSSP (MS-CSSP §3.1.5); the KerberosInitiator of client/kerberos.ts. */
  kerberos?: { gss(): KerberosInitiatorMech };
}

/** Sends one empty-bodied leg carrying `Authorization` (step 'credssp-<n>'), returns the response. */
export type SendCredSspLeg = (step: string, authorization: string) => Promise<HttpResponse>;

function challengeToken(res: HttpResponse): Uint8Array | undefined {
  return parseChallenges(getHeaders(res.headers, 'www-authenticate')).find((v) => sameScheme(v.scheme, 'CredSSP') && v.token)?.token;
}

/**
 * Runs the handshake on `http`; returns the TLS session for message encryption. Throws
 * WinrmClientError('access-denied') when the server refuses (a 401 without a token, or with an
 * errorCode TSRequest), ConnectionLost when the connection closes between legs (the context is
 * bound to it), WinrmClientError('protocol') for anything else unexpected.
 */
export async function credSspHandshake(net: Network, http: HttpConnection, creds: CredSspCredentials, send: SendCredSspLeg): Promise<CredSspTls> {
  // node:tls on real sockets; on sim the deterministic stand-in (node's TLS is neither
  // deterministic nor driven by the sim's events).
  const tls = net.kind === 'sim' ? simTlsEngines(creds.random) : nodeTls();
  const client = new CredSspClient({
    user: creds.user,
    password: creds.password,
    ...(creds.domain !== undefined ? { domain: creds.domain } : {}),
    random: creds.random,
    tls,
    ...(creds.kerberos ? { kerberos: creds.kerberos.gss() } : {}),
  });
  let inToken: Uint8Array | undefined;
  for (let leg = 1; leg <= MAX_CREDSSP_LEGS; leg++) {
    const step = `credssp-${leg}`;
    const out = await clientStep(client, inToken, step);
    if (!out.token) throw new WinrmClientError('protocol', `the CredSSP client produced no token for ${step}`, { step });
    const res = await send(step, formatCredentials('CredSSP', out.token));
    if (res.status === 401) {
      const token = challengeToken(res);
      if (out.done && token) await clientStep(client, token, step); // the server's errorCode: throws access-denied
      if (out.done || !token) {
        client.tls.close();
        throw new WinrmClientError('access-denied', `the server refused the CredSSP authentication (401 to ${step})`, { status: 401, step });
      }
      if (!http.usable) {
        client.tls.close();
        throw new ConnectionLost(true, true, false, `connection ${http.id} closed during the CredSSP handshake (after ${step})`);
      }
      inToken = token;
      continue;
    }
    if (res.status >= 200 && res.status < 300 && out.done) return client.tls;
    client.tls.close();
    throw new WinrmClientError('protocol', `unexpected ${res.status} ${res.reason} to CredSSP ${step}`, { status: res.status, step });
  }
  client.tls.close();
  throw new WinrmClientError('protocol', `the CredSSP handshake did not finish in ${MAX_CREDSSP_LEGS} legs`, {});
}

async function clientStep(client: CredSspClient, token: Uint8Array | undefined, step: string) {
  try {
    return await client.step(token);
  } catch (e) {
    if (!(e instanceof CredSspError)) throw e;
    // Kerberos inside CredSSP: a KDC that cannot be reached is a network failure, as for auth 'kerberos'.
    if (e.detail.kerberos === 'kdc-unreachable') throw new WinrmClientError('network', `CredSSP ${step}: ${e.message}`, { step, reason: e.reason });
    const denied = e.reason === 'peer-error' || e.reason === 'logon-failure' || e.reason === 'pubkey-mismatch';
    throw new WinrmClientError(denied ? 'access-denied' : 'protocol', `CredSSP ${step}: ${e.reason}: ${e.message}`, { step, reason: e.reason });
  }
}

export function encryptCredSsp(tls: CredSspTls, plaintext: Uint8Array): Promise<{ contentType: string; body: Uint8Array }> {
  return encryptCredSspMessage(tls, plaintext);
}

/** Throws EncryptionError when the body cannot be opened (the caller maps it to 'protocol'). */
export function decryptCredSsp(tls: CredSspTls, contentType: string, body: Uint8Array): Promise<Uint8Array> {
  return decryptCredSspMessage(tls, contentType, body);
}
