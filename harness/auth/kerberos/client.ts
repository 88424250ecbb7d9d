// The Kerberos initiator: AS and TGS exchanges with a KDC, then the GSS-API initial context
// token carrying the AP-REQ with mutual authentication (RFC 4121 §4.1), then verification of
// the acceptor's AP-REP. Randomness and the clock are injected: the simulator passes a seeded
// source and its virtual clock; real runs pass crypto.randomBytes and Date.now.
import type { RandomSource } from '../random.ts';
import { buildNegTokenInit, OID_KERBEROS, parseNegotiateToken } from '../spnego.ts';
import { bit } from './asn1.ts';
import { decrypt, encrypt, randomKey } from './crypto/enctype.ts';
import { KerberosError } from './errors.ts';
import { frameGssToken, CKSUMTYPE_GSSAPI, encodeGssChecksum, GSS_FLAG, TOK_AP_REP, TOK_KRB_ERROR, unframeGssToken } from './gss-token.ts';
import { asExchange, tgsExchange, type Credential } from './kdc-exchange.ts';
import { tcpKdcSend, type KdcAddress, type KdcSend } from './kdc-transport.ts';
import { decApRep, decEncApRepPart, decKrbError, encApReq, encAuthenticator } from './messages.ts';
import { KerberosSession } from './session.ts';
import { AP_OPT, principalText, splitRealm, USAGE, type EncryptionKey } from './types.ts';

export interface KerberosClientOptions {
  principal: string; // "wpc-user" or "wpc-user@WPC.TEST"
  password: string;
  realm?: string; // default: the principal's realm
  kdc: KdcAddress | KdcSend;
  service: string; // "HTTP/localhost"
  random: RandomSource;
  now: () => number; // ms
  /** GSS flags requested (default mutual + sequence + confidentiality + integrity, as pykerberos). */
  flags?: number;
  /** Wrap the token in SPNEGO (NegTokenInit with the krb5 mechanism), as Windows clients do. */
  spnego?: boolean;
  /** Channel-binding application data (e.g. "tls-server-end-point:" + hash) for HTTPS. */
  channelBindings?: Uint8Array;
}

export const DEFAULT_GSS_FLAGS = GSS_FLAG.MUTUAL | GSS_FLAG.SEQUENCE | GSS_FLAG.CONF | GSS_FLAG.INTEG;

export class KerberosClient {
  private readonly opts: KerberosClientOptions;
  private readonly user: string;
  private readonly realm: string;
  private readonly send: KdcSend;
  private tgt?: Credential;
  private serviceTicket?: Credential;
  private pending?: { ctime: number; cusec: number; subkey: EncryptionKey; seq: number; flags: number };
  private established?: KerberosSession;

  constructor(opts: KerberosClientOptions) {
    this.opts = opts;
    const { name, realm } = splitRealm(opts.principal, opts.realm);
    this.user = name;
    this.realm = opts.realm ?? realm;
    this.send = typeof opts.kdc === 'function' ? opts.kdc : tcpKdcSend(opts.kdc);
  }

  /** The service ticket's credential (after initSecContext). */
  get credential(): Credential | undefined {
    return this.serviceTicket;
  }

  /** Gets tickets if needed and returns the GSS token with the AP-REQ (mutual authentication). */
  async initSecContext(): Promise<Uint8Array> {
    const ctx = { send: this.send, random: this.opts.random, now: this.opts.now };
    const now = this.opts.now();
    if (!this.tgt || this.tgt.endtime <= now) this.tgt = await asExchange(ctx, this.user, this.realm, this.opts.password);
    if (!this.serviceTicket || this.serviceTicket.endtime <= now) this.serviceTicket = await tgsExchange(ctx, this.tgt, this.opts.service, this.realm);
    const token = this.buildApReq(this.serviceTicket);
    return this.opts.spnego ? buildNegTokenInit([OID_KERBEROS], token) : token;
  }

  private buildApReq(cred: Credential): Uint8Array {
    const flags = this.opts.flags ?? DEFAULT_GSS_FLAGS;
    const now = this.opts.now();
    const subkey = randomKey(cred.key.etype, this.opts.random);
    const seqBytes = this.opts.random.bytes(4);
    const seq = ((seqBytes[0] << 24) | (seqBytes[1] << 16) | (seqBytes[2] << 8) | seqBytes[3]) & 0x3fffffff;
    const cusec = (now % 1000) * 1000;
    const authenticator = encAuthenticator({
      crealm: cred.crealm,
      cname: cred.client,
      cksum: { cksumtype: CKSUMTYPE_GSSAPI, checksum: encodeGssChecksum(flags, this.opts.channelBindings) },
      cusec,
      ctime: now,
      subkey,
      seqNumber: seq,
    });
    const apReq = encApReq({
      apOptions: flags & GSS_FLAG.MUTUAL ? bit(AP_OPT.MUTUAL_REQUIRED) : 0,
      ticketBytes: cred.ticketBytes,
      authenticator: { etype: cred.key.etype, cipher: encrypt(cred.key, USAGE.AP_REQ_AUTHENTICATOR, authenticator, this.opts.random) },
    });
    this.pending = { ctime: now, cusec, subkey, seq, flags };
    this.established = undefined;
    if (!(flags & GSS_FLAG.MUTUAL)) this.established = this.makeSession(cred, subkey, false, seq, seq, flags);
    return frameGssToken(0x0100, apReq);
  }

  /** Verifies the acceptor's AP-REP (mutual authentication) and establishes the session. */
  acceptReply(token: Uint8Array): void {
    const cred = this.serviceTicket;
    const p = this.pending;
    if (!cred || !p) throw new KerberosError('state', 'acceptReply before initSecContext');
    let inner = token;
    if (token[0] === 0xa1) {
      // SPNEGO NegTokenResp: the AP-REP is its responseToken.
      const resp = parseNegotiateToken(token);
      if (resp.kind !== 'neg-token-resp' || !resp.responseToken) throw new KerberosError('mutual-failed', 'SPNEGO answer without a response token');
      if (resp.negState === 'reject') throw new KerberosError('mutual-failed', 'the acceptor rejected the context');
      inner = resp.responseToken;
    }
    const { tokId, message } = unframeGssToken(inner);
    if (tokId === TOK_KRB_ERROR) {
      const e = decKrbError(message);
      throw new KerberosError('mutual-failed', `the acceptor answered KRB-ERROR ${e.errorCode}${e.eText ? `: ${e.eText}` : ''}`, e.errorCode);
    }
    if (tokId !== TOK_AP_REP) throw new KerberosError('malformed', `expected an AP-REP token, got TOK_ID ${tokId.toString(16)}`);
    const enc = decApRep(message);
    let part;
    try {
      part = decEncApRepPart(decrypt(cred.key, USAGE.AP_REP_ENC_PART, enc.cipher));
    } catch (e) {
      if (e instanceof KerberosError) throw new KerberosError('mutual-failed', `AP-REP: ${e.message}`);
      throw e;
    }
    // RFC 4120 §3.2.5: the AP-REP must echo our authenticator's time.
    if (Math.floor(part.ctime / 1000) !== Math.floor(p.ctime / 1000) || part.cusec !== p.cusec) {
      throw new KerberosError('mutual-failed', 'AP-REP does not echo the authenticator time');
    }
    const acceptorSubkey = part.subkey !== undefined;
    const key = part.subkey ?? p.subkey;
    this.established = this.makeSession(cred, key, acceptorSubkey, p.seq, part.seqNumber ?? p.seq, p.flags);
    this.pending = undefined;
  }

  private makeSession(cred: Credential, key: EncryptionKey, acceptorSubkey: boolean, sendSeq: number, recvSeq: number, flags: number): KerberosSession {
    return new KerberosSession({
      role: 'initiator',
      key,
      acceptorSubkey,
      sendSeq,
      recvSeq,
      client: principalText(cred.client, cred.crealm),
      service: cred.server,
      flags,
      random: this.opts.random,
    });
  }

  get complete(): boolean {
    return this.established !== undefined;
  }

  get session(): KerberosSession {
    if (!this.established) throw new KerberosError('state', 'the Kerberos context is not established yet');
    return this.established;
  }
}
