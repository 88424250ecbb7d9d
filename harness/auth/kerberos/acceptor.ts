// The Kerberos acceptor (the WinRM server's side): decrypts the ticket with the service key
// (keytab or password), checks the ticket times, the authenticator (same client, clock skew,
// replay cache, 0x8003 checksum) and answers an AP-REP for mutual authentication
// (RFC 4120 §3.2.3-§3.2.4, RFC 4121 §4.1). Tokens come raw (krb5 OID) or inside SPNEGO.
import type { RandomSource } from '../random.ts';
import { buildNegTokenResp, OID_KERBEROS, OID_MS_KERBEROS, parseNegotiateToken, OID_SPNEGO } from '../spnego.ts';
import { decodeOid, readTlv, TAG } from '../der.ts';
import { bit } from './asn1.ts';
import { decrypt, encrypt, randomKey, stringToKey, SUPPORTED_ETYPES, type EncryptionKey } from './crypto/enctype.ts';
import { KerberosError, type KerberosErrorCode } from './errors.ts';
import { CKSUMTYPE_GSSAPI, channelBindingHash, decodeGssChecksum, frameGssToken, GSS_FLAG, TOK_AP_REP, TOK_AP_REQ, unframeGssToken } from './gss-token.ts';
import { parseKeytab, type KeytabEntry } from './keytab.ts';
import { decApReq, decAuthenticator, decEncTicketPart, encApRep, encEncApRepPart } from './messages.ts';
import { ReplayCache } from './replay-cache.ts';
import { KerberosSession } from './session.ts';
import { AP_OPT, principalText, splitRealm, USAGE } from './types.ts';
import { defaultSalt } from './kdc-exchange.ts';
import { bytesEqual } from '../bytes.ts';

export const DEFAULT_SKEW_MS = 5 * 60_000; // RFC 4120 §1.7 / MIT clockskew default

export interface KerberosAcceptorOptions {
  /** MIT keytab bytes, or the service's password (keys derived with the default salt). */
  keytab: Uint8Array | { principal: string; password: string; realm?: string; kvno?: number };
  random: RandomSource;
  now: () => number;
  /** Only tickets for these principals are accepted (default: every principal in the keytab). */
  services?: string[];
  skewMs?: number;
  /** Expected channel-binding application data; when set, the client's Bnd must match it. */
  channelBindings?: Uint8Array;
}

export type AcceptFailure = { ok: false; reason: string; code: KerberosErrorCode };
export type AcceptResult = { ok: true; client: string; service: string; reply: Uint8Array; session: KerberosSession; mutual: boolean } | AcceptFailure;

export class KerberosAcceptor {
  private readonly keys: KeytabEntry[];
  private readonly replay: ReplayCache;
  private readonly skew: number;

  constructor(private readonly opts: KerberosAcceptorOptions) {
    this.skew = opts.skewMs ?? DEFAULT_SKEW_MS;
    this.replay = new ReplayCache(this.skew);
    if (opts.keytab instanceof Uint8Array) this.keys = parseKeytab(opts.keytab);
    else {
      const { name, realm } = splitRealm(opts.keytab.principal, opts.keytab.realm);
      const full = `${name}@${realm}`;
      const salt = defaultSalt(realm, { nameType: 0, nameString: name.split('/') });
      const password = opts.keytab.password;
      const kvno = opts.keytab.kvno ?? 1;
      this.keys = SUPPORTED_ETYPES.map((etype) => ({ principal: full, nameType: 2, timestamp: 0, kvno, key: stringToKey(etype, password, salt) }));
    }
    if (opts.services) {
      const allowed = new Set(opts.services);
      this.keys = this.keys.filter((k) => allowed.has(k.principal) || allowed.has(k.principal.slice(0, k.principal.lastIndexOf('@'))));
    }
  }

  /** The principals this acceptor holds keys for. */
  get principals(): string[] {
    return [...new Set(this.keys.map((k) => k.principal))];
  }

  /** Accepts a Negotiate/Kerberos token: a raw krb5 GSS token or SPNEGO NegTokenInit carrying one. */
  accept(token: Uint8Array): AcceptResult {
    try {
      return this.acceptOrThrow(token);
    } catch (e) {
      if (e instanceof KerberosError) return { ok: false, reason: e.message, code: e.code };
      throw e;
    }
  }

  private acceptOrThrow(token: Uint8Array): AcceptResult {
    const { krb5, spnegoMech } = unwrapSpnego(token);
    const { tokId, message } = unframeGssToken(krb5);
    if (tokId !== TOK_AP_REQ) throw new KerberosError('malformed', `expected an AP-REQ token (01 00), got ${tokId.toString(16).padStart(4, '0')}`);
    const apReq = decApReq(message);
    const now = this.opts.now();

    // The ticket: is it for us (§3.2.3 KRB_AP_ERR_NOT_US), do we have its key (BADKEYVER/NOKEY)?
    const sname = principalText(apReq.ticket.sname, apReq.ticket.realm);
    const candidates = this.keys.filter((k) => k.principal === sname);
    if (candidates.length === 0) throw new KerberosError('wrong-service', `ticket is for ${sname}, not for ${this.principals.join(', ') || 'any principal of this acceptor'}`);
    const enc = apReq.ticket.encPart;
    const entry = candidates.find((k) => k.key.etype === enc.etype && (enc.kvno === undefined || k.kvno === enc.kvno));
    if (!entry) throw new KerberosError('no-key', `no key for ${sname} with etype ${enc.etype} kvno ${enc.kvno ?? '-'}`);
    const ticket = decEncTicketPart(decrypt(entry.key, USAGE.TICKET, enc.cipher));

    // Ticket times (§3.2.3): KRB_AP_ERR_TKT_NYV / KRB_AP_ERR_TKT_EXPIRED.
    const start = ticket.starttime ?? ticket.authtime;
    if (start - now > this.skew) throw new KerberosError('not-yet-valid', 'ticket not yet valid');
    if (now - ticket.endtime > this.skew) throw new KerberosError('expired', `ticket expired at ${new Date(ticket.endtime).toISOString()}`);

    const authCipher = apReq.authenticator;
    if (authCipher.etype !== ticket.key.etype) throw new KerberosError('integrity', 'authenticator etype differs from the session key');
    const auth = decAuthenticator(decrypt(ticket.key, USAGE.AP_REQ_AUTHENTICATOR, authCipher.cipher));
    const client = principalText(auth.cname, auth.crealm);
    if (client !== principalText(ticket.cname, ticket.crealm)) throw new KerberosError('bad-principal', 'authenticator client differs from the ticket client');
    const ctimeMs = auth.ctime + Math.floor(auth.cusec / 1000);
    if (Math.abs(ctimeMs - now) > this.skew) throw new KerberosError('skew', 'authenticator time outside the allowed clock skew');
    if (!this.replay.check(client, auth.ctime, auth.cusec, authCipher.cipher, now)) throw new KerberosError('replay', 'authenticator replayed');

    // RFC 4121 §4.1.1: the 0x8003 checksum carries the GSS flags and the channel bindings.
    let flags = 0;
    if (auth.cksum) {
      if (auth.cksum.cksumtype !== CKSUMTYPE_GSSAPI) throw new KerberosError('malformed', `authenticator checksum type ${auth.cksum.cksumtype}, expected 0x8003`);
      const c = decodeGssChecksum(auth.cksum.checksum);
      flags = c.flags;
      if (this.opts.channelBindings && !bytesEqual(c.bnd, channelBindingHash(this.opts.channelBindings))) {
        throw new KerberosError('integrity', 'channel bindings do not match');
      }
    } else throw new KerberosError('malformed', 'authenticator without the GSS checksum');

    const mutual = (apReq.apOptions & bit(AP_OPT.MUTUAL_REQUIRED)) !== 0 || (flags & GSS_FLAG.MUTUAL) !== 0;
    const initiatorKey: EncryptionKey = auth.subkey ?? ticket.key;
    const initiatorSeq = auth.seqNumber ?? 0;
    let reply: Uint8Array = new Uint8Array(0);
    let session: KerberosSession;
    if (mutual) {
      // The acceptor subkey (RFC 4121 §2): a fresh key of the session key's etype, used both ways.
      const subkey = randomKey(ticket.key.etype, this.opts.random);
      const sb = this.opts.random.bytes(4);
      const mySeq = ((sb[0] << 24) | (sb[1] << 16) | (sb[2] << 8) | sb[3]) & 0x3fffffff;
      const part = encEncApRepPart({ ctime: auth.ctime, cusec: auth.cusec, subkey, seqNumber: mySeq });
      const apRep = encApRep({ etype: ticket.key.etype, cipher: encrypt(ticket.key, USAGE.AP_REP_ENC_PART, part, this.opts.random) });
      reply = frameGssToken(TOK_AP_REP, apRep);
      session = new KerberosSession({ role: 'acceptor', key: subkey, acceptorSubkey: true, sendSeq: mySeq, recvSeq: initiatorSeq, client, service: sname, flags, random: this.opts.random });
    } else {
      session = new KerberosSession({ role: 'acceptor', key: initiatorKey, acceptorSubkey: false, sendSeq: initiatorSeq, recvSeq: initiatorSeq, client, service: sname, flags, random: this.opts.random });
    }
    if (spnegoMech) reply = buildNegTokenResp({ negState: 'accept-completed', supportedMech: spnegoMech, responseToken: reply.length ? reply : undefined });
    return { ok: true, client, service: sname, reply, session, mutual };
  }
}

/** A raw krb5 token passes through; SPNEGO NegTokenInit yields its krb5 mechToken and the mech to name. */
function unwrapSpnego(token: Uint8Array): { krb5: Uint8Array; spnegoMech?: string } {
  let oid: string | undefined;
  try {
    const outer = readTlv(token, 0);
    const mech = outer.tag === TAG.APPLICATION_0 ? readTlv(outer.value, 0) : undefined;
    oid = mech?.tag === TAG.OID ? decodeOid(mech.value) : undefined;
  } catch {
    throw new KerberosError('malformed', 'token is not a GSS-API token');
  }
  if (oid !== OID_SPNEGO) return { krb5: token };
  let t;
  try {
    t = parseNegotiateToken(token);
  } catch (e) {
    throw new KerberosError('malformed', `SPNEGO: ${(e as Error).message}`);
  }
  if (t.kind !== 'neg-token-init') throw new KerberosError('malformed', 'SPNEGO token is not a NegTokenInit');
  const first = t.mechTypes[0];
  if (first !== OID_KERBEROS && first !== OID_MS_KERBEROS) throw new KerberosError('malformed', `SPNEGO prefers ${first ?? 'nothing'}, not Kerberos`);
  if (!t.mechToken) throw new KerberosError('malformed', 'SPNEGO NegTokenInit without an optimistic Kerberos token');
  return { krb5: t.mechToken, spnegoMech: first };
}
