// TSRequest and NegoData, MS-CSSP §2.2.1 and §2.2.1.1, in DER (schema: asn1-schemas.ts):
//
//   TSRequest ::= SEQUENCE {
//     version     [0] INTEGER,
//     negoTokens  [1] NegoData    OPTIONAL,
//     authInfo    [2] OCTET STRING OPTIONAL,
//     pubKeyAuth  [3] OCTET STRING OPTIONAL,
//     errorCode   [4] INTEGER      OPTIONAL,   -- version 3+
//     clientNonce [5] OCTET STRING OPTIONAL }  -- version 5+
//   NegoData ::= SEQUENCE OF SEQUENCE { negoToken [0] OCTET STRING }
import * as asn1js from 'asn1js';
import { DerError } from '../der.ts';
import { decodeDer, encodeDer, parseBer, toBuffer } from './asn1-codec.ts';
import { NegoTokenAsn, TsRequestAsn } from './asn1-schemas.ts';

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

export function encodeTsRequest(r: TsRequest): Uint8Array {
  const a = new TsRequestAsn();
  a.version = r.version;
  // An empty NegoData is never sent: the field is left out, as Windows does.
  if (r.negoTokens && r.negoTokens.length > 0) {
    a.negoTokens = r.negoTokens.map((t) => Object.assign(new NegoTokenAsn(), { negoToken: toBuffer(t) }));
  }
  if (r.authInfo) a.authInfo = toBuffer(r.authInfo);
  if (r.pubKeyAuth) a.pubKeyAuth = toBuffer(r.pubKeyAuth);
  // Windows writes the NTSTATUS as a signed 32-bit INTEGER (0xC000006D → 02 04 c0 00 00 6d).
  if (r.errorCode !== undefined) a.errorCode = r.errorCode | 0;
  if (r.clientNonce) a.clientNonce = toBuffer(r.clientNonce);
  return encodeDer(a);
}

/** Decodes one TSRequest that spans all of `b`. Throws DerError on anything else. */
export function decodeTsRequest(b: Uint8Array): TsRequest {
  const ber = parseBer(b, 'TSRequest');
  checkFieldTags(ber);
  const a = decodeDer(b, TsRequestAsn, 'TSRequest', ber);
  const version = a.version;
  if (version < 1) throw new DerError(`TSRequest: version ${version}`);
  const r: TsRequest = { version };
  if (a.negoTokens) r.negoTokens = a.negoTokens.map((t) => new Uint8Array(t.negoToken));
  if (a.authInfo) r.authInfo = new Uint8Array(a.authInfo);
  if (a.pubKeyAuth) r.pubKeyAuth = new Uint8Array(a.pubKeyAuth);
  if (a.errorCode !== undefined) r.errorCode = a.errorCode >>> 0;
  if (a.clientNonce) r.clientNonce = new Uint8Array(a.clientNonce);
  return r;
}

/**
 * Names the first structural fault before the schema match, whose own error only says "does not
 * match": DER puts each OPTIONAL field once, in tag order (X.690 §10.3), and tags above [5] are
 * not CredSSP (§2.2.1).
 */
function checkFieldTags(ber: asn1js.AsnType) {
  if (!(ber instanceof asn1js.Sequence)) throw new DerError('TSRequest: expected a SEQUENCE');
  let last = -1;
  for (const field of ber.valueBlock.value) {
    const { tagClass, tagNumber } = field.idBlock;
    if (tagClass !== 3 || tagNumber > 5) throw new DerError(`TSRequest: unexpected field tag class ${tagClass} number ${tagNumber}`);
    if (tagNumber <= last) throw new DerError(`TSRequest: field [${tagNumber}] repeated or out of order`);
    last = tagNumber;
  }
  if (last === -1 || ber.valueBlock.value[0].idBlock.tagNumber !== 0) throw new DerError('TSRequest: version [0] is required');
}
