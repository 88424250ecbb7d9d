// The CredSSP ASN.1 modules (MS-CSSP §2.2.1, §2.2.1.1, §2.2.1.2, §2.2.1.2.1) as
// @peculiar/asn1-schema classes. The decorators are applied as plain calls (after each class):
// the project compiles with standard decorators and no `experimentalDecorators`, while the
// library's are the legacy (target, key) kind — calling them directly works under both.
import { AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, type IAsnConverter } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';

const sequence = AsnType({ type: AsnTypeTypes.Sequence });
const octets = (context: number, optional = false) => AsnProp({ type: AsnPropTypes.OctetString, context, optional });
/**
 * INTEGER as a number, bounded to ±2^47 (the fields hold a version, a credType or a 32-bit
 * NTSTATUS). Not the library's defaults: its number converter returns 4-byte values as decimal
 * strings, and asn1js' Integer.fromBigInt mis-encodes some negatives (-2^31 + 1 → 02 01 81);
 * Integer({ value }) writes the minimal two's complement and toBigInt reads any length.
 */
const boundedInteger: IAsnConverter<number, asn1js.Integer> = {
  fromASN: (v) => {
    const n = v.toBigInt();
    if (n < -(2n ** 47n) || n >= 2n ** 47n) throw new RangeError('INTEGER too large for this structure');
    return Number(n);
  },
  toASN: (n) => new asn1js.Integer({ value: n }),
};
const integer = (context: number, optional = false) => AsnProp({ type: AsnPropTypes.Integer, context, optional, converter: boundedInteger });

/** NegoData item: SEQUENCE { negoToken [0] OCTET STRING } (§2.2.1.1). */
export class NegoTokenAsn {
  negoToken = new ArrayBuffer(0);
}
octets(0)(NegoTokenAsn.prototype, 'negoToken');
sequence(NegoTokenAsn);

/**
 * TSRequest ::= SEQUENCE { version [0] INTEGER, negoTokens [1] NegoData OPTIONAL,
 *   authInfo [2] OCTET STRING OPTIONAL, pubKeyAuth [3] OCTET STRING OPTIONAL,
 *   errorCode [4] INTEGER OPTIONAL, clientNonce [5] OCTET STRING OPTIONAL }   (§2.2.1)
 * NegoData ::= SEQUENCE OF NegoTokenAsn, here the `repeated: 'sequence'` of field [1].
 */
export class TsRequestAsn {
  version = 0;
  negoTokens?: NegoTokenAsn[];
  authInfo?: ArrayBuffer;
  pubKeyAuth?: ArrayBuffer;
  errorCode?: number;
  clientNonce?: ArrayBuffer;
}
integer(0)(TsRequestAsn.prototype, 'version');
AsnProp({ type: NegoTokenAsn, context: 1, optional: true, repeated: 'sequence' })(TsRequestAsn.prototype, 'negoTokens');
octets(2, true)(TsRequestAsn.prototype, 'authInfo');
octets(3, true)(TsRequestAsn.prototype, 'pubKeyAuth');
integer(4, true)(TsRequestAsn.prototype, 'errorCode');
octets(5, true)(TsRequestAsn.prototype, 'clientNonce');
sequence(TsRequestAsn);

/** TSCredentials ::= SEQUENCE { credType [0] INTEGER, credentials [1] OCTET STRING } (§2.2.1.2). */
export class TsCredentialsAsn {
  credType = 0;
  credentials = new ArrayBuffer(0);
}
integer(0)(TsCredentialsAsn.prototype, 'credType');
octets(1)(TsCredentialsAsn.prototype, 'credentials');
sequence(TsCredentialsAsn);

/** TSPasswordCreds ::= SEQUENCE { domainName [0], userName [1], password [2] OCTET STRING } (§2.2.1.2.1). */
export class TsPasswordCredsAsn {
  domainName = new ArrayBuffer(0);
  userName = new ArrayBuffer(0);
  password = new ArrayBuffer(0);
}
octets(0)(TsPasswordCredsAsn.prototype, 'domainName');
octets(1)(TsPasswordCredsAsn.prototype, 'userName');
octets(2)(TsPasswordCredsAsn.prototype, 'password');
sequence(TsPasswordCredsAsn);
