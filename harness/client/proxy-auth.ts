// Answering a proxy's 407 (RFC 9110 §11.7, §15.5.8): Proxy-Authenticate → Proxy-Authorization.
// Proxy authentication is independent of the destination's (seed: Note) and concerns the
// client↔proxy hop only, with its own credential: the header never goes on a request to the
// server directly, nor inside a CONNECT tunnel.
//
// The scheme is the user's pinned one, or the first the proxy offers in the order WinRM prefers
// (REQUIREMENTS §4: Negotiate by default, then NTLM, Digest, Basic). Basic and Digest are sent
// pre-emptively on every request once learnt (Digest with a fresh nc); Negotiate and NTLM
// authenticate one connection (RFC 4559 §6), so their handshake state is kept per connection.

import { basicHeader } from '../auth/basic.ts';
import { parseChallenges, sameScheme } from '../auth/challenge.ts';
import { DigestClient } from '../auth/digest-client.ts';
import { NtlmHttpInitiator } from '../auth/ntlm-http-initiator.ts';
import type { RandomSource } from '../auth/random.ts';
import { getHeaders } from '../wire/index.ts';
import type { HttpResponse } from '../wire/types.ts';
import type { ProxyCredentials, ProxyScheme } from './proxy-resolution.ts';
import { WinrmClientError } from './types.ts';

/** Preference among offered schemes when none is pinned. */
export const PROXY_SCHEME_PREFERENCE: readonly ProxyScheme[] = ['negotiate', 'ntlm', 'digest', 'basic'];
const HTTP_NAME: Record<ProxyScheme, string> = { negotiate: 'Negotiate', ntlm: 'NTLM', digest: 'Digest', basic: 'Basic' };

/** Per-connection handshake of a connection-bound scheme. */
type ConnState =
  | { phase: 'type1-sent'; ini: NtlmHttpInitiator }
  | { phase: 'type3-ready'; type3: string }
  | { phase: 'type3-sent' }
  | { phase: 'done' };

/** The scheme to use among `offered` (HTTP names), or undefined. */
export function chooseProxyScheme(offered: readonly string[], pinned?: ProxyScheme): ProxyScheme | undefined {
  const has = (s: ProxyScheme) => offered.some((o) => sameScheme(o, HTTP_NAME[s]));
  if (pinned) return has(pinned) ? pinned : undefined;
  return PROXY_SCHEME_PREFERENCE.find(has);
}

export class ProxyAuthClient {
  /** The scheme in use, once a 407 chose it. */
  scheme?: ProxyScheme;
  /** Schemes the proxy offered in its first 407 (for reports). */
  offered: string[] = [];
  #digest?: DigestClient;
  #conns = new WeakMap<object, ConnState>();

  constructor(
    private readonly creds: ProxyCredentials | undefined,
    private readonly random: RandomSource,
    /** For a Type 2 without MsvAvTimestamp (Squid's NTLM helpers send none). */
    private readonly nowFiletime?: () => bigint,
  ) {}

  get connectionBound(): boolean {
    return this.scheme === 'negotiate' || this.scheme === 'ntlm';
  }

  /** The Proxy-Authorization for this request on `conn` (`uri`: its request-target), if any. */
  authorization(conn: object, method: string, uri: string): string | undefined {
    const { scheme, creds } = this;
    if (!scheme || !creds) return undefined;
    if (scheme === 'basic') return basicHeader(creds.user, creds.password);
    if (scheme === 'digest') return this.#digest!.authorization(method, uri);
    const st = this.#conns.get(conn);
    if (st?.phase === 'done' || st?.phase === 'type3-sent') return undefined;
    if (st?.phase === 'type3-ready') {
      this.#conns.set(conn, { phase: 'type3-sent' });
      return st.type3;
    }
    // A new connection (or one the proxy challenged again): a new handshake, Type 1 first.
    const ini = new NtlmHttpInitiator(scheme === 'negotiate' ? 'Negotiate' : 'NTLM', creds, this.random, this.nowFiletime);
    this.#conns.set(conn, { phase: 'type1-sent', ini });
    return ini.start();
  }

  /** A response other than 407 on `conn`: a connection-bound handshake on it has completed. */
  accepted(conn: object): void {
    if (this.#conns.get(conn)?.phase === 'type3-sent') this.#conns.set(conn, { phase: 'done' });
  }

  /**
   * A 407 to a request on `conn` that carried `sent` (or nothing): prepares the next leg, or
   * throws WinrmClientError('proxy-auth') when there is none (no credential, no usable scheme,
   * credentials refused). `what` names the request for messages.
   */
  challenged(conn: object, res: HttpResponse, sent: string | undefined, what: string): void {
    const values = getHeaders(res.headers, 'proxy-authenticate');
    const challenges = parseChallenges(values);
    const offered = [...new Set(challenges.map((c) => c.scheme))];
    const detail = { status: res.status, offered };
    const refused = () => new WinrmClientError('proxy-auth', `the proxy refused the proxy credential (${HTTP_NAME[this.scheme!]}; 407 to ${what})`, detail);
    if (!this.scheme) {
      this.offered = offered;
      if (!this.creds) {
        throw new WinrmClientError('proxy-auth', `the proxy requires authentication (${offered.join(', ') || 'no scheme named'}) and no proxy credential is configured`, detail);
      }
      const pinned = this.creds.scheme && this.creds.scheme !== 'auto' ? this.creds.scheme : undefined;
      const scheme = chooseProxyScheme(offered, pinned);
      if (!scheme) {
        const wanted = pinned ? HTTP_NAME[pinned] : PROXY_SCHEME_PREFERENCE.map((s) => HTTP_NAME[s]).join(', ');
        throw new WinrmClientError('proxy-auth', `the proxy does not offer ${wanted} (offers: ${offered.join(', ') || 'nothing'})`, detail);
      }
      this.scheme = scheme;
      if (scheme === 'digest') {
        this.#digest = new DigestClient(this.creds, this.random);
        if (!this.#digest.accept(challenges)) throw new WinrmClientError('proxy-auth', 'no Digest challenge with a supported algorithm (MD5, SHA-256) and qop=auth', detail);
      }
      if (sent === undefined) return;
    }
    if (this.scheme === 'basic') {
      if (sent !== undefined) throw refused();
      return;
    }
    if (this.scheme === 'digest') {
      // RFC 7616 §3.3: stale=true says only the nonce was refused: retry with the new one.
      const stale = challenges.some((c) => c.scheme === 'Digest' && c.params?.stale?.toLowerCase() === 'true');
      if (sent !== undefined && !stale) throw refused();
      if (!this.#digest!.accept(challenges)) throw refused();
      return;
    }
    const st = this.#conns.get(conn);
    if (st?.phase === 'type1-sent') {
      const type3 = st.ini.answer(values);
      if (!type3) throw new WinrmClientError('proxy-auth', `the proxy's 407 to the ${HTTP_NAME[this.scheme]} Type 1 carries no challenge (${what})`, detail);
      this.#conns.set(conn, { phase: 'type3-ready', type3 });
      return;
    }
    if (st?.phase === 'type3-sent') throw refused();
    // Challenged on an authenticated connection, or before any leg: start over on it.
    this.#conns.delete(conn);
  }
}
