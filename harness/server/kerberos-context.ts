// Kerberos on the WinRM server (issue 6; PROTOCOL.md "Kerberos (pywinrm)"; RFC 4559 §4-§5;
// MS-WSMV §2.2.9.1.2). Kerberos is ONE leg: the client's first request carries
// `Authorization: Negotiate <AP-REQ>` (raw krb5 as requests-kerberos sends it, or SPNEGO as
// Windows does) or `Authorization: Kerberos <AP-REQ>`; the server accepts it, serves that same
// request and puts its AP-REP (mutual authentication) on the answer. The identity and the GSS
// session then belong to that connection, as NTLM's do: later requests carry no Authorization.

import { KerberosAcceptor } from '../auth/kerberos/acceptor.ts';
import { negotiateMechanism } from '../auth/kerberos/negotiate.ts';
import type { KerberosSession } from '../auth/kerberos/session.ts';
import type { RandomSource } from '../auth/random.ts';
import { SPNEGO_ENCRYPTED_PROTOCOL } from '../encryption/content-type.ts';
import { decryptKerberosMessage, encryptKerberosMessage, kerberosProtocolOf } from '../encryption/kerberos.ts';
import type { Clock } from '../net/types.ts';
import { EPOCH_MS } from './negotiate-deps.ts';
import type { KerberosServerOptions, ServerAuthScheme } from './types.ts';

/**
 * One authenticated connection's Kerberos context, as the server stores it. WinRM answers in
 * the encryption protocol the request used (pywinrm names Kerberos bodies
 * `HTTP-SPNEGO-session-encrypted` and accepts only that name back; pypsrp uses
 * `HTTP-Kerberos-session-encrypted`), so the last request's protocol is kept: a connection
 * serves one request at a time.
 */
export class KerberosWinrmSession {
  protocol: string = SPNEGO_ENCRYPTED_PROTOCOL;
  constructor(readonly gss: KerberosSession) {}

  /** Throws EncryptionError (bad-signature, bad-sequence, malformed, …). */
  decrypt(contentType: string, body: Uint8Array): Uint8Array {
    const plain = decryptKerberosMessage(this.gss, contentType, body);
    this.protocol = kerberosProtocolOf(contentType) ?? this.protocol;
    return plain;
  }

  encrypt(plaintext: Uint8Array): { contentType: string; body: Uint8Array } {
    return encryptKerberosMessage(this.gss, plaintext, { protocol: this.protocol });
  }
}

/**
 * The server's one acceptor (its replay cache spans all connections), or none. It serves the
 * HTTP Kerberos scheme (with 'kerberos' in `auth`) and Kerberos inside CredSSP (with 'credssp'):
 * one replay cache, so an AP-REQ seen by either is not accepted again by the other.
 */
export function kerberosAcceptorFrom(
  o: { kerberos?: KerberosServerOptions; auth?: readonly ServerAuthScheme[]; random: RandomSource },
  clock: Clock,
): KerberosAcceptor | undefined {
  const k = o.kerberos;
  const auth = o.auth ?? [];
  if (!k || !(auth.includes('kerberos') || auth.includes('credssp'))) return undefined;
  return new KerberosAcceptor({
    keytab: 'keytab' in k ? k.keytab : { principal: k.principal, password: k.password, realm: k.realm },
    random: o.random,
    // The simulated calendar (deterministic on sim); a real KDC's tickets need `now: Date.now`.
    now: k.now ?? (() => EPOCH_MS + Math.floor(clock.now())),
    ...(k.services ? { services: k.services } : {}),
  });
}

/**
 * Whether an `Authorization` credential is for the Kerberos acceptor: the `Kerberos` scheme, or
 * `Negotiate` with a token whose preferred mechanism is krb5 (RFC 4178; NTLM tokens go to NTLM).
 */
export function isKerberosCredential(scheme: string, token: Uint8Array | undefined): boolean {
  if (scheme === 'kerberos') return true;
  return scheme === 'negotiate' && token !== undefined && negotiateMechanism(token) === 'kerberos';
}

export type KerberosLeg =
  /** `reply`: the AP-REP (or SPNEGO accept-completed) for the answer; empty without mutual auth. */
  | { ok: true; identity: string; session: KerberosWinrmSession; reply: Uint8Array }
  | { ok: false; reason: string };

/** Accepts one AP-REQ. The failure reason names the Kerberos error (expired, replay, wrong-service, …). */
export function acceptKerberos(acceptor: KerberosAcceptor, token: Uint8Array | undefined): KerberosLeg {
  if (!token) return { ok: false, reason: 'malformed: Kerberos token is not base64' };
  const r = acceptor.accept(token);
  if (!r.ok) return { ok: false, reason: `${r.code}: ${r.reason}` };
  return { ok: true, identity: r.client, session: new KerberosWinrmSession(r.session), reply: r.reply };
}
