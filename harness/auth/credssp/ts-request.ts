// TSRequest and NegoData, MS-CSSP §2.2.1 and §2.2.1.1, in DER:
//
//   TSRequest ::= SEQUENCE {
//     version     [0] INTEGER,
//     negoTokens  [1] NegoData    OPTIONAL,
//     authInfo    [2] OCTET STRING OPTIONAL,
//     pubKeyAuth  [3] OCTET STRING OPTIONAL,
//     errorCode   [4] INTEGER      OPTIONAL,   -- version 3+
//     clientNonce [5] OCTET STRING OPTIONAL }  -- version 5+
//   NegoData ::= SEQUENCE OF SEQUENCE { negoToken [0] OCTET STRING }
import { context, DerError, expectTag, readAll, readTlv, TAG, tlv } from '../der.ts';
import { decodeInteger, encodeInteger, TAG_INTEGER } from './der-integer.ts';

/** The highest version this implementation speaks (§2.2.1: 6 adds errorCode and clientNonce use). */
export const CREDSSP_VERSION = 6;
export const NONCE_LENGTH = 32;

export interface TsRequest {
  version: number;
  negoTokens?: Uint8Array[];
  authInfo?: Uint8Array;
  pubKeyAuth?: Uint8Array;
  /** NTSTATUS, unsigned 32-bit (sent as the signed INTEGER Windows writes). */
  errorCode?: number;
  clientNonce?: Uint8Array;
}

const octets = (b: Uint8Array) => tlv(TAG.OCTET_STRING, b);

export function encodeTsRequest(r: TsRequest): Uint8Array {
  const f: Uint8Array[] = [tlv(context(0), encodeInteger(r.version))];
  if (r.negoTokens && r.negoTokens.length > 0) {
    f.push(tlv(context(1), tlv(TAG.SEQUENCE, ...r.negoTokens.map((t) => tlv(TAG.SEQUENCE, tlv(context(0), octets(t)))))));
  }
  if (r.authInfo) f.push(tlv(context(2), octets(r.authInfo)));
  if (r.pubKeyAuth) f.push(tlv(context(3), octets(r.pubKeyAuth)));
  if (r.errorCode !== undefined) f.push(tlv(context(4), encodeInteger(r.errorCode | 0)));
  if (r.clientNonce) f.push(tlv(context(5), octets(r.clientNonce)));
  return tlv(TAG.SEQUENCE, ...f);
}

/** Decodes one TSRequest that spans all of `b`. Throws DerError on anything else. */
export function decodeTsRequest(b: Uint8Array): TsRequest {
  const outer = readTlv(b, 0);
  if (outer.end !== b.length) throw new DerError('TSRequest: trailing bytes');
  const fields = readAll(expectTag(outer, TAG.SEQUENCE, 'TSRequest'));
  const r: Partial<TsRequest> = {};
  let last = -1;
  for (const field of fields) {
    const n = field.tag - context(0);
    // DER: the optional fields appear once each, in tag order; unknown tags are not CredSSP.
    if (n < 0 || n > 5) throw new DerError(`TSRequest: unexpected field tag 0x${field.tag.toString(16)}`);
    if (n <= last) throw new DerError(`TSRequest: field [${n}] repeated or out of order`);
    last = n;
    const inner = readAll(field.value);
    if (inner.length !== 1) throw new DerError(`TSRequest: field [${n}] must hold exactly one value`);
    const v = inner[0];
    switch (n) {
      case 0:
        r.version = decodeInteger(expectTag(v, TAG_INTEGER, 'version'));
        break;
      case 1:
        r.negoTokens = readAll(expectTag(v, TAG.SEQUENCE, 'NegoData')).map((item) => {
          const [tok, extra] = readAll(expectTag(item, TAG.SEQUENCE, 'NegoData item'));
          if (!tok || extra) throw new DerError('NegoData item must hold exactly negoToken [0]');
          const [os, more] = readAll(expectTag(tok, context(0), 'negoToken'));
          if (!os || more) throw new DerError('negoToken [0] must hold one OCTET STRING');
          return expectTag(os, TAG.OCTET_STRING, 'negoToken').slice();
        });
        break;
      case 2:
        r.authInfo = expectTag(v, TAG.OCTET_STRING, 'authInfo').slice();
        break;
      case 3:
        r.pubKeyAuth = expectTag(v, TAG.OCTET_STRING, 'pubKeyAuth').slice();
        break;
      case 4:
        r.errorCode = decodeInteger(expectTag(v, TAG_INTEGER, 'errorCode')) >>> 0;
        break;
      case 5:
        r.clientNonce = expectTag(v, TAG.OCTET_STRING, 'clientNonce').slice();
        break;
    }
  }
  if (r.version === undefined) throw new DerError('TSRequest: version [0] is required');
  if (r.version < 1) throw new DerError(`TSRequest: version ${r.version}`);
  return r as TsRequest;
}
