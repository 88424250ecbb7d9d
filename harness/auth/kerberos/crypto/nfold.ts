// n-fold, RFC 3961 §5.1: replicate the input, each copy rotated right by 13 bits more than the
// last, to lcm(len, n) bytes, then add the n-byte blocks with one's-complement addition.

export function nfold(input: Uint8Array, outBytes: number): Uint8Array {
  const inBytes = input.length;
  const lcm = (inBytes * outBytes) / gcd(inBytes, outBytes);
  const out = new Uint8Array(outBytes);
  let carry = 0;
  // Walk the lcm-byte string from its last byte to its first, adding it into `out`.
  for (let i = lcm - 1; i >= 0; i--) {
    const msbit = // the first bit of byte i of the expanded string, in input bit numbering
      ((inBytes << 3) - 1 + (((inBytes << 3) + 13) * Math.floor(i / inBytes)) + ((inBytes - (i % inBytes)) << 3)) % (inBytes << 3);
    const hi = input[((inBytes - 1 - (msbit >>> 3)) % inBytes + inBytes) % inBytes];
    const lo = input[((inBytes - (msbit >>> 3)) % inBytes + inBytes) % inBytes];
    const byte = (((hi << 8) | lo) >>> ((msbit & 7) + 1)) & 0xff;
    carry += byte + out[i % outBytes];
    out[i % outBytes] = carry & 0xff;
    carry >>>= 8;
  }
  // End-around carry of one's-complement addition.
  if (carry) {
    for (let i = outBytes - 1; i >= 0; i--) {
      carry += out[i];
      out[i] = carry & 0xff;
      carry >>>= 8;
      if (!carry) break;
    }
  }
  return out;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
