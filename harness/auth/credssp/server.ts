// The CredSSP acceptor, MS-CSSP §3.1.5, for ONE HTTP connection (the legs are listed in
// client.ts). step() takes the token of `Authorization: CredSSP <base64>` and gives the token
// for `WWW-Authenticate: CredSSP <base64>`, until `done`: then `result` says who logged on, or
// why not. It never throws: every bad input is a typed failure, answered (when the TLS session
// is up and the version has errorCode, §2.2.1) with a TSRequest carrying an NTSTATUS.
// The inner mechanism is chosen by the client's first negoToken (MS-CSSP §3.1.5, RFC 4178):
// SPNEGO (or a raw token) preferring Kerberos goes to the `kerberos` acceptor when one is
// configured, everything else to NTLM.
import { bytesEqual, concatBytes } from '../bytes.ts';
import { NtlmServer, type NtlmRejectReason } from '../ntlm/server.ts';
import { ntHash } from '../ntlm/ntlmv2.ts';
import type { UserDb } from '../ntlm/user-db.ts';
import type { RandomSource } from '../random.ts';
import { buildNegTokenResp, extractNtlm, parseNegotiateToken, wrapAcceptorToken, type TokenStyle } from '../spnego.ts';
import { isNtlmssp, MessageType } from '../ntlm/fields.ts';
import type { TlsIdentity } from '../../net/types.ts';
import { CredSspError, statusFor, toCredSspError, type CredSspFailureReason } from './errors.ts';
import { nodeTls } from './node-tls.ts';
import { clientPubKeyAuth, serverPubKeyAuth } from './pub-key-auth.ts';
import { signMechList, verifyMechList } from './mech-list-mic.ts';
import type { KerberosAcceptor } from '../kerberos/acceptor.ts';
import type { KerberosErrorCode } from '../kerberos/errors.ts';
import { kerberosWrap, ntlmWrap, type InnerMechanism, type InnerWrap } from './gss-wrap.ts';
import { prefersKerberos } from './kerberos-mech.ts';
import { CredSspTls } from './tls-channel.ts';
import type { TlsEngineFactory } from './tls-engine.ts';
import { CredType, decodePasswordCreds, decodeTsCredentials } from './ts-credentials.ts';
import { CREDSSP_VERSION, decodeTsRequest, encodeTsRequest, NONCE_LENGTH, type TsRequest } from './ts-request.ts';

export interface CredSspServerOptions {
  identity: TlsIdentity;
  users: UserDb;
  random: RandomSource;
  /** Windows FILETIME for the NTLM CHALLENGE's MsvAvTimestamp. */
  nowFiletime: () => bigint;
  /** The TLS layer; default node:tls (nodeTls()). */
  tls?: TlsEngineFactory;
  computerName?: string;
  domain?: string;
  /** Lowest TSRequest.version accepted; default 2 (every version). 5 refuses pre-CVE-2018-0886 clients. */
  minVersion?: number;
  /**
   * Kerberos inside SPNEGO (MS-CSSP §3.1.5): the service's acceptor (keys for HTTP/<host>); its
   * replay cache spans connections, so pass the server's one. Without it only NTLM is accepted.
   */
  kerberos?: KerberosAcceptor;
}

export type CredSspResult =
  | { ok: true; user: string; domain: string }
  | { ok: false; reason: CredSspFailureReason; detail: string; ntlm?: NtlmRejectReason; kerberos?: KerberosErrorCode };

export interface ServerStep {
  token?: Uint8Array;
  done: boolean;
  result?: CredSspResult;
}

type Phase = 'tls' | 'negotiate' | 'authenticate' | 'credentials' | 'done';

export class CredSspServer {
  /** The CredSSP TLS session, for message encryption once authenticated. */
  readonly tls: CredSspTls;
  #opts: CredSspServerOptions;
  #ntlm: NtlmServer;
  #phase: Phase = 'tls';
  #result?: CredSspResult;
  #version = 0;
  #style: TokenStyle = 'raw';
  #user?: { user: string; domain: string };
  /** The inner context's GSS_WrapEx once established (NTLM or Kerberos). */
  #wrap?: InnerWrap;
  #legs = 0;
  /** The mechTypes of the client's SPNEGO NegTokenInit: what a mechListMIC covers. */
  #mechTypes?: string[];

  constructor(opts: CredSspServerOptions) {
    this.#opts = opts;
    this.tls = new CredSspTls((opts.tls ?? nodeTls()).server(opts.identity));
    this.#ntlm = new NtlmServer({
      users: opts.users,
      random: opts.random,
      nowFiletime: opts.nowFiletime,
      ...(opts.computerName ? { computerName: opts.computerName } : {}),
      ...(opts.domain ? { domain: opts.domain } : {}),
    });
  }

  /** Tokens received so far (one per `Authorization: CredSSP` request). */
  get legs(): number {
    return this.#legs;
  }
  get result(): CredSspResult | undefined {
    return this.#result;
  }
  /** The inner mechanism, known from the first TSRequest on (for the audit log). */
  get mechanism(): InnerMechanism | undefined {
    return this.#wrap?.mechanism ?? this.#mechanism;
  }
  #mechanism?: InnerMechanism;

  async step(inToken: Uint8Array): Promise<ServerStep> {
    this.#legs++;
    if (this.#result) {
      if (this.#result.ok) return this.#fail(new CredSspError('out-of-order', 'a CredSSP token after the exchange completed'));
      return { done: true, result: this.#result };
    }
    try {
      return await this.#step(inToken);
    } catch (e) {
      return this.#fail(toCredSspError(e));
    }
  }

  /** Frees the TLS session (the connection closed). */
  close(): void {
    this.tls.close();
  }

  async #step(inToken: Uint8Array): Promise<ServerStep> {
    if (inToken.length === 0) throw new CredSspError('out-of-order', 'an empty CredSSP token');
    if (this.#phase === 'tls') {
      const engine = this.tls.engine;
      await engine.receive(inToken);
      if (engine.state === 'failed') throw new CredSspError('tls-failed', `TLS: ${engine.failure ?? 'failed'}`);
      const out = engine.takeOutput();
      if (engine.state !== 'established') {
        if (out.length === 0) throw new CredSspError('tls-incomplete', 'the token left the TLS handshake where it was (cut mid-way?)');
        return { token: out, done: false };
      }
      this.#phase = 'negotiate';
      // TLS 1.3: the client's Finished may come with its first TSRequest.
      const plain = engine.takePlaintext();
      if (plain.length === 0) return { token: out, done: false };
      const reply = await this.#onTsRequest(decodeTsRequest(plain));
      return { ...reply, token: concatBytes(out, reply.token ?? new Uint8Array(0)) };
    }
    const plain = await this.tls.unwrap(inToken);
    if (plain.length === 0) throw new CredSspError('malformed', 'the token carried no TSRequest');
    return this.#onTsRequest(decodeTsRequest(plain));
  }

  async #onTsRequest(req: TsRequest): Promise<ServerStep> {
    if (req.errorCode !== undefined) {
      throw new CredSspError('peer-error', `the client reported 0x${req.errorCode.toString(16).padStart(8, '0')}`, { status: req.errorCode });
    }
    switch (this.#phase) {
      case 'negotiate':
        return this.#onNegotiate(req);
      case 'authenticate':
        return this.#onAuthenticate(req);
      case 'credentials':
        return this.#onCredentials(req);
      default:
        throw new CredSspError('out-of-order', `a TSRequest in phase ${this.#phase}`);
    }
  }

  // §3.1.5 step 2: the NTLM NEGOTIATE, raw or in SPNEGO, answered in the client's style.
  async #onNegotiate(req: TsRequest): Promise<ServerStep> {
    const min = this.#opts.minVersion ?? 2;
    this.#version = Math.min(req.version, CREDSSP_VERSION);
    if (req.version < min) throw new CredSspError('unsupported-version', `TSRequest version ${req.version} is below ${min}`);
    const tok = this.#firstToken(req, 'NTLM NEGOTIATE');
    if (this.#opts.kerberos && prefersKerberos(tok)) return this.#onKerberos(tok);
    this.#mechanism = 'ntlm';
    const parsed = parseNegotiateToken(tok);
    if (parsed.kind === 'neg-token-init') this.#mechTypes = parsed.mechTypes;
    const { style, ntlm } = extractNtlm(parsed);
    this.#style = style;
    if (!ntlm) {
      // RFC 4178 §3.2: optimistic token for another mechanism; ask for NTLM (one more leg).
      return this.#reply({ version: CREDSSP_VERSION, negoTokens: [wrapAcceptorToken('spnego', undefined, 'accept-incomplete', true)] });
    }
    expectType(ntlm, MessageType.NEGOTIATE, 'NTLM NEGOTIATE');
    const challenge = this.#ntlm.acceptNegotiate(ntlm);
    this.#phase = 'authenticate';
    return this.#reply({ version: CREDSSP_VERSION, negoTokens: [wrapAcceptorToken(style, challenge, 'accept-incomplete', true)] });
  }

  // §3.1.5 step 2 with Kerberos: the AP-REQ (RFC 4121 §4.1) in NegTokenInit; the answer is the
  // acceptor's NegTokenResp{accept-completed, AP-REP}. Mutual authentication is required: the
  // client must be able to tell the server's Kerberos context from an impostor's.
  async #onKerberos(tok: Uint8Array): Promise<ServerStep> {
    this.#mechanism = 'kerberos';
    const r = this.#opts.kerberos!.accept(tok);
    if (!r.ok) throw new CredSspError('logon-failure', `Kerberos ${r.code}: ${r.reason}`, { kerberos: r.code });
    if (!r.mutual) throw new CredSspError('logon-failure', 'Kerberos AP-REQ without mutual authentication', { kerberos: 'mutual-failed' });
    const at = r.client.lastIndexOf('@');
    this.#user = { user: r.client.slice(0, at), domain: r.client.slice(at + 1) };
    this.#wrap = kerberosWrap(r.session);
    this.#phase = 'authenticate';
    return this.#reply({ version: CREDSSP_VERSION, negoTokens: [r.reply] });
  }

  // §3.1.5 steps 3-4: pubKeyAuth; verify the binding, answer with ours.
  async #onAuthenticate(req: TsRequest): Promise<ServerStep> {
    if (this.#wrap?.mechanism !== 'kerberos') return this.#onNtlmAuthenticate(req);
    // The Kerberos exchange finished with the AP-REP: no further SPNEGO token is expected (no
    // mechListMIC: the preferred mechanism was chosen, RFC 4178 §5).
    if (req.negoTokens?.length) throw new CredSspError('out-of-order', 'a negoToken after the Kerberos exchange completed');
    if (!req.pubKeyAuth) throw new CredSspError('out-of-order', 'a TSRequest without pubKeyAuth after the Kerberos AP-REP');
    return this.#reply(this.#bindKey(req));
  }

  // §3.1.5 steps 2-4: NTLM AUTHENTICATE with pubKeyAuth.
  async #onNtlmAuthenticate(req: TsRequest): Promise<ServerStep> {
    const parsed = parseNegotiateToken(this.#firstToken(req, 'NTLM AUTHENTICATE'));
    const mic = parsed.kind === 'neg-token-resp' ? parsed.mechListMIC : undefined;
    if (mic && !this.#mechTypes) throw new CredSspError('out-of-order', 'a mechListMIC without a SPNEGO NegTokenInit before it');
    const { ntlm } = extractNtlm(parsed);
    if (!ntlm) throw new CredSspError('out-of-order', 'no NTLM message where AUTHENTICATE was expected');
    expectType(ntlm, MessageType.AUTHENTICATE, 'NTLM AUTHENTICATE');
    if (!req.pubKeyAuth) throw new CredSspError('out-of-order', 'NTLM AUTHENTICATE without pubKeyAuth');
    this.#nonceOf(req);
    const r = this.#ntlm.acceptAuthenticate(ntlm);
    if (!r.ok) throw new CredSspError('logon-failure', `NTLM: ${r.reason}`, { ntlm: r.reason });
    this.#user = { user: r.user, domain: r.domain };
    this.#wrap = ntlmWrap(r.session);
    // MS-SPNG §3.3.5.1: the MIC (incoming seq 0) before pubKeyAuth (seq 1); answered with ours.
    if (mic) verifyMechList(r.session, this.#mechTypes!, mic);
    // Our MIC takes outgoing seq 0, before the pubKeyAuth answer (seq 1) that #bindKey seals.
    const ourMic = mic ? signMechList(r.session, this.#mechTypes!) : undefined;
    const out = this.#bindKey(req);
    if (this.#style === 'spnego') {
      out.negoTokens = [ourMic ? buildNegTokenResp({ negState: 'accept-completed', mechListMIC: ourMic }) : wrapAcceptorToken('spnego', undefined, 'accept-completed', false)];
    }
    return this.#reply(out);
  }

  /** §3.1.5: from version 5 the binding hash covers a 32-byte clientNonce. */
  #nonceOf(req: TsRequest): Uint8Array | undefined {
    if (this.#version < 5) return undefined;
    if (!req.clientNonce || req.clientNonce.length !== NONCE_LENGTH) {
      throw new CredSspError('missing-nonce', `version ${this.#version} needs a ${NONCE_LENGTH}-byte clientNonce`);
    }
    return req.clientNonce;
  }

  // §3.1.5 steps 3-4: the client's pubKeyAuth must be over this server's TLS key; the answer is
  // the server's own binding, wrapped with the same inner context.
  #bindKey(req: TsRequest): TsRequest {
    const nonce = this.#nonceOf(req);
    const key = this.tls.engine.serverPublicKey();
    const got = this.#wrap!.unwrap(req.pubKeyAuth!, 'pubKeyAuth');
    if (!bytesEqual(got, clientPubKeyAuth(this.#version, key, nonce))) {
      throw new CredSspError('pubkey-mismatch', "pubKeyAuth is not over this server's TLS key (the client's TLS was intercepted)");
    }
    this.#phase = 'credentials';
    return { version: CREDSSP_VERSION, pubKeyAuth: this.#wrap!.wrap(serverPubKeyAuth(this.#version, key, nonce)) };
  }

  // §3.1.5 step 5: TSCredentials; the delegated password must be the authenticated user's.
  async #onCredentials(req: TsRequest): Promise<ServerStep> {
    if (!req.authInfo) throw new CredSspError('out-of-order', 'a TSRequest without authInfo where the credentials were expected');
    const creds = decodeTsCredentials(this.#wrap!.unwrap(req.authInfo, 'authInfo'));
    if (creds.credType !== CredType.PASSWORD) throw new CredSspError('unsupported-credentials', `credType ${creds.credType} (only 1, password, is accepted)`);
    const p = decodePasswordCreds(creds.credentials);
    const who = this.#user!;
    if (!sameAccount(p, who, this.#wrap!.mechanism)) {
      throw new CredSspError('credentials-mismatch', 'the delegated credentials name another account than the one authenticated');
    }
    // Kerberos: the realm is the domain's DNS name; the user database may name it by its NetBIOS
    // name, conventionally the realm's first label (WPC.TEST → WPC).
    const domains = this.#wrap!.mechanism === 'kerberos' ? [who.domain, who.domain.split('.')[0]] : [who.domain];
    const account = domains.map((d) => this.#opts.users.lookup(who.user, d)).find((a) => a !== undefined);
    if (!account || !bytesEqual(account.ntHash, ntHash(p.password))) {
      throw new CredSspError('credentials-mismatch', 'the delegated password does not match the user database');
    }
    this.#phase = 'done';
    this.#result = { ok: true, user: who.user, domain: who.domain };
    return { done: true, result: this.#result };
  }

  #firstToken(req: TsRequest, what: string): Uint8Array {
    const tok = req.negoTokens?.[0];
    if (!tok) throw new CredSspError('out-of-order', `expected ${what} in negoTokens`);
    return tok;
  }

  async #reply(req: TsRequest): Promise<ServerStep> {
    return { token: await this.tls.wrap(encodeTsRequest(req)), done: false };
  }

  async #fail(e: CredSspError): Promise<ServerStep> {
    this.#phase = 'done';
    const result: CredSspResult = {
      ok: false,
      reason: e.reason,
      detail: e.message,
      ...(e.detail.ntlm ? { ntlm: e.detail.ntlm } : {}),
      ...(e.detail.kerberos ? { kerberos: e.detail.kerberos } : {}),
    };
    this.#result = result;
    let token: Uint8Array | undefined;
    const v = this.#version;
    // §2.2.1: errorCode exists in versions 3, 4 and 6+ (pyspnego sends none to 2 and 5); before
    // any TSRequest decoded (v = 0) the answer is in our own version, 6.
    if (this.tls.established && e.reason !== 'tls-failed' && (v === 0 || v === 3 || v === 4 || v >= 6)) {
      try {
        token = await this.tls.wrap(encodeTsRequest({ version: CREDSSP_VERSION, errorCode: statusFor(e.reason) }));
      } catch {
        token = undefined;
      }
    } else {
      const alert = this.tls.engine.takeOutput(); // a TLS alert, when the TLS layer wrote one
      if (alert.length > 0) token = alert;
    }
    this.tls.close();
    return token ? { token, done: true, result } : { done: true, result };
  }
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Whether delegated TSPasswordCreds name the account the inner mechanism authenticated. NTLM:
 * the same user and domain. Kerberos (principal user@REALM): `REALM\user`, the NetBIOS form
 * `REALM-first-label\user`, or the UPN `user@REALM` with an empty domain (requests-credssp
 * sends a UPN user name that way).
 */
function sameAccount(p: { user: string; domain: string }, who: { user: string; domain: string }, mech: InnerMechanism): boolean {
  if (mech === 'ntlm') return same(p.user, who.user) && same(p.domain, who.domain);
  if (p.domain === '') return same(p.user, `${who.user}@${who.domain}`);
  return same(p.user, who.user) && (same(p.domain, who.domain) || same(p.domain, who.domain.split('.')[0]));
}

function expectType(ntlm: Uint8Array, type: number, what: string): void {
  if (!isNtlmssp(ntlm) || ntlm[8] !== type) throw new CredSspError('out-of-order', `expected ${what}`);
}
