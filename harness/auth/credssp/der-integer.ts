// DER INTEGER (X.690 §8.3, §10): minimal two's complement, big-endian. harness/auth/der.ts
// has the TLV reader/writer but no INTEGER (SPNEGO has none); TSRequest needs it for
// version, errorCode and credType. Values are bounded to what those fields hold (±2^32).
import { DerError, tlv } from '../der.ts';

export const TAG_INTEGER = 0x02;

export function encodeInteger(n: number): Uint8Array {
  if (!Number.isSafeInteger(n)) throw new DerError(`INTEGER ${n} is not a safe integer`);
  let v = BigInt(n);
  const bytes: number[] = [];
  // Emit bytes until the remaining value is all sign bits and the top bit of the last byte agrees.
  for (;;) {
    const b = Number(BigInt.asUintN(8, v));
    bytes.unshift(b);
    v >>= 8n;
    if ((v === 0n && (b & 0x80) === 0) || (v === -1n && (b & 0x80) !== 0)) break;
  }
  return tlv(TAG_INTEGER, new Uint8Array(bytes));
}

export function decodeInteger(v: Uint8Array): number {
  if (v.length === 0) throw new DerError('DER: empty INTEGER');
  if (v.length > 6) throw new DerError('DER: INTEGER too large for this structure');
  // §8.3.2: the first nine bits are not all zero or all one (minimal encoding).
  if (v.length > 1 && ((v[0] === 0 && !(v[1] & 0x80)) || (v[0] === 0xff && v[1] & 0x80))) {
    throw new DerError('DER: INTEGER not minimally encoded');
  }
  let n = v[0] & 0x80 ? -1n : 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return Number(n);
}
