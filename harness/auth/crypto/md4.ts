// MD4 (RFC 1320), needed for the NT hash (MS-NLMP §3.3.1 NTOWFv1 = MD4(UNICODE(Password))).
// A local implementation because Node's OpenSSL 3 keeps MD4 in the legacy provider and a
// harness must not ask its users for --openssl-legacy-provider.

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

export function md4(input: Uint8Array): Uint8Array {
  // RFC 1320 §3.1–3.2: pad with 0x80, zeros to 56 mod 64, then the bit length (64-bit LE).
  const bitLen = BigInt(input.length) * 8n;
  const padLen = ((input.length % 64) < 56 ? 56 : 120) - (input.length % 64);
  const msg = new Uint8Array(input.length + padLen + 8);
  msg.set(input);
  msg[input.length] = 0x80;
  const dv = new DataView(msg.buffer);
  dv.setBigUint64(msg.length - 8, bitLen, true);

  // RFC 1320 §3.3: initial buffer.
  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Array<number>(16);
  const F = (p: number, q: number, r: number) => (p & q) | (~p & r);
  const G = (p: number, q: number, r: number) => (p & q) | (p & r) | (q & r);
  const H = (p: number, q: number, r: number) => p ^ q ^ r;

  for (let off = 0; off < msg.length; off += 64) {
    for (let j = 0; j < 16; j++) x[j] = dv.getUint32(off + j * 4, true);
    const aa = a, bb = b, cc = c, dd = d;
    // Round 1 (RFC 1320 §3.4): [abcd k s] a = (a + F(b,c,d) + X[k]) <<< s
    for (const k of [0, 4, 8, 12]) {
      a = rotl((a + F(b, c, d) + x[k]) | 0, 3);
      d = rotl((d + F(a, b, c) + x[k + 1]) | 0, 7);
      c = rotl((c + F(d, a, b) + x[k + 2]) | 0, 11);
      b = rotl((b + F(c, d, a) + x[k + 3]) | 0, 19);
    }
    // Round 2: a = (a + G(b,c,d) + X[k] + 5A827999) <<< s
    for (const k of [0, 1, 2, 3]) {
      a = rotl((a + G(b, c, d) + x[k] + 0x5a827999) | 0, 3);
      d = rotl((d + G(a, b, c) + x[k + 4] + 0x5a827999) | 0, 5);
      c = rotl((c + G(d, a, b) + x[k + 8] + 0x5a827999) | 0, 9);
      b = rotl((b + G(c, d, a) + x[k + 12] + 0x5a827999) | 0, 13);
    }
    // Round 3: a = (a + H(b,c,d) + X[k] + 6ED9EBA1) <<< s
    for (const k of [0, 2, 1, 3]) {
      a = rotl((a + H(b, c, d) + x[k] + 0x6ed9eba1) | 0, 3);
      d = rotl((d + H(a, b, c) + x[k + 8] + 0x6ed9eba1) | 0, 9);
      c = rotl((c + H(d, a, b) + x[k + 4] + 0x6ed9eba1) | 0, 11);
      b = rotl((b + H(c, d, a) + x[k + 12] + 0x6ed9eba1) | 0, 15);
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  const out = new Uint8Array(16);
  const odv = new DataView(out.buffer);
  odv.setUint32(0, a >>> 0, true);
  odv.setUint32(4, b >>> 0, true);
  odv.setUint32(8, c >>> 0, true);
  odv.setUint32(12, d >>> 0, true);
  return out;
}
