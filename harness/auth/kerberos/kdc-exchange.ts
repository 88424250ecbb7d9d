// The client side of the AS and TGS exchanges (RFC 4120 §3.1, §3.3): AS-REQ, answered with
// KDC_ERR_PREAUTH_REQUIRED and ETYPE-INFO2 (salt, iterations), then AS-REQ with
// PA-ENC-TIMESTAMP (§5.2.7.2); TGS-REQ with PA-TGS-REQ (an AP-REQ with the TGT whose
// authenticator checksums the request body, §5.4.1).
import type { RandomSource } from '../random.ts';
import { checksum, checksumTypeOf, decrypt, encrypt, iterationsFromParams, stringToKey, SUPPORTED_ETYPES, type EncryptionKey } from './crypto/enctype.ts';
import { KerberosError } from './errors.ts';
import type { KdcSend } from './kdc-transport.ts';
import {
  decEncKdcRepPart,
  decEtypeInfo2,
  decKdcRep,
  decKrbError,
  decMethodData,
  encApReq,
  encAuthenticator,
  encEncryptedData as encEncryptedDataValue, // PA-ENC-TIMESTAMP's value is an EncryptedData
  encKdcReq,
  encKdcReqBody,
  encPaEncTsEnc,
} from './messages.ts';
import { bit } from './asn1.ts';
import {
  KDC_OPT,
  KRB_ERR,
  MSG,
  NT_PRINCIPAL,
  NT_SRV_INST,
  PA,
  parsePrincipal,
  principalText,
  USAGE,
  type EncKdcRepPart,
  type EtypeInfo2Entry,
  type KdcRep,
  type KdcReqBody,
  type PaData,
  type PrincipalName,
  type Ticket,
} from './types.ts';

export interface Credential {
  client: PrincipalName;
  crealm: string;
  ticket: Ticket;
  ticketBytes: Uint8Array;
  key: EncryptionKey; // the session key shared with the ticket's service
  authtime: number;
  endtime: number;
  server: string;
}

export interface ExchangeContext {
  send: KdcSend;
  random: RandomSource;
  now: () => number;
}

const LIFETIME_MS = 10 * 3600_000;

function nonce(random: RandomSource): number {
  const b = random.bytes(4);
  return ((b[0] & 0x7f) << 24) | (b[1] << 16) | (b[2] << 8) | b[3]; // 31 bits: some KDCs dislike negative Int32
}

/** Decodes a KDC reply that may be a KRB-ERROR. */
function parseReply(reply: Uint8Array, expect: 11 | 13): KdcRep | { error: ReturnType<typeof decKrbError> } {
  if (reply[0] === 0x60 + MSG.KRB_ERROR) return { error: decKrbError(reply) };
  if (reply[0] !== 0x60 + expect) throw new KerberosError('malformed', `KDC reply is neither ${expect === 11 ? 'AS-REP' : 'TGS-REP'} nor KRB-ERROR (tag 0x${reply[0]?.toString(16)})`);
  return decKdcRep(reply, expect);
}

function kdcError(e: { errorCode: number; eText?: string }, what: string): KerberosError {
  const text = e.eText ? `: ${e.eText}` : '';
  return new KerberosError('kdc-error', `${what}: KDC error ${e.errorCode}${text}`, e.errorCode);
}

/** The default salt (RFC 4120 §4): realm followed by the name components. */
export function defaultSalt(realm: string, name: PrincipalName): string {
  return realm + name.nameString.join('');
}

export async function asExchange(ctx: ExchangeContext, user: string, realm: string, password: string): Promise<Credential> {
  const cname: PrincipalName = { nameType: NT_PRINCIPAL, nameString: user.split('/') };
  const sname: PrincipalName = { nameType: NT_SRV_INST, nameString: ['krbtgt', realm] };
  const n = nonce(ctx.random);
  const body: KdcReqBody = {
    kdcOptions: bit(KDC_OPT.FORWARDABLE) | bit(KDC_OPT.RENEWABLE_OK),
    cname,
    realm,
    sname,
    till: ctx.now() + LIFETIME_MS,
    nonce: n,
    etypes: [...SUPPORTED_ETYPES],
  };
  const bodyBytes = encKdcReqBody(body);
  let reply = parseReply(await ctx.send(encKdcReq({ msgType: MSG.AS_REQ, padata: [], body, bodyBytes })), MSG.AS_REP);
  let info: EtypeInfo2Entry | undefined;
  let key: EncryptionKey | undefined;
  if ('error' in reply) {
    if (reply.error.errorCode !== KRB_ERR.KDC_ERR_PREAUTH_REQUIRED) throw kdcError(reply.error, `AS-REQ for ${user}@${realm}`);
    const methods = reply.error.eData ? decMethodData(reply.error.eData) : [];
    info = pickEtypeInfo(methods);
    key = stringToKey(info.etype, password, info.salt ?? defaultSalt(realm, cname), iterationsFromParams(info.s2kparams));
    const ts = { etype: key.etype, cipher: encrypt(key, USAGE.AS_REQ_PA_ENC_TIMESTAMP, encPaEncTsEnc(ctx.now()), ctx.random) };
    const padata: PaData[] = [{ type: PA.ENC_TIMESTAMP, value: encEncryptedDataValue(ts) }];
    const cookie = methods.find((m) => m.type === PA.FX_COOKIE);
    if (cookie) padata.push(cookie); // RFC 6113 §5.2: echo the KDC's cookie
    reply = parseReply(await ctx.send(encKdcReq({ msgType: MSG.AS_REQ, padata, body, bodyBytes })), MSG.AS_REP);
    if ('error' in reply) throw kdcError(reply.error, `AS-REQ with PA-ENC-TIMESTAMP for ${user}@${realm}`);
  }
  // The reply's ETYPE-INFO2 (if any) names the salt of the key it is encrypted in.
  const repInfo = reply.padata.find((p) => p.type === PA.ETYPE_INFO2);
  if (repInfo) info = decEtypeInfo2(repInfo.value).find((e) => e.etype === reply.encPart.etype) ?? info;
  if (!key || key.etype !== reply.encPart.etype) {
    const salt = info?.etype === reply.encPart.etype ? info.salt : undefined;
    key = stringToKey(reply.encPart.etype, password, salt ?? defaultSalt(realm, cname), iterationsFromParams(info?.etype === reply.encPart.etype ? info.s2kparams : undefined));
  }
  let part: EncKdcRepPart;
  try {
    part = decEncKdcRepPart(decrypt(key, USAGE.AS_REP_ENC_PART, reply.encPart.cipher));
  } catch (e) {
    if (e instanceof KerberosError && e.code === 'integrity') throw new KerberosError('integrity', `AS-REP for ${user}@${realm} does not decrypt with the password's key`);
    throw e;
  }
  return finish(reply, part, n, 'AS-REP');
}

export async function tgsExchange(ctx: ExchangeContext, tgt: Credential, service: string, realm: string): Promise<Credential> {
  const sname = parsePrincipal(service);
  const n = nonce(ctx.random);
  const body: KdcReqBody = {
    kdcOptions: bit(KDC_OPT.FORWARDABLE) | bit(KDC_OPT.CANONICALIZE),
    realm,
    sname,
    till: ctx.now() + LIFETIME_MS,
    nonce: n,
    etypes: [...SUPPORTED_ETYPES],
  };
  const bodyBytes = encKdcReqBody(body);
  const now = ctx.now();
  const authenticator = encAuthenticator({
    crealm: tgt.crealm,
    cname: tgt.client,
    cksum: { cksumtype: checksumTypeOf(tgt.key.etype), checksum: checksum(tgt.key, USAGE.TGS_REQ_AUTH_CKSUM, bodyBytes) },
    cusec: (now % 1000) * 1000,
    ctime: now,
  });
  const apReq = encApReq({
    apOptions: 0,
    ticketBytes: tgt.ticketBytes,
    authenticator: { etype: tgt.key.etype, cipher: encrypt(tgt.key, USAGE.TGS_REQ_AUTHENTICATOR, authenticator, ctx.random) },
  });
  const reply = parseReply(await ctx.send(encKdcReq({ msgType: MSG.TGS_REQ, padata: [{ type: PA.TGS_REQ, value: apReq }], body, bodyBytes })), MSG.TGS_REP);
  if ('error' in reply) throw kdcError(reply.error, `TGS-REQ for ${service}@${realm}`);
  const part = decEncKdcRepPart(decrypt(tgt.key, USAGE.TGS_REP_ENC_PART_SESSION, reply.encPart.cipher));
  return finish(reply, part, n, 'TGS-REP');
}

function finish(reply: KdcRep, part: EncKdcRepPart, n: number, what: string): Credential {
  if (part.nonce !== n) throw new KerberosError('integrity', `${what} nonce does not match the request`);
  return {
    client: reply.cname,
    crealm: reply.crealm,
    ticket: reply.ticket,
    ticketBytes: reply.ticketBytes,
    key: part.key,
    authtime: part.authtime,
    endtime: part.endtime,
    server: principalText(part.sname, part.srealm),
  };
}

function pickEtypeInfo(methods: PaData[]): EtypeInfo2Entry {
  const pa = methods.find((m) => m.type === PA.ETYPE_INFO2);
  const entries = pa ? decEtypeInfo2(pa.value) : [];
  for (const want of SUPPORTED_ETYPES) {
    const e = entries.find((x) => x.etype === want);
    if (e) return e;
  }
  if (entries.length) throw new KerberosError('unsupported-etype', `the KDC offers only etypes ${entries.map((e) => e.etype).join(', ')}`);
  return { etype: SUPPORTED_ETYPES[0] };
}
