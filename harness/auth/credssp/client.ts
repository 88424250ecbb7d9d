// The CredSSP initiator, MS-CSSP §3.1.5, for ONE HTTP connection. Each step() takes the token
// of the server's `WWW-Authenticate: CredSSP <base64>` (none on the first call) and gives the
// token for the next `Authorization: CredSSP <base64>`. With TLS 1.2 (the default, as
// requests-credssp negotiates) the legs are:
//
//   1  ClientHello                                   → ServerHello … ServerHelloDone
//   2  ClientKeyExchange, ChangeCipherSpec, Finished → ChangeCipherSpec, Finished
//   3  TSRequest{negoTokens: NTLM NEGOTIATE}         → TSRequest{negoTokens: NTLM CHALLENGE}
//   4  TSRequest{negoTokens: NTLM AUTHENTICATE,      → TSRequest{pubKeyAuth: server binding}
//                pubKeyAuth, clientNonce}
//   5  TSRequest{authInfo: TSCredentials}            → (the HTTP answer itself; no token)
//
// With Kerberos inside SPNEGO (option `kerberos`, kerberos-mech.ts) legs 3-4 are instead:
//   3  TSRequest{negoTokens: NegTokenInit{krb5,      → TSRequest{negoTokens: NegTokenResp{
//                AP-REQ}}                                accept-completed, AP-REP}}
//   4  TSRequest{pubKeyAuth, clientNonce}            → TSRequest{pubKeyAuth}
// still five legs; pubKeyAuth and authInfo are then RFC 4121 wrap tokens (gss-wrap.ts).
//
// From leg 3 on every TSRequest is TLS application data. With TLS 1.3 the client's Finished
// rides with leg 3's TSRequest, so there are 4 legs.
import { bytesEqual, concatBytes } from '../bytes.ts';
import { NtlmClient } from '../ntlm/client.ts';
import type { RandomSource } from '../random.ts';
import { buildNegTokenResp, extractNtlm, OID_NTLMSSP, parseNegotiateToken, wrapInitiatorToken, type TokenStyle } from '../spnego.ts';
import { CredSspError, toCredSspError } from './errors.ts';
import { nodeTls } from './node-tls.ts';
import { clientPubKeyAuth, serverPubKeyAuth } from './pub-key-auth.ts';
import { signMechList, verifyMechList } from './mech-list-mic.ts';
import { kerberosWrap, ntlmWrap, type InnerMechanism, type InnerWrap } from './gss-wrap.ts';
import { asSpnegoInit, type KerberosInitiatorMech } from './kerberos-mech.ts';
import { CredSspTls } from './tls-channel.ts';
import type { TlsEngineFactory } from './tls-engine.ts';
import { encodePasswordCredentials, type PasswordCreds } from './ts-credentials.ts';
import { CREDSSP_VERSION, decodeTsRequest, encodeTsRequest, NONCE_LENGTH, type TsRequest } from './ts-request.ts';

export interface CredSspClientOptions {
  user: string;
  password: string;
  domain?: string;
  random: RandomSource;
  /** The TLS layer; default node:tls (nodeTls()). */
  tls?: TlsEngineFactory;
  /**
   * How NTLM travels in negoTokens: 'raw' NTLMSSP (requests-credssp 0.x/1.x; Windows accepts it)
   * or 'spnego' NegTokenInit/NegTokenResp. Default 'raw'.
   */
  tokenStyle?: TokenStyle;
  /**
   * With 'spnego': send a mechListMIC with the NTLM AUTHENTICATE, as requests-credssp 2.x
   * (pyspnego) does (MS-SPNG §3.3.5.1; mech-list-mic.ts). Default false.
   */
  mechListMic?: boolean;
  /** TSRequest.version to announce; default 6. Versions below 5 use the pre-nonce binding. */
  version?: number;
  /** For an NTLM CHALLENGE without MsvAvTimestamp. */
  nowFiletime?: () => bigint;
  workstation?: string;
  /**
   * What goes into TSPasswordCreds; default the authenticating user's own. Another value
   * models a misbehaving client (the server must refuse it).
   */
  delegate?: PasswordCreds;
  /**
   * Kerberos instead of NTLM inside SPNEGO (MS-CSSP §3.1.5): the initiator (e.g. a
   * KerberosClient for the server's HTTP/<host> principal). `tokenStyle` and `mechListMic` are
   * NTLM-only and ignored then.
   */
  kerberos?: KerberosInitiatorMech;
}

type Phase = 'start' | 'tls' | 'negotiate' | 'kerberos' | 'authenticate' | 'done' | 'failed';

export interface ClientStep {
  token?: Uint8Array;
  done: boolean;
}

export class CredSspClient {
  /** The CredSSP TLS session, for message encryption once done (harness/encryption/credssp.ts). */
  readonly tls: CredSspTls;
  #opts: CredSspClientOptions;
  #style: TokenStyle;
  #version: number;
  #ntlm: NtlmClient;
  #phase: Phase = 'start';
  #error?: CredSspError;
  #negotiated = 0;
  #nonce?: Uint8Array;
  #serverKey?: Uint8Array;
  #legs = 0;
  /** The inner context's GSS_WrapEx once established (NTLM or Kerberos). */
  #wrap?: InnerWrap;

  constructor(opts: CredSspClientOptions) {
    this.#opts = opts;
    this.#style = opts.tokenStyle ?? 'raw';
    this.#version = opts.version ?? CREDSSP_VERSION;
    this.tls = new CredSspTls((opts.tls ?? nodeTls()).client());
    this.#ntlm = new NtlmClient({
      user: opts.user,
      password: opts.password,
      domain: opts.domain ?? '',
      random: opts.random,
      ...(opts.nowFiletime ? { nowFiletime: opts.nowFiletime } : {}),
      ...(opts.workstation !== undefined ? { workstation: opts.workstation } : {}),
    });
  }

  /** Tokens sent so far (one per HTTP request that carried `Authorization: CredSSP`). */
  get legs(): number {
    return this.#legs;
  }
  get done(): boolean {
    return this.#phase === 'done';
  }
  /** The inner mechanism this client uses. */
  get mechanism(): InnerMechanism {
    return this.#opts.kerberos ? 'kerberos' : 'ntlm';
  }
  /** The version both sides use: min(ours, the server's), known from leg 3's answer on. */
  get negotiatedVersion(): number {
    return this.#negotiated;
  }

  /** Throws CredSspError; after a failure every further call throws the same error. */
  async step(inToken?: Uint8Array): Promise<ClientStep> {
    if (this.#error) throw this.#error;
    try {
      const r = await this.#step(inToken);
      if (r.token) this.#legs++;
      return r;
    } catch (e) {
      this.#error = toCredSspError(e);
      this.#phase = 'failed';
      this.tls.close();
      throw this.#error;
    }
  }

  async #step(inToken: Uint8Array | undefined): Promise<ClientStep> {
    const engine = this.tls.engine;
    switch (this.#phase) {
      case 'start': {
        if (inToken && inToken.length > 0) throw new CredSspError('out-of-order', 'the server sent a token before the ClientHello');
        await engine.start();
        this.#tlsCheck();
        this.#phase = 'tls';
        return { token: engine.takeOutput(), done: false };
      }
      case 'tls': {
        const input = need(inToken, 'a TLS handshake token');
        await engine.receive(input);
        this.#tlsCheck();
        const out = engine.takeOutput();
        if (engine.state !== 'established') {
          if (out.length === 0) throw new CredSspError('tls-incomplete', 'the server token left the TLS handshake where it was (cut mid-way?)');
          return { token: out, done: false };
        }
        // Handshake done (MS-CSSP §3.1.5 step 1): start the inner authentication (step 2).
        this.#serverKey = engine.serverPublicKey();
        if (this.#opts.kerberos) {
          // The KDC exchanges (AS, TGS) happen here, before the first TSRequest.
          const apReq = asSpnegoInit(await this.#opts.kerberos.initSecContext());
          const records = await this.tls.wrap(encodeTsRequest({ version: this.#version, negoTokens: [apReq] }));
          this.#phase = 'kerberos';
          return { token: concatBytes(out, records), done: false };
        }
        const negotiate = wrapInitiatorToken(this.#style, this.#ntlm.negotiate(), true);
        const records = await this.tls.wrap(encodeTsRequest({ version: this.#version, negoTokens: [negotiate] }));
        this.#phase = 'negotiate';
        return { token: concatBytes(out, records), done: false };
      }
      case 'negotiate': {
        const req = await this.#receive(inToken);
        this.#negotiated = Math.min(req.version, this.#version);
        const challenge = this.#ntlmFrom(req, 'NTLM CHALLENGE');
        const type3 = this.#ntlm.authenticate(challenge);
        // MS-SPNG §3.3.5.1: the MIC takes outgoing seq 0; pubKeyAuth below is sealed with seq 1.
        const authenticate =
          this.#style === 'spnego' && this.#opts.mechListMic
            ? buildNegTokenResp({ responseToken: type3, mechListMIC: signMechList(this.#ntlm.session, MECH_TYPES) })
            : wrapInitiatorToken(this.#style, type3, false);
        // Steps 2-3: the last NTLM token goes with pubKeyAuth, sealed with the new session.
        this.#wrap = ntlmWrap(this.#ntlm.session);
        return this.#sendPubKeyAuth(authenticate);
      }
      case 'kerberos': {
        // RFC 4178 §4.2.2: NegTokenResp{accept-completed, supportedMech krb5, AP-REP}. The AP-REP
        // must verify (mutual authentication, RFC 4121 §4.1) before the key binding is sent.
        const req = await this.#receive(inToken);
        this.#negotiated = Math.min(req.version, this.#version);
        const tok = req.negoTokens?.[0];
        if (!tok) throw new CredSspError('out-of-order', 'expected the Kerberos AP-REP in negoTokens');
        const krb = this.#opts.kerberos!;
        krb.acceptReply(tok);
        this.#wrap = kerberosWrap(krb.session);
        return this.#sendPubKeyAuth(undefined);
      }
      case 'authenticate': {
        const req = await this.#receive(inToken);
        if (req.negoTokens?.length) this.#checkFinalSpnego(req.negoTokens[0]);
        if (!req.pubKeyAuth) throw new CredSspError('out-of-order', 'the server answered without pubKeyAuth');
        // Step 4: the server proves it holds the key of the TLS session we ran.
        const got = this.#wrap!.unwrap(req.pubKeyAuth, 'pubKeyAuth');
        const want = serverPubKeyAuth(this.#negotiated, this.#serverKey!, this.#nonce);
        if (!bytesEqual(got, want)) {
          throw new CredSspError('pubkey-mismatch', "the server's pubKeyAuth is not over the TLS key this client saw (intercepted TLS?)");
        }
        // Step 5: delegate the credentials.
        const creds = this.#opts.delegate ?? this.#ownCredentials();
        const authInfo = this.#wrap!.wrap(encodePasswordCredentials(creds));
        this.#phase = 'done';
        return { token: await this.tls.wrap(encodeTsRequest({ version: this.#version, authInfo })), done: true };
      }
      case 'done': {
        // The exchange is over; a token now can only be an error report (errorCode).
        if (!inToken || inToken.length === 0) return { done: true };
        await this.#receive(inToken);
        throw new CredSspError('out-of-order', 'a CredSSP token after the credentials were sent');
      }
      case 'failed':
        throw this.#error!;
    }
  }

  /**
   * TSPasswordCreds for the authenticated account (§2.2.1.2.1). With Kerberos and no domain, the
   * user is named by the client principal as a UPN with an empty domain (as requests-credssp
   * sends `user@REALM`), so the server can match it to the ticket's client.
   */
  #ownCredentials(): PasswordCreds {
    const { domain, user, password } = this.#opts;
    if (this.#opts.kerberos && !domain) return { domain: '', user: this.#opts.kerberos.session.client, password };
    return { domain: domain ?? '', user, password };
  }

  // §3.1.5 step 3: pubKeyAuth (and the clientNonce from version 5) with the inner context's wrap.
  async #sendPubKeyAuth(negoToken: Uint8Array | undefined): Promise<ClientStep> {
    if (this.#negotiated >= 5) this.#nonce = this.#opts.random.bytes(NONCE_LENGTH);
    const pubKeyAuth = this.#wrap!.wrap(clientPubKeyAuth(this.#negotiated, this.#serverKey!, this.#nonce));
    const out: TsRequest = { version: this.#version, pubKeyAuth };
    if (negoToken) out.negoTokens = [negoToken];
    if (this.#nonce) out.clientNonce = this.#nonce;
    this.#phase = 'authenticate';
    return { token: await this.tls.wrap(encodeTsRequest(out)), done: false };
  }

  /** Unwraps and decodes the server's TSRequest; its errorCode becomes a 'peer-error'. */
  async #receive(inToken: Uint8Array | undefined): Promise<TsRequest> {
    const plain = await this.tls.unwrap(need(inToken, 'a TSRequest'));
    if (plain.length === 0) throw new CredSspError('malformed', 'the token carried no TSRequest');
    const req = decodeTsRequest(plain);
    if (req.errorCode !== undefined) {
      throw new CredSspError('peer-error', `the server reported 0x${req.errorCode.toString(16).padStart(8, '0')}`, { status: req.errorCode });
    }
    return req;
  }

  #ntlmFrom(req: TsRequest, what: string): Uint8Array {
    const tok = req.negoTokens?.[0];
    if (!tok) throw new CredSspError('out-of-order', `expected ${what} in negoTokens`);
    const { ntlm } = extractNtlm(parseNegotiateToken(tok));
    if (!ntlm) throw new CredSspError('out-of-order', `no NTLM message where ${what} was expected`);
    return ntlm;
  }

  // RFC 4178 §5: the acceptor's last NegTokenResp; its mechListMIC (incoming seq 0) is verified
  // before the server's pubKeyAuth (seq 1) is unsealed.
  #checkFinalSpnego(tok: Uint8Array): void {
    const t = parseNegotiateToken(tok);
    if (t.kind !== 'neg-token-resp') return;
    if (t.negState === 'reject') throw new CredSspError('logon-failure', 'the server rejected the SPNEGO exchange');
    if (this.#opts.kerberos) return; // the Kerberos exchange ended with the AP-REP; no MIC (kerberos README)
    if (t.mechListMIC) verifyMechList(this.#ntlm.session, MECH_TYPES, t.mechListMIC);
  }

  #tlsCheck(): void {
    const e = this.tls.engine;
    if (e.state === 'failed') throw new CredSspError('tls-failed', `TLS: ${e.failure ?? 'failed'}`);
  }
}

/** What wrapInitiatorToken offers in the NegTokenInit: NTLMSSP alone. */
const MECH_TYPES = [OID_NTLMSSP];

function need(t: Uint8Array | undefined, what: string): Uint8Array {
  if (!t || t.length === 0) throw new CredSspError('out-of-order', `expected ${what} from the server, got none`);
  return t;
}
