// TSCredentials and TSPasswordCreds, MS-CSSP §2.2.1.2 and §2.2.1.2.1:
//
//   TSCredentials   ::= SEQUENCE { credType [0] INTEGER, credentials [1] OCTET STRING }
//   TSPasswordCreds ::= SEQUENCE { domainName [0] OCTET STRING, userName [1] OCTET STRING,
//                                  password [2] OCTET STRING }      -- UTF-16LE strings
import { fromUtf16le, utf16le } from '../bytes.ts';
import { context, DerError, expectTag, readAll, readTlv, TAG, tlv } from '../der.ts';
import { decodeInteger, encodeInteger, TAG_INTEGER } from './der-integer.ts';

/** credType values (§2.2.1.2): 1 password, 2 smart card, 6 remote guard. */
export const CredType = { PASSWORD: 1, SMART_CARD: 2, REMOTE_GUARD: 6 } as const;

export interface PasswordCreds {
  domain: string;
  user: string;
  password: string;
}

export interface TsCredentials {
  credType: number;
  credentials: Uint8Array;
}

export function encodeTsCredentials(c: TsCredentials): Uint8Array {
  return tlv(TAG.SEQUENCE, tlv(context(0), encodeInteger(c.credType)), tlv(context(1), tlv(TAG.OCTET_STRING, c.credentials)));
}

export function decodeTsCredentials(b: Uint8Array): TsCredentials {
  const [credType, credentials, extra] = fieldsOf(b, 'TSCredentials');
  if (!credType || !credentials || extra) throw new DerError('TSCredentials must hold credType [0] and credentials [1]');
  return {
    credType: decodeInteger(expectTag(only(expectTag(credType, context(0), 'credType')), TAG_INTEGER, 'credType')),
    credentials: expectTag(only(expectTag(credentials, context(1), 'credentials')), TAG.OCTET_STRING, 'credentials').slice(),
  };
}

export function encodePasswordCreds(p: PasswordCreds): Uint8Array {
  const s = (n: number, v: string) => tlv(context(n), tlv(TAG.OCTET_STRING, utf16le(v)));
  return tlv(TAG.SEQUENCE, s(0, p.domain), s(1, p.user), s(2, p.password));
}

export function decodePasswordCreds(b: Uint8Array): PasswordCreds {
  const f = fieldsOf(b, 'TSPasswordCreds');
  if (f.length !== 3) throw new DerError('TSPasswordCreds must hold domainName, userName and password');
  const [domain, user, password] = f.map((t, i) => {
    const v = expectTag(only(expectTag(t, context(i), `TSPasswordCreds [${i}]`)), TAG.OCTET_STRING, 'string');
    if (v.length % 2 !== 0) throw new DerError('TSPasswordCreds: odd-length UTF-16 string');
    return fromUtf16le(v);
  });
  return { domain, user, password };
}

/** TSCredentials carrying TSPasswordCreds, the only kind a WinRM client delegates. */
export function encodePasswordCredentials(p: PasswordCreds): Uint8Array {
  return encodeTsCredentials({ credType: CredType.PASSWORD, credentials: encodePasswordCreds(p) });
}

function fieldsOf(b: Uint8Array, what: string) {
  const outer = readTlv(b, 0);
  if (outer.end !== b.length) throw new DerError(`${what}: trailing bytes`);
  return readAll(expectTag(outer, TAG.SEQUENCE, what));
}

function only(v: Uint8Array) {
  const inner = readAll(v);
  if (inner.length !== 1) throw new DerError('explicit tag must hold exactly one value');
  return inner[0];
}
