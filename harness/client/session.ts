// The client's one connection and its authentication (WinRM 2.0 / pywinrm behaviour): the
// connection is kept and reused; if it closes, a new one is opened and authenticated again
// (bounded); a request that may have executed is never re-sent (INV-6, at most once).

import type { CredSspTls } from '../auth/credssp/tls-channel.ts';
import type { NtlmSession } from '../auth/ntlm/session.ts';
import { getHeader } from '../wire/index.ts';
import { EMPTY_BYTES, utf8Encode } from '../wire/bytes.ts';
import type { HeaderField, HttpResponse } from '../wire/types.ts';
import { openConnection } from './connect.ts';
import { authority, httpViaProxy, isHttps, type ClientContext } from './context.ts';
import { ConnectionLost, toClientError } from './errors.ts';
import type { HttpConnection } from './http-connection.ts';
import { credSspHandshake, decryptCredSsp, encryptCredSsp, isCredSspEncryptedContentType } from './credssp.ts';
import { decryptSoap, encryptSoap, isEncryptedContentType } from './message-crypto.ts';
import { negotiateHandshake } from './negotiate.ts';
import { isKerberosEncrypted, openKerberos, sealKerberos, type KerberosInitiator } from './kerberos.ts';
import type { KerberosSession } from '../auth/kerberos/session.ts';
import { basicCredentials } from './basic.ts';
import { roundTrip, type OutgoingRequest } from './round-trip.ts';
import { WinrmClientError } from './types.ts';

export const SEED_UNENCRYPTED_PROXY = 'Under no circumstances should unencrypted HTTP requests be sent through proxy servers';

/** Re-authentications allowed within one operation before it fails. */
export const MAX_REAUTH_PER_OPERATION = 2;

const SOAP_CONTENT_TYPE = 'application/soap+xml;charset=UTF-8';
const USER_AGENT = 'Microsoft WinRM Client';
// Header fields every request carries the same: shared, read-only (requests are only traced and serialized).
const USER_AGENT_FIELD: HeaderField = { name: 'User-Agent', value: USER_AGENT };
const KEEP_ALIVE_FIELD: HeaderField = { name: 'Connection', value: 'Keep-Alive' };
const SOAP_TYPE_FIELD: HeaderField = { name: 'Content-Type', value: SOAP_CONTENT_TYPE };
const ANONYMOUS_FIELD: HeaderField = { name: 'WSMANIDENTIFY', value: 'unauthenticated' };
/** Legs one request may take through the proxy: bare → 407, Type 1 → 407, Type 3 → 2xx; one more for a stale Digest nonce. */
const MAX_PROXY_LEGS = 5;

export interface SessionOptions {
  user: string;
  password: string;
  domain?: string;
  auth: 'negotiate' | 'basic' | 'kerberos' | 'credssp';
  encryption: 'always' | 'never';
  spnego: boolean;
  /** Set with auth 'kerberos', and with auth 'credssp' when CredSSP carries Kerberos. */
  kerberos?: KerberosInitiator;
  unsafeAllowUnencryptedThroughProxy: boolean;
  random: { bytes(n: number): Uint8Array };
}

export interface CallOptions {
  /** Identify with `WSMANIDENTIFY: unauthenticated`: no credentials, no encryption. */
  anonymous?: boolean;
  /**
   * Whether the request may be sent again on a new connection after it was written:
   * 'never' (Command: INV-6 at most once), 'if-no-response' (Receive: once response bytes
   * arrived the server has handed out that output), 'always' (the rest).
   */
  replay: 'always' | 'if-no-response' | 'never';
  timeoutMs: number;
}

interface OutgoingMessage {
  method: string;
  /** The message's own fields, after the hop fields every request starts with. */
  headers: HeaderField[];
  body: Uint8Array;
}

interface CallResult {
  status: number;
  xml: string;
}

export class WinrmSession {
  handshakes = 0;
  private http?: HttpConnection;
  private ntlm?: NtlmSession;
  /** The Kerberos GSS context of this connection (auth 'kerberos'), for MS-WSMV §2.2.9.1.2 encryption. */
  private krb?: KerberosSession;
  /** The CredSSP TLS session of this connection (auth 'credssp'), for MS-WSMV §2.2.9.1.3 encryption. */
  private credssp?: CredSspTls;
  private authenticated = false;
  /** The Proxy-Authorization of the last leg sent (what a 407 to it answers). */
  private sentProxyAuth: string | undefined = undefined;
  /** The route's request framing, fixed for the session (the endpoint URL's getters are not free). */
  private readonly viaProxy: boolean;
  private readonly host: string;
  private readonly target: string;
  private readonly https: boolean;
  /**
   * Message encryption applies to Negotiate, Kerberos and CredSSP over HTTP (MS-WSMV §2.2.9.1.1,
   * §2.2.9.1.2, §2.2.9.1.3); HTTPS has TLS. Fixed for the session, like the route.
   */
  readonly encrypting: boolean;

  constructor(
    private readonly ctx: ClientContext,
    private readonly o: SessionOptions,
  ) {
    this.https = isHttps(ctx);
    this.encrypting = o.auth !== 'basic' && !this.https && o.encryption !== 'never';
    this.viaProxy = httpViaProxy(ctx);
    this.host = authority(ctx);
    const u = ctx.endpoint;
    // RFC 9112 §3.2.2: absolute-form to a proxy; origin-form to the server (or inside a tunnel).
    this.target = this.viaProxy ? `http://${this.host}${u.pathname}${u.search}` : `${u.pathname}${u.search}`;
  }

  /** Sends one WS-Man envelope; resolves with the response status and its plaintext body. */
  async call(step: string, xml: string, o: CallOptions): Promise<CallResult> {
    this.checkPolicy(o.anonymous === true);
    let lostInHandshake = false;
    let last: ConnectionLost | undefined;
    for (let attempt = 0; attempt <= MAX_REAUTH_PER_OPERATION; attempt++) {
      let phase: 'setup' | 'request' = 'setup';
      try {
        // The common case, a kept authenticated connection, and every envelope but CredSSP's are
        // ready at once: awaited only when they are promises (one fewer microtask hop each).
        const anonymous = o.anonymous === true;
        const http = this.readyNow(anonymous) ?? (await this.ready(anonymous));
        phase = 'request';
        const e = this.envelope(xml, anonymous);
        const m = e instanceof Promise ? await e : e;
        // send()'s loop written out here: the response is awaited once, not through send's promise too.
        let res = await this.leg(http, step, m, o.timeoutMs);
        for (let leg = 1; !this.answered(http, step, res, leg); leg++) res = await this.leg(http, step, m, o.timeoutMs);
        const out = this.read(res, anonymous);
        return out instanceof Promise ? await out : out;
      } catch (e) {
        if (!(e instanceof ConnectionLost)) {
          if (e instanceof WinrmClientError && (e.code === 'access-denied' || e.code === 'protocol' || e.code === 'timeout')) this.drop();
          throw toClientError(e, step);
        }
        this.drop();
        const mayHaveRun = phase === 'request' && e.written;
        if (mayHaveRun && (o.replay === 'never' || (o.replay === 'if-no-response' && e.responseStarted))) {
          throw new WinrmClientError(
            'network',
            `${step}: the connection was lost after the request was sent; it is not re-sent because it may have run (at most once)`,
            { step, written: true, responseStarted: e.responseStarted, reset: e.reset },
          );
        }
        lostInHandshake = phase === 'setup';
        last = e;
      }
    }
    if (lostInHandshake) {
      // INV-7 fail closed: a proxy that does not keep the connection makes authentication impossible.
      throw new WinrmClientError('access-denied', `${step}: no authenticated connection after ${MAX_REAUTH_PER_OPERATION + 1} attempts (last: ${last?.message ?? ''})`, {
        step,
        handshakes: this.handshakes,
      });
    }
    throw new WinrmClientError('network', `${step}: the connection was lost ${MAX_REAUTH_PER_OPERATION + 1} times (${last?.message ?? ''})`, { step });
  }

  close(): void {
    this.drop();
  }

  /** The seed's rule, checked before any byte is sent (REQUIREMENTS.md §4 Policy). */
  private checkPolicy(anonymous: boolean): void {
    const route = this.ctx.route;
    if (route.kind !== 'proxy' || this.https || this.encrypting || anonymous) return;
    if (this.o.unsafeAllowUnencryptedThroughProxy) return;
    throw new WinrmClientError(
      'refused-unencrypted-proxy',
      `refusing to send an unencrypted WS-Management request (${this.o.auth === 'basic' ? 'Basic authentication' : 'encryption disabled'}) over HTTP through the proxy ${route.proxy.host}:${route.proxy.port}: "${SEED_UNENCRYPTED_PROXY}." Use HTTPS, or Negotiate with message encryption.`,
      { proxy: `${route.proxy.host}:${route.proxy.port}`, auth: this.o.auth },
    );
  }

  /** The kept connection when it can carry this request as it is (nothing to open or authenticate). */
  private readyNow(anonymous: boolean): HttpConnection | undefined {
    const http = this.http;
    return http && http.usable && (anonymous || this.authenticated) ? http : undefined;
  }

  /** The connection, opened and authenticated as this request needs. */
  private async ready(anonymous: boolean): Promise<HttpConnection> {
    if (!this.http || !this.http.usable) {
      this.drop();
      this.http = await openConnection(this.ctx);
    }
    const http = this.http;
    if (anonymous || this.authenticated) return http;
    this.handshakes += 1;
    if (this.o.auth === 'negotiate') {
      this.ntlm = await negotiateHandshake(http, this.o, (step, authorization) =>
        this.send(http, step, authLeg(authorization), this.ctx.timeoutMs),
      );
    } else if (this.o.auth === 'credssp') {
      // Same connection rules as Negotiate: every leg on `http`, a lost connection starts over.
      this.credssp = await credSspHandshake(this.ctx.net, http, this.o, (step, authorization) =>
        this.send(http, step, authLeg(authorization), this.ctx.timeoutMs),
      );
    }
    if (this.o.auth === 'kerberos') {
      // One leg, preemptive (PROTOCOL.md): AP-REQ on an empty POST, AP-REP on the 200.
      this.krb = await this.o.kerberos!.handshake((step, authorization) =>
        this.send(http, step, authLeg(authorization), this.ctx.timeoutMs),
      );
    }
    this.authenticated = true;
    // A 200 that closed the connection leaves nothing to send on: authenticate again.
    if (!http.usable) throw new ConnectionLost(false, false, false, `connection ${http.id} closed after authentication`);
    return http;
  }

  private drop(): void {
    this.http?.close();
    this.http = undefined;
    this.ntlm = undefined;
    this.krb = undefined;
    this.credssp?.close();
    this.credssp = undefined;
    this.authenticated = false;
  }

  private envelope(xml: string, anonymous: boolean): OutgoingMessage | Promise<OutgoingMessage> {
    const plain = utf8Encode(xml);
    if (anonymous) return { method: 'POST', headers: [ANONYMOUS_FIELD, SOAP_TYPE_FIELD], body: plain };
    if (this.o.auth === 'basic') {
      return { method: 'POST', headers: [{ name: 'Authorization', value: basicCredentials(this.o.user, this.o.password) }, SOAP_TYPE_FIELD], body: plain };
    }
    if (this.encrypting && this.o.auth === 'credssp') {
      if (!this.credssp) throw new Error('encrypting without a CredSSP session');
      return encryptCredSsp(this.credssp, plain).then(({ contentType, body }) => sealedMessage(contentType, body));
    }
    if (this.encrypting && this.o.auth === 'kerberos') {
      if (!this.krb) throw new Error('encrypting without a Kerberos session');
      const { contentType, body } = sealKerberos(this.krb, this.o.kerberos!.protocol, plain);
      return sealedMessage(contentType, body);
    }
    if (this.encrypting) {
      if (!this.ntlm) throw new Error('encrypting without an NTLM session');
      // PROTOCOL.md: after the handshake every body is sealed, with no Authorization header.
      const { contentType, body } = encryptSoap(this.ntlm, plain);
      return sealedMessage(contentType, body);
    }
    return { method: 'POST', headers: [SOAP_TYPE_FIELD], body: plain };
  }

  /** One request on `http`, with the target form and hop headers of the route; answers the proxy's 407s. */
  private async send(http: HttpConnection, step: string, m: OutgoingMessage, timeoutMs: number): Promise<HttpResponse> {
    for (let leg = 1; ; leg++) {
      const res = await this.leg(http, step, m, timeoutMs);
      if (this.answered(http, step, res, leg)) return res;
    }
  }

  /** One leg of `m`: the hop headers of the route, then the message's own. */
  private leg(http: HttpConnection, step: string, m: OutgoingMessage, timeoutMs: number): Promise<HttpResponse> {
    const headers: HeaderField[] = [{ name: 'Host', value: this.host }, USER_AGENT_FIELD, KEEP_ALIVE_FIELD];
    for (const h of m.headers) headers.push(h);
    // RFC 7616 §3.4.6: the Digest uri is the request-target, absolute-form here.
    const sent = this.viaProxy ? this.ctx.proxyAuth.authorization(http, m.method, this.target) : undefined;
    if (sent !== undefined) headers.push({ name: 'Proxy-Authorization', value: sent });
    this.sentProxyAuth = sent;
    return roundTrip(this.ctx, http, step, { method: m.method, target: this.target, headers, body: m.body }, timeoutMs);
  }

  /**
   * Whether `res` is the answer to the leg just sent. A 407 from the proxy is not: its challenge
   * is taken in for the next leg (nothing reached the server, so re-sending is safe), or it fails.
   */
  private answered(http: HttpConnection, step: string, res: HttpResponse, leg: number): boolean {
    const viaProxy = this.viaProxy;
    if (res.status !== 407) {
      if (viaProxy) this.ctx.proxyAuth.accepted(http);
      return true;
    }
    if (!viaProxy) throw new WinrmClientError('protocol', `407 from the server on a direct connection (${step})`, { status: 407, step });
    if (leg >= MAX_PROXY_LEGS) throw new WinrmClientError('proxy-auth', `the proxy still answers 407 after ${leg} legs (${step})`, { status: 407, step });
    const sent = this.sentProxyAuth;
    this.ctx.proxyAuth.challenged(http, res, sent, step);
    if (!http.usable) {
      if (this.ctx.proxyAuth.connectionBound && sent !== undefined) {
        throw new WinrmClientError('proxy-auth', `the proxy closed the connection in the middle of the ${this.ctx.proxyAuth.scheme} handshake (${step})`, { status: 407, step });
      }
      throw new ConnectionLost(false, false, false, `the proxy closed the connection after its 407 (${step})`);
    }
    return false;
  }

  /** The response's status and plaintext; a promise only for a CredSSP-encrypted body. */
  private read(res: HttpResponse, anonymous: boolean): CallResult | Promise<CallResult> {
    if (res.status === 401) {
      this.drop();
      throw new WinrmClientError(
        'access-denied',
        anonymous ? 'the server refused the unauthenticated Identify (401)' : '401 after a completed handshake: the server no longer knows this connection',
        { status: 401 },
      );
    }
    const ct = getHeader(res.headers, 'content-type');
    if (this.krb && isKerberosEncrypted(ct)) {
      try {
        return { status: res.status, xml: Buffer.from(openKerberos(this.krb, ct!, res.body)).toString('utf8') };
      } catch (e) {
        this.drop();
        throw new WinrmClientError('protocol', `the response could not be decrypted (Kerberos): ${(e as Error).message}`, { status: res.status });
      }
    }
    let body = res.body;
    if (isCredSspEncryptedContentType(ct)) return this.readCredSsp(res, ct!);
    if (isEncryptedContentType(ct)) {
      if (!this.ntlm) throw new WinrmClientError('protocol', 'an encrypted response on a connection without an NTLM session', { status: res.status });
      try {
        body = decryptSoap(this.ntlm, ct!, res.body);
      } catch (e) {
        this.drop();
        throw new WinrmClientError('protocol', `the response could not be decrypted: ${(e as Error).message}`, { status: res.status });
      }
    }
    return { status: res.status, xml: utf8Text(body) };
  }

  private async readCredSsp(res: HttpResponse, ct: string): Promise<CallResult> {
    if (!this.credssp) throw new WinrmClientError('protocol', 'a CredSSP-encrypted response on a connection without a CredSSP session', { status: res.status });
    let body: Uint8Array;
    try {
      body = await decryptCredSsp(this.credssp, ct, res.body);
    } catch (e) {
      this.drop();
      throw new WinrmClientError('protocol', `the response could not be decrypted: ${(e as Error).message}`, { status: res.status });
    }
    return { status: res.status, xml: utf8Text(body) };
  }
}

/** An empty POST carrying one authentication leg. */
function authLeg(authorization: string): OutgoingMessage {
  return { method: 'POST', headers: [{ name: 'Authorization', value: authorization }], body: EMPTY_BYTES };
}

/** A sealed envelope: its Content-Type names the encryption (MS-WSMV §2.2.9.1). */
function sealedMessage(contentType: string, body: Uint8Array): OutgoingMessage {
  return { method: 'POST', headers: [{ name: 'Content-Type', value: contentType }], body };
}

// As Buffer#toString('utf8') reads (a BOM kept, bad sequences as U+FFFD), without a Buffer view per body.
const UTF8_DECODER = new TextDecoder('utf-8', { ignoreBOM: true });

function utf8Text(body: Uint8Array): string {
  return UTF8_DECODER.decode(body);
}
