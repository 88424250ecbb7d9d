// The client's Kerberos (issue 6; PROTOCOL.md "Kerberos (pywinrm)"; RFC 4559 §4-§5): ONE leg.
// The AP-REQ goes preemptively on the first request (`Authorization: Negotiate <token>`, as
// requests-kerberos sends it), the 200 must carry the server's AP-REP (mutual authentication is
// required, as pywinrm requires it), and the established GSS context then seals every body
// (MS-WSMV §2.2.9.1.2, RFC 4121 wrap tokens).

import { KerberosClient } from '../auth/kerberos/client.ts';
import type { KerberosInitiatorMech } from '../auth/credssp/kerberos-mech.ts';
import { KerberosError } from '../auth/kerberos/errors.ts';
import type { KdcAddress, KdcSend } from '../auth/kerberos/kdc-transport.ts';
import type { KerberosSession } from '../auth/kerberos/session.ts';
import { parseChallenges, sameScheme } from '../auth/challenge.ts';
import { SPNEGO_ENCRYPTED_PROTOCOL } from '../encryption/content-type.ts';
import { decryptKerberosMessage, encryptKerberosMessage, KERBEROS_ENCRYPTED_PROTOCOL, kerberosProtocolOf } from '../encryption/kerberos.ts';
import type { Clock } from '../net/types.ts';
import { getHeaders } from '../wire/index.ts';
import type { HttpResponse } from '../wire/types.ts';
import { WinrmClientError } from './types.ts';

/** The simulated calendar the server also uses by default (negotiate-deps.ts EPOCH_MS): 2024-01-01. */
const SIM_EPOCH_MS = Date.UTC(2024, 0, 1);

export interface KerberosClientSettings {
  realm: string;
  /** The KDC: an address (RFC 4120 §7.2.2 over TCP) or a function (the in-process simulated KDC). */
  kdc: KdcAddress | KdcSend;
  /** Service principal; default `HTTP/<endpoint host>`. */
  service?: string;
  /** `Negotiate` (default, pywinrm/requests-kerberos) or `Kerberos` (the WinRM scheme name). */
  scheme?: 'Negotiate' | 'Kerberos';
  /** Wrap the AP-REQ in SPNEGO NegTokenInit, as Windows clients do; default raw krb5 (pykerberos). */
  spnego?: boolean;
  /** Epoch ms; default the simulated calendar on the Network's clock (deterministic on sim). */
  now?: () => number;
}

/** Sends the one leg with `Authorization`; the caller records it as step 'kerberos-1'. */
export type SendKerberosLeg = (step: 'kerberos-1', authorization: string) => Promise<HttpResponse>;

/** The initiator and its settings, one per WinRM client (tickets are cached across handshakes). */
export class KerberosInitiator {
  private readonly client: KerberosClient;
  readonly scheme: 'Negotiate' | 'Kerberos';

  constructor(
    s: KerberosClientSettings,
    o: { user: string; password: string; host: string; clock: Clock; random: { bytes(n: number): Uint8Array } },
  ) {
    this.scheme = s.scheme ?? 'Negotiate';
    this.client = new KerberosClient({
      principal: o.user.includes('@') ? o.user : `${o.user}@${s.realm}`,
      password: o.password,
      realm: s.realm,
      kdc: s.kdc,
      service: s.service ?? `HTTP/${o.host}`,
      random: o.random,
      now: s.now ?? (() => SIM_EPOCH_MS + Math.floor(o.clock.now())),
      ...(s.spnego ? { spnego: true } : {}),
    });
  }

  /**
   * Runs the one leg and returns the established context. Throws WinrmClientError:
   * 'access-denied' when the KDC or the server refuses, or when the 200 carries no valid AP-REP
   * (mutual authentication failed); 'network' when the KDC cannot be reached.
   */
  async handshake(send: SendKerberosLeg): Promise<KerberosSession> {
    let token: Uint8Array;
    try {
      token = await this.client.initSecContext();
    } catch (e) {
      const code = e instanceof KerberosError && e.code === 'kdc-unreachable' ? 'network' : 'access-denied';
      throw new WinrmClientError(code, `Kerberos: no service ticket: ${(e as Error).message}`, { step: 'kerberos-1' });
    }
    const res = await send('kerberos-1', `${this.scheme} ${Buffer.from(token).toString('base64')}`);
    if (res.status === 401) {
      throw new WinrmClientError('access-denied', 'the server rejected the Kerberos ticket (401)', { status: 401, step: 'kerberos-1' });
    }
    if (res.status < 200 || res.status >= 300) {
      throw new WinrmClientError('protocol', `unexpected ${res.status} ${res.reason} to the Kerberos leg`, { status: res.status, step: 'kerberos-1' });
    }
    const reply = replyToken(res);
    if (!reply) {
      throw new WinrmClientError('access-denied', 'mutual authentication failed: the 200 carries no Kerberos AP-REP in WWW-Authenticate', {
        status: res.status,
        step: 'kerberos-1',
      });
    }
    try {
      this.client.acceptReply(reply);
    } catch (e) {
      throw new WinrmClientError('access-denied', `mutual authentication failed: ${(e as Error).message}`, { status: res.status, step: 'kerberos-1' });
    }
    return this.client.session;
  }

  /**
   * The GSS initiator itself (tickets cached across handshakes), for Kerberos inside CredSSP
   * (MS-CSSP §3.1.5): CredSSP carries the AP-REQ and AP-REP in its own TSRequests.
   */
  gss(): KerberosInitiatorMech {
    return this.client;
  }

  /** pywinrm names Kerberos bodies HTTP-SPNEGO-session-encrypted inside Negotiate; pypsrp HTTP-Kerberos-…. */
  get protocol(): string {
    return this.scheme === 'Negotiate' ? SPNEGO_ENCRYPTED_PROTOCOL : KERBEROS_ENCRYPTED_PROTOCOL;
  }
}

/** The server's token: `WWW-Authenticate: Negotiate <b64>` or `Kerberos <b64>` on the success answer. */
function replyToken(res: HttpResponse): Uint8Array | undefined {
  const c = parseChallenges(getHeaders(res.headers, 'www-authenticate')).find(
    (v) => (sameScheme(v.scheme, 'Negotiate') || sameScheme(v.scheme, 'Kerberos')) && v.token,
  );
  return c?.token;
}

export function sealKerberos(session: KerberosSession, protocol: string, plaintext: Uint8Array): { contentType: string; body: Uint8Array } {
  return encryptKerberosMessage(session, plaintext, { protocol });
}

/** Whether a response is Kerberos/SPNEGO-encrypted (the caller then opens it with the session). */
export function isKerberosEncrypted(ct: string | undefined): boolean {
  return kerberosProtocolOf(ct) !== undefined;
}

/** Throws EncryptionError when the body does not open (the caller maps it to 'protocol'). */
export function openKerberos(session: KerberosSession, contentType: string, body: Uint8Array): Uint8Array {
  return decryptKerberosMessage(session, contentType, body);
}
