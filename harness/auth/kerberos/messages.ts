// Encoders and decoders for the RFC 4120 §5 messages the harness exchanges. Each decoder is the
// exact inverse of its encoder; both follow the ASN.1 module of RFC 4120 §5 field by field.
import { bit, decoding, field, Fields, flags, gstr, int, ktime, octets, seq, app } from './asn1.ts';
import { tlv } from '../der.ts';
import type {
  ApReq,
  Authenticator,
  Checksum,
  EncApRepPart,
  EncKdcRepPart,
  EncryptedData,
  EncryptionKey,
  EncTicketPart,
  EtypeInfo2Entry,
  KdcRep,
  KdcReq,
  KdcReqBody,
  KrbError,
  PaData,
  PrincipalName,
  Ticket,
} from './types.ts';
import { MSG } from './types.ts';
import { KerberosError } from './errors.ts';

export { bit };
const PVNO = 5;

// ---- shared types (RFC 4120 §5.2) ----

export const encPrincipal = (p: PrincipalName) => seq(field(0, int(p.nameType)), field(1, seq(...p.nameString.map(gstr))));
export function decPrincipal(b: Uint8Array): PrincipalName {
  const f = new Fields(b, 'PrincipalName');
  return { nameType: f.int(0), nameString: f.seqOf(1).map((s) => new Fields(seq(field(0, s)), 'KerberosString').str(0)) };
}

export const encEncryptedData = (e: EncryptedData) => seq(field(0, int(e.etype)), field(1, e.kvno === undefined ? undefined : int(e.kvno)), field(2, octets(e.cipher)));
export function decEncryptedData(b: Uint8Array): EncryptedData {
  const f = new Fields(b, 'EncryptedData');
  return { etype: f.int(0), kvno: f.intOpt(1), cipher: f.octets(2) };
}

export const encKey = (k: EncryptionKey) => seq(field(0, int(k.etype)), field(1, octets(k.value)));
export function decKey(b: Uint8Array): EncryptionKey {
  const f = new Fields(b, 'EncryptionKey');
  return { etype: f.int(0), value: f.octets(1) };
}

export const encChecksum = (c: Checksum) => seq(field(0, int(c.cksumtype)), field(1, octets(c.checksum)));
export function decChecksum(b: Uint8Array): Checksum {
  const f = new Fields(b, 'Checksum');
  return { cksumtype: f.int(0), checksum: f.octets(1) };
}

export const encPaData = (p: PaData) => seq(field(1, int(p.type)), field(2, octets(p.value)));
export function decPaData(b: Uint8Array): PaData {
  const f = new Fields(b, 'PA-DATA');
  return { type: f.int(1), value: f.octets(2) };
}
/** METHOD-DATA ::= SEQUENCE OF PA-DATA (the e-data of KDC_ERR_PREAUTH_REQUIRED). */
export const encMethodData = (p: PaData[]) => seq(...p.map(encPaData));
export function decMethodData(b: Uint8Array): PaData[] {
  return decoding('METHOD-DATA', () => new Fields(seq(field(0, b)), 'METHOD-DATA').seqOf(0).map(decPaData));
}

// PA-ENC-TS-ENC ::= SEQUENCE { patimestamp [0] KerberosTime, pausec [1] Microseconds OPTIONAL }
export const encPaEncTsEnc = (ms: number) => seq(field(0, ktime(ms)), field(1, int((ms % 1000) * 1000)));
export function decPaEncTsEnc(b: Uint8Array): number {
  return decoding('PA-ENC-TS-ENC', () => {
    const f = new Fields(b, 'PA-ENC-TS-ENC');
    return f.time(0) + Math.floor((f.intOpt(1) ?? 0) / 1000);
  });
}

// ETYPE-INFO2 ::= SEQUENCE SIZE (1..MAX) OF ETYPE-INFO2-ENTRY (RFC 4120 §5.2.7.5)
export const encEtypeInfo2 = (es: EtypeInfo2Entry[]) =>
  seq(...es.map((e) => seq(field(0, int(e.etype)), field(1, e.salt === undefined ? undefined : gstr(e.salt)), field(2, e.s2kparams && octets(e.s2kparams)))));
export function decEtypeInfo2(b: Uint8Array): EtypeInfo2Entry[] {
  return decoding('ETYPE-INFO2', () =>
    new Fields(seq(field(0, b)), 'ETYPE-INFO2').seqOf(0).map((e) => {
      const f = new Fields(e, 'ETYPE-INFO2-ENTRY');
      return { etype: f.int(0), salt: f.strOpt(1), s2kparams: f.octetsOpt(2) };
    }),
  );
}

// ---- Ticket, EncTicketPart (RFC 4120 §5.3) ----

export const encTicket = (t: Ticket) => tlv(app(1), seq(field(0, int(PVNO)), field(1, gstr(t.realm)), field(2, encPrincipal(t.sname)), field(3, encEncryptedData(t.encPart))));
export function decTicket(b: Uint8Array): Ticket {
  return decoding('Ticket', () => {
    const f = new Fields(b, 'Ticket', 1);
    if (f.int(0) !== PVNO) throw new KerberosError('malformed', 'Ticket: tkt-vno is not 5');
    return { realm: f.str(1), sname: decPrincipal(f.raw(2)), encPart: decEncryptedData(f.raw(3)) };
  });
}

export const encEncTicketPart = (p: EncTicketPart) =>
  tlv(
    app(3),
    seq(
      field(0, flags(p.flags)),
      field(1, encKey(p.key)),
      field(2, gstr(p.crealm)),
      field(3, encPrincipal(p.cname)),
      field(4, seq(field(0, int(p.transited.trType)), field(1, octets(p.transited.contents)))),
      field(5, ktime(p.authtime)),
      field(6, p.starttime === undefined ? undefined : ktime(p.starttime)),
      field(7, ktime(p.endtime)),
      field(8, p.renewTill === undefined ? undefined : ktime(p.renewTill)),
    ),
  );
export function decEncTicketPart(b: Uint8Array): EncTicketPart {
  return decoding('EncTicketPart', () => {
    const f = new Fields(b, 'EncTicketPart', 3);
    const tr = new Fields(f.raw(4), 'TransitedEncoding');
    return {
      flags: f.flags(0),
      key: decKey(f.raw(1)),
      crealm: f.str(2),
      cname: decPrincipal(f.raw(3)),
      transited: { trType: tr.int(0), contents: tr.octets(1) },
      authtime: f.time(5),
      starttime: f.timeOpt(6),
      endtime: f.time(7),
      renewTill: f.timeOpt(8),
    };
  });
}

// ---- KDC-REQ, KDC-REP (RFC 4120 §5.4) ----

export const encKdcReqBody = (b: KdcReqBody) =>
  seq(
    field(0, flags(b.kdcOptions)),
    field(1, b.cname && encPrincipal(b.cname)),
    field(2, gstr(b.realm)),
    field(3, b.sname && encPrincipal(b.sname)),
    field(5, ktime(b.till)),
    field(7, int(b.nonce)),
    field(8, seq(...b.etypes.map(int))),
  );

export function encKdcReq(r: KdcReq): Uint8Array {
  const body = r.bodyBytes ?? encKdcReqBody(r.body);
  return tlv(app(r.msgType), seq(field(1, int(PVNO)), field(2, int(r.msgType)), field(3, r.padata.length ? seq(...r.padata.map(encPaData)) : undefined), field(4, body)));
}
export function decKdcReq(b: Uint8Array): KdcReq {
  return decoding('KDC-REQ', () => {
    const msgType = b[0] === app(MSG.AS_REQ) ? MSG.AS_REQ : b[0] === app(MSG.TGS_REQ) ? MSG.TGS_REQ : bad('not an AS-REQ or TGS-REQ');
    const f = new Fields(b, 'KDC-REQ', msgType);
    if (f.int(1) !== PVNO || f.int(2) !== msgType) bad('KDC-REQ: bad pvno or msg-type');
    const bodyBytes = f.raw(4);
    const bf = new Fields(bodyBytes, 'KDC-REQ-BODY');
    return {
      msgType,
      padata: f.has(3) ? f.seqOf(3).map(decPaData) : [],
      bodyBytes,
      body: {
        kdcOptions: bf.flags(0),
        cname: bf.has(1) ? decPrincipal(bf.raw(1)) : undefined,
        realm: bf.str(2),
        sname: bf.has(3) ? decPrincipal(bf.raw(3)) : undefined,
        till: bf.time(5),
        nonce: bf.int(7) >>> 0,
        etypes: bf.seqOf(8).map((e) => new Fields(seq(field(0, e)), 'etype').int(0)),
      },
    };
  });
}

export function encKdcRep(r: KdcRep): Uint8Array {
  return tlv(
    app(r.msgType),
    seq(
      field(0, int(PVNO)),
      field(1, int(r.msgType)),
      field(2, r.padata.length ? seq(...r.padata.map(encPaData)) : undefined),
      field(3, gstr(r.crealm)),
      field(4, encPrincipal(r.cname)),
      field(5, r.ticketBytes),
      field(6, encEncryptedData(r.encPart)),
    ),
  );
}
export function decKdcRep(b: Uint8Array, msgType: 11 | 13): KdcRep {
  return decoding('KDC-REP', () => {
    const f = new Fields(b, 'KDC-REP', msgType);
    if (f.int(0) !== PVNO || f.int(1) !== msgType) bad('KDC-REP: bad pvno or msg-type');
    const ticketBytes = f.raw(5);
    return {
      msgType,
      padata: f.has(2) ? f.seqOf(2).map(decPaData) : [],
      crealm: f.str(3),
      cname: decPrincipal(f.raw(4)),
      ticket: decTicket(ticketBytes),
      ticketBytes,
      encPart: decEncryptedData(f.raw(6)),
    };
  });
}

// EncASRepPart [APPLICATION 25] / EncTGSRepPart [APPLICATION 26] ::= EncKDCRepPart
export function encEncKdcRepPart(p: EncKdcRepPart, appTag: 25 | 26): Uint8Array {
  return tlv(
    app(appTag),
    seq(
      field(0, encKey(p.key)),
      field(1, seq(seq(field(0, int(0)), field(1, ktime(p.authtime))))), // last-req: none known
      field(2, int(p.nonce)),
      field(4, flags(p.flags)),
      field(5, ktime(p.authtime)),
      field(6, p.starttime === undefined ? undefined : ktime(p.starttime)),
      field(7, ktime(p.endtime)),
      field(8, p.renewTill === undefined ? undefined : ktime(p.renewTill)),
      field(9, gstr(p.srealm)),
      field(10, encPrincipal(p.sname)),
    ),
  );
}
export function decEncKdcRepPart(b: Uint8Array): EncKdcRepPart {
  return decoding('EncKDCRepPart', () => {
    // RFC 4120 §5.4.2: implementations SHOULD accept either tag in either reply (MIT sends 25 for TGS too).
    const tag = b[0] === app(25) ? 25 : b[0] === app(26) ? 26 : bad('EncKDCRepPart: not [APPLICATION 25/26]');
    const f = new Fields(b, 'EncKDCRepPart', tag);
    return {
      key: decKey(f.raw(0)),
      nonce: f.int(2) >>> 0,
      flags: f.flags(4),
      authtime: f.time(5),
      starttime: f.timeOpt(6),
      endtime: f.time(7),
      renewTill: f.timeOpt(8),
      srealm: f.str(9),
      sname: decPrincipal(f.raw(10)),
    };
  });
}

// ---- KRB-ERROR (RFC 4120 §5.9.1) ----

export function encKrbError(e: KrbError): Uint8Array {
  return tlv(
    app(MSG.KRB_ERROR),
    seq(
      field(0, int(PVNO)),
      field(1, int(MSG.KRB_ERROR)),
      field(4, ktime(e.stime)),
      field(5, int(e.susec)),
      field(6, int(e.errorCode)),
      field(7, e.crealm === undefined ? undefined : gstr(e.crealm)),
      field(8, e.cname && encPrincipal(e.cname)),
      field(9, gstr(e.realm)),
      field(10, encPrincipal(e.sname)),
      field(11, e.eText === undefined ? undefined : gstr(e.eText)),
      field(12, e.eData && octets(e.eData)),
    ),
  );
}
export function decKrbError(b: Uint8Array): KrbError {
  return decoding('KRB-ERROR', () => {
    const f = new Fields(b, 'KRB-ERROR', MSG.KRB_ERROR);
    return {
      stime: f.time(4),
      susec: f.int(5),
      errorCode: f.int(6),
      crealm: f.strOpt(7),
      cname: f.has(8) ? decPrincipal(f.raw(8)) : undefined,
      realm: f.str(9),
      sname: decPrincipal(f.raw(10)),
      eText: f.strOpt(11),
      eData: f.octetsOpt(12),
    };
  });
}

// ---- AP-REQ, Authenticator, AP-REP, EncAPRepPart (RFC 4120 §5.5) ----

export const encApReq = (r: Omit<ApReq, 'ticket'>) =>
  tlv(app(MSG.AP_REQ), seq(field(0, int(PVNO)), field(1, int(MSG.AP_REQ)), field(2, flags(r.apOptions)), field(3, r.ticketBytes), field(4, encEncryptedData(r.authenticator))));
export function decApReq(b: Uint8Array): ApReq {
  return decoding('AP-REQ', () => {
    const f = new Fields(b, 'AP-REQ', MSG.AP_REQ);
    if (f.int(0) !== PVNO || f.int(1) !== MSG.AP_REQ) bad('AP-REQ: bad pvno or msg-type');
    const ticketBytes = f.raw(3);
    return { apOptions: f.flags(2), ticket: decTicket(ticketBytes), ticketBytes, authenticator: decEncryptedData(f.raw(4)) };
  });
}

export const encAuthenticator = (a: Authenticator) =>
  tlv(
    app(2),
    seq(
      field(0, int(PVNO)),
      field(1, gstr(a.crealm)),
      field(2, encPrincipal(a.cname)),
      field(3, a.cksum && encChecksum(a.cksum)),
      field(4, int(a.cusec)),
      field(5, ktime(a.ctime)),
      field(6, a.subkey && encKey(a.subkey)),
      field(7, a.seqNumber === undefined ? undefined : int(a.seqNumber)),
    ),
  );
export function decAuthenticator(b: Uint8Array): Authenticator {
  return decoding('Authenticator', () => {
    const f = new Fields(b, 'Authenticator', 2);
    if (f.int(0) !== PVNO) bad('Authenticator: authenticator-vno is not 5');
    return {
      crealm: f.str(1),
      cname: decPrincipal(f.raw(2)),
      cksum: f.has(3) ? decChecksum(f.raw(3)) : undefined,
      cusec: f.int(4),
      ctime: f.time(5),
      subkey: f.has(6) ? decKey(f.raw(6)) : undefined,
      seqNumber: f.has(7) ? f.int(7) >>> 0 : undefined,
    };
  });
}

export const encApRep = (encPart: EncryptedData) => tlv(app(MSG.AP_REP), seq(field(0, int(PVNO)), field(1, int(MSG.AP_REP)), field(2, encEncryptedData(encPart))));
export function decApRep(b: Uint8Array): EncryptedData {
  return decoding('AP-REP', () => {
    const f = new Fields(b, 'AP-REP', MSG.AP_REP);
    if (f.int(0) !== PVNO || f.int(1) !== MSG.AP_REP) bad('AP-REP: bad pvno or msg-type');
    return decEncryptedData(f.raw(2));
  });
}

export const encEncApRepPart = (p: EncApRepPart) =>
  tlv(app(27), seq(field(0, ktime(p.ctime)), field(1, int(p.cusec)), field(2, p.subkey && encKey(p.subkey)), field(3, p.seqNumber === undefined ? undefined : int(p.seqNumber))));
export function decEncApRepPart(b: Uint8Array): EncApRepPart {
  return decoding('EncAPRepPart', () => {
    const f = new Fields(b, 'EncAPRepPart', 27);
    return { ctime: f.time(0), cusec: f.int(1), subkey: f.has(2) ? decKey(f.raw(2)) : undefined, seqNumber: f.has(3) ? f.int(3) >>> 0 : undefined };
  });
}

function bad(msg: string): never {
  throw new KerberosError('malformed', msg);
}
