// DER INTEGER (X.690 §8.3, §10) through asn1js, for the INTEGER fields of TSRequest and
// TSCredentials (version, errorCode, credType). Values are bounded to what those fields hold
// (±2^32 fits; 6 content bytes at most), so a hostile INTEGER cannot become a huge bigint.
import * as asn1js from 'asn1js';
import { DerError } from '../der.ts';

export const TAG_INTEGER = 0x02;

/** The whole TLV (02 len value), minimal two's complement. */
export function encodeInteger(n: number): Uint8Array {
  if (!Number.isSafeInteger(n)) throw new DerError(`INTEGER ${n} is not a safe integer`);
  // Integer({ value }), not Integer.fromBigInt: the latter mis-encodes some negatives.
  return new Uint8Array(new asn1js.Integer({ value: n }).toBER());
}

/** The value of an INTEGER from its content octets `v` (no tag, no length). */
export function decodeInteger(v: Uint8Array): number {
  if (v.length === 0) throw new DerError('DER: empty INTEGER');
  if (v.length > 6) throw new DerError('DER: INTEGER too large for this structure');
  // §8.3.2: the first nine bits are not all zero or all one (minimal encoding). asn1js accepts
  // either (BER), so DER's rule is checked here.
  if (v.length > 1 && ((v[0] === 0 && !(v[1] & 0x80)) || (v[0] === 0xff && v[1] & 0x80))) {
    throw new DerError('DER: INTEGER not minimally encoded');
  }
  return Number(new asn1js.Integer({ valueHex: v }).toBigInt());
}
