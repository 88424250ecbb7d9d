// A small in-process KDC for the deterministic simulator and unit tests: AS exchange with
// PA-ENC-TIMESTAMP preauth (KDC_ERR_PREAUTH_REQUIRED + ETYPE-INFO2 first, RFC 4120 §5.2.7) and
// TGS exchange (PA-TGS-REQ, §3.3.2), AES only, randomness and clock injected. It answers through
// a KdcSend function, so no socket is involved. Not a general KDC: no renewals, no referrals.
import { bytesEqual } from '../bytes.ts';
import type { RandomSource } from '../random.ts';
import { bit } from './asn1.ts';
import { checksum, decrypt, encrypt, ETYPE_AES256, randomKey, stringToKey, SUPPORTED_ETYPES, type EncryptionKey } from './crypto/enctype.ts';
import { KerberosError } from './errors.ts';
import { defaultSalt } from './kdc-exchange.ts';
import type { KdcSend } from './kdc-transport.ts';
import { buildKeytab, type KeytabEntry } from './keytab.ts';
import {
  decApReq,
  decAuthenticator,
  decEncryptedData,
  decEncTicketPart,
  decKdcReq,
  decPaEncTsEnc,
  encEncKdcRepPart,
  encEncTicketPart,
  encEtypeInfo2,
  encKdcRep,
  encKrbError,
  encMethodData,
  encTicket,
} from './messages.ts';
import { KRB_ERR, MSG, NT_PRINCIPAL, NT_SRV_INST, PA, parsePrincipal, principalText, TKT_FLAG, USAGE, type KdcReq, type PrincipalName } from './types.ts';

export interface SimKdcOptions {
  realm: string;
  users: Array<{ name: string; password: string }>;
  services: Array<{ name: string; password: string }>; // "HTTP/localhost"
  random: RandomSource;
  now: () => number;
  ticketLifetimeMs?: number;
  skewMs?: number;
}

export interface SimKdc {
  send: KdcSend;
  /** A keytab with AES256/AES128 keys (kvno 1) of every service. */
  keytab(): Uint8Array;
  /** Requests seen, for assertions ("AS-REQ", "AS-REQ+PA-ENC-TIMESTAMP", "TGS-REQ"). */
  readonly log: string[];
}

interface Account {
  name: PrincipalName;
  salt: string;
  keys: Map<number, EncryptionKey>;
}

export function createSimKdc(o: SimKdcOptions): SimKdc {
  const lifetime = o.ticketLifetimeMs ?? 10 * 3600_000;
  const skew = o.skewMs ?? 5 * 60_000;
  const account = (name: string, password: string, nameType: number): Account => {
    const pn = parsePrincipal(name, nameType);
    const salt = defaultSalt(o.realm, pn);
    return { name: pn, salt, keys: new Map(SUPPORTED_ETYPES.map((e) => [e, stringToKey(e, password, salt)])) };
  };
  const users = new Map(o.users.map((u) => [u.name, account(u.name, u.password, NT_PRINCIPAL)]));
  const services = new Map(o.services.map((s) => [s.name, account(s.name, s.password, NT_SRV_INST)]));
  const tgsName = `krbtgt/${o.realm}`;
  const tgs: Account = { name: parsePrincipal(tgsName, NT_SRV_INST), salt: '', keys: new Map([[ETYPE_AES256, randomKey(ETYPE_AES256, o.random)]]) };
  const log: string[] = [];

  const error = (code: number, sname: PrincipalName, eText?: string, eData?: Uint8Array) => {
    const now = o.now();
    return encKrbError({ errorCode: code, stime: now, susec: (now % 1000) * 1000, realm: o.realm, sname, eText, eData });
  };

  const issue = (req: KdcReq, client: PrincipalName, crealm: string, server: Account, replyKey: EncryptionKey, usage: number, preauth: boolean) => {
    const etype = req.body.etypes.find((e) => (SUPPORTED_ETYPES as readonly number[]).includes(e));
    if (etype === undefined) return error(KRB_ERR.KDC_ERR_ETYPE_NOSUPP, server.name);
    const serverKey = server.keys.get(ETYPE_AES256) ?? [...server.keys.values()][0];
    const now = o.now();
    const sessionKey = randomKey(etype, o.random);
    const endtime = Math.min(req.body.till, now + lifetime);
    const flags = bit(TKT_FLAG.FORWARDABLE) | (preauth ? bit(TKT_FLAG.PRE_AUTHENT) | bit(TKT_FLAG.INITIAL) : 0);
    const ticketPart = encEncTicketPart({ flags, key: sessionKey, crealm, cname: client, transited: { trType: 1, contents: new Uint8Array(0) }, authtime: now, endtime });
    const ticket = { realm: o.realm, sname: server.name, encPart: { etype: serverKey.etype, kvno: 1, cipher: encrypt(serverKey, USAGE.TICKET, ticketPart, o.random) } };
    const part = encEncKdcRepPart({ key: sessionKey, nonce: req.body.nonce, flags, authtime: now, endtime, srealm: o.realm, sname: server.name }, req.msgType === MSG.AS_REQ ? 25 : 26);
    return encKdcRep({
      msgType: req.msgType === MSG.AS_REQ ? MSG.AS_REP : MSG.TGS_REP,
      padata: [],
      crealm,
      cname: client,
      ticket,
      ticketBytes: encTicket(ticket),
      encPart: { etype: replyKey.etype, cipher: encrypt(replyKey, usage, part, o.random) },
    });
  };

  const asReq = (req: KdcReq): Uint8Array => {
    const cname = req.body.cname;
    const user = cname && users.get(cname.nameString.join('/'));
    if (!cname || !user) return error(KRB_ERR.KDC_ERR_C_PRINCIPAL_UNKNOWN, tgs.name);
    const etype = req.body.etypes.find((e) => user.keys.has(e));
    if (etype === undefined) return error(KRB_ERR.KDC_ERR_ETYPE_NOSUPP, tgs.name);
    const key = user.keys.get(etype)!;
    const ts = req.padata.find((p) => p.type === PA.ENC_TIMESTAMP);
    if (!ts) {
      log.push('AS-REQ');
      const info = encEtypeInfo2([{ etype, salt: user.salt }]);
      return error(KRB_ERR.KDC_ERR_PREAUTH_REQUIRED, tgs.name, undefined, encMethodData([{ type: PA.ETYPE_INFO2, value: info }, { type: PA.ENC_TIMESTAMP, value: new Uint8Array(0) }]));
    }
    log.push('AS-REQ+PA-ENC-TIMESTAMP');
    try {
      const enc = decEncryptedData(ts.value);
      const t = decPaEncTsEnc(decrypt(user.keys.get(enc.etype) ?? key, USAGE.AS_REQ_PA_ENC_TIMESTAMP, enc.cipher));
      if (Math.abs(t - o.now()) > skew) return error(KRB_ERR.KRB_AP_ERR_SKEW, tgs.name);
    } catch {
      return error(KRB_ERR.KDC_ERR_PREAUTH_FAILED, tgs.name, 'Preauthentication failed');
    }
    return issue(req, cname, o.realm, tgs, key, USAGE.AS_REP_ENC_PART, true);
  };

  const tgsReq = (req: KdcReq): Uint8Array => {
    log.push('TGS-REQ');
    const pa = req.padata.find((p) => p.type === PA.TGS_REQ);
    if (!pa || !req.body.sname) return error(KRB_ERR.KRB_ERR_GENERIC, tgs.name, 'no PA-TGS-REQ');
    const service = services.get(req.body.sname.nameString.join('/'));
    if (!service) return error(KRB_ERR.KDC_ERR_S_PRINCIPAL_UNKNOWN, req.body.sname);
    try {
      const ap = decApReq(pa.value);
      const tkt = decEncTicketPart(decrypt(tgs.keys.get(ap.ticket.encPart.etype)!, USAGE.TICKET, ap.ticket.encPart.cipher));
      if (tkt.endtime < o.now()) return error(KRB_ERR.KRB_AP_ERR_TKT_EXPIRED, tgs.name);
      const auth = decAuthenticator(decrypt(tkt.key, USAGE.TGS_REQ_AUTHENTICATOR, ap.authenticator.cipher));
      if (principalText(auth.cname, auth.crealm) !== principalText(tkt.cname, tkt.crealm)) return error(KRB_ERR.KRB_AP_ERR_BADMATCH, tgs.name);
      if (!auth.cksum || !req.bodyBytes || !bytesEqual(auth.cksum.checksum, checksum(tkt.key, USAGE.TGS_REQ_AUTH_CKSUM, req.bodyBytes))) {
        return error(KRB_ERR.KRB_AP_ERR_MODIFIED, tgs.name, 'request body checksum');
      }
      return issue(req, tkt.cname, tkt.crealm, service, tkt.key, USAGE.TGS_REP_ENC_PART_SESSION, false);
    } catch (e) {
      if (e instanceof KerberosError) return error(KRB_ERR.KRB_AP_ERR_BAD_INTEGRITY, tgs.name, e.code);
      throw e;
    }
  };

  return {
    log,
    send: async (request) => {
      let req: KdcReq;
      try {
        req = decKdcReq(request);
      } catch {
        return error(KRB_ERR.KRB_ERR_GENERIC, tgs.name, 'malformed request');
      }
      if (req.body.realm !== o.realm) return error(KRB_ERR.KDC_ERR_S_PRINCIPAL_UNKNOWN, tgs.name, 'wrong realm');
      return req.msgType === MSG.AS_REQ ? asReq(req) : tgsReq(req);
    },
    keytab: () => {
      const entries: KeytabEntry[] = [];
      for (const s of services.values()) {
        for (const key of s.keys.values()) entries.push({ principal: principalText(s.name, o.realm), nameType: NT_SRV_INST, timestamp: 0, kvno: 1, key });
      }
      return buildKeytab(entries);
    },
  };
}
