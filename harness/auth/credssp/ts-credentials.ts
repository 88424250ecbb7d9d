// TSCredentials and TSPasswordCreds, MS-CSSP §2.2.1.2 and §2.2.1.2.1 (schema: asn1-schemas.ts):
//
//   TSCredentials   ::= SEQUENCE { credType [0] INTEGER, credentials [1] OCTET STRING }
//   TSPasswordCreds ::= SEQUENCE { domainName [0] OCTET STRING, userName [1] OCTET STRING,
//                                  password [2] OCTET STRING }      -- UTF-16LE strings
import { fromUtf16le, utf16le } from '../bytes.ts';
import { DerError } from '../der.ts';
import { decodeDer, encodeDer, toBuffer } from './asn1-codec.ts';
import { TsCredentialsAsn, TsPasswordCredsAsn } from './asn1-schemas.ts';

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
  return encodeDer(Object.assign(new TsCredentialsAsn(), { credType: c.credType, credentials: toBuffer(c.credentials) }));
}

export function decodeTsCredentials(b: Uint8Array): TsCredentials {
  const a = decodeDer(b, TsCredentialsAsn, 'TSCredentials');
  return { credType: a.credType, credentials: new Uint8Array(a.credentials) };
}

export function encodePasswordCreds(p: PasswordCreds): Uint8Array {
  const a = new TsPasswordCredsAsn();
  a.domainName = toBuffer(utf16le(p.domain));
  a.userName = toBuffer(utf16le(p.user));
  a.password = toBuffer(utf16le(p.password));
  return encodeDer(a);
}

export function decodePasswordCreds(b: Uint8Array): PasswordCreds {
  const a = decodeDer(b, TsPasswordCredsAsn, 'TSPasswordCreds');
  const text = (v: ArrayBuffer) => {
    // §2.2.1.2.1: the strings are UTF-16LE, so an odd byte count is not a string.
    if (v.byteLength % 2 !== 0) throw new DerError('TSPasswordCreds: odd-length UTF-16 string');
    return fromUtf16le(new Uint8Array(v));
  };
  return { domain: text(a.domainName), user: text(a.userName), password: text(a.password) };
}

/** TSCredentials carrying TSPasswordCreds, the only kind a WinRM client delegates. */
export function encodePasswordCredentials(p: PasswordCreds): Uint8Array {
  return encodeTsCredentials({ credType: CredType.PASSWORD, credentials: encodePasswordCreds(p) });
}
