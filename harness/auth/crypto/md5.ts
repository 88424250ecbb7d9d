// MD5 (RFC 1321) and HMAC-MD5 (RFC 2104) in JavaScript. node:crypto has both, but each
// createHmac/createHash pays an OpenSSL 3 fetch and context set-up of ~1-2 µs, more than
// hashing the few hundred bytes NTLM signs; here an HMAC key's inner and outer states are
// computed once and kept with the key (MS-NLMP §3.4.4.2 signs every message with one SigningKey).

const INIT = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);

// Generated: the 64 steps of RFC 1321 §3.4 unrolled (round functions F, G, H, I; constants
// floor(abs(sin(i + 1)) * 2^32)), so the JIT sees straight-line integer code.
function compressWords(st: Int32Array, w: Int32Array, o: number): void {
  const x0 = w[o + 0];
  const x1 = w[o + 1];
  const x2 = w[o + 2];
  const x3 = w[o + 3];
  const x4 = w[o + 4];
  const x5 = w[o + 5];
  const x6 = w[o + 6];
  const x7 = w[o + 7];
  const x8 = w[o + 8];
  const x9 = w[o + 9];
  const x10 = w[o + 10];
  const x11 = w[o + 11];
  const x12 = w[o + 12];
  const x13 = w[o + 13];
  const x14 = w[o + 14];
  const x15 = w[o + 15];
  let a = st[0];
  let b1 = st[1];
  let c = st[2];
  let d = st[3];
  let t: number;
  t = (a + ((b1 & c) | (~b1 & d)) - 680876936 + x0) | 0;
  a = (b1 + ((t << 7) | (t >>> 25))) | 0;
  t = (d + ((a & b1) | (~a & c)) - 389564586 + x1) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b1)) + 606105819 + x2) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  t = (b1 + ((c & d) | (~c & a)) - 1044525330 + x3) | 0;
  b1 = (c + ((t << 22) | (t >>> 10))) | 0;
  t = (a + ((b1 & c) | (~b1 & d)) - 176418897 + x4) | 0;
  a = (b1 + ((t << 7) | (t >>> 25))) | 0;
  t = (d + ((a & b1) | (~a & c)) + 1200080426 + x5) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b1)) - 1473231341 + x6) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  t = (b1 + ((c & d) | (~c & a)) - 45705983 + x7) | 0;
  b1 = (c + ((t << 22) | (t >>> 10))) | 0;
  t = (a + ((b1 & c) | (~b1 & d)) + 1770035416 + x8) | 0;
  a = (b1 + ((t << 7) | (t >>> 25))) | 0;
  t = (d + ((a & b1) | (~a & c)) - 1958414417 + x9) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b1)) - 42063 + x10) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  t = (b1 + ((c & d) | (~c & a)) - 1990404162 + x11) | 0;
  b1 = (c + ((t << 22) | (t >>> 10))) | 0;
  t = (a + ((b1 & c) | (~b1 & d)) + 1804603682 + x12) | 0;
  a = (b1 + ((t << 7) | (t >>> 25))) | 0;
  t = (d + ((a & b1) | (~a & c)) - 40341101 + x13) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b1)) - 1502002290 + x14) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  t = (b1 + ((c & d) | (~c & a)) + 1236535329 + x15) | 0;
  b1 = (c + ((t << 22) | (t >>> 10))) | 0;
  t = (a + ((d & b1) | (~d & c)) - 165796510 + x1) | 0;
  a = (b1 + ((t << 5) | (t >>> 27))) | 0;
  t = (d + ((c & a) | (~c & b1)) - 1069501632 + x6) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  t = (c + ((b1 & d) | (~b1 & a)) + 643717713 + x11) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  t = (b1 + ((a & c) | (~a & d)) - 373897302 + x0) | 0;
  b1 = (c + ((t << 20) | (t >>> 12))) | 0;
  t = (a + ((d & b1) | (~d & c)) - 701558691 + x5) | 0;
  a = (b1 + ((t << 5) | (t >>> 27))) | 0;
  t = (d + ((c & a) | (~c & b1)) + 38016083 + x10) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  t = (c + ((b1 & d) | (~b1 & a)) - 660478335 + x15) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  t = (b1 + ((a & c) | (~a & d)) - 405537848 + x4) | 0;
  b1 = (c + ((t << 20) | (t >>> 12))) | 0;
  t = (a + ((d & b1) | (~d & c)) + 568446438 + x9) | 0;
  a = (b1 + ((t << 5) | (t >>> 27))) | 0;
  t = (d + ((c & a) | (~c & b1)) - 1019803690 + x14) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  t = (c + ((b1 & d) | (~b1 & a)) - 187363961 + x3) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  t = (b1 + ((a & c) | (~a & d)) + 1163531501 + x8) | 0;
  b1 = (c + ((t << 20) | (t >>> 12))) | 0;
  t = (a + ((d & b1) | (~d & c)) - 1444681467 + x13) | 0;
  a = (b1 + ((t << 5) | (t >>> 27))) | 0;
  t = (d + ((c & a) | (~c & b1)) - 51403784 + x2) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  t = (c + ((b1 & d) | (~b1 & a)) + 1735328473 + x7) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  t = (b1 + ((a & c) | (~a & d)) - 1926607734 + x12) | 0;
  b1 = (c + ((t << 20) | (t >>> 12))) | 0;
  t = (a + (b1 ^ c ^ d) - 378558 + x5) | 0;
  a = (b1 + ((t << 4) | (t >>> 28))) | 0;
  t = (d + (a ^ b1 ^ c) - 2022574463 + x8) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  t = (c + (d ^ a ^ b1) + 1839030562 + x11) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  t = (b1 + (c ^ d ^ a) - 35309556 + x14) | 0;
  b1 = (c + ((t << 23) | (t >>> 9))) | 0;
  t = (a + (b1 ^ c ^ d) - 1530992060 + x1) | 0;
  a = (b1 + ((t << 4) | (t >>> 28))) | 0;
  t = (d + (a ^ b1 ^ c) + 1272893353 + x4) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  t = (c + (d ^ a ^ b1) - 155497632 + x7) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  t = (b1 + (c ^ d ^ a) - 1094730640 + x10) | 0;
  b1 = (c + ((t << 23) | (t >>> 9))) | 0;
  t = (a + (b1 ^ c ^ d) + 681279174 + x13) | 0;
  a = (b1 + ((t << 4) | (t >>> 28))) | 0;
  t = (d + (a ^ b1 ^ c) - 358537222 + x0) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  t = (c + (d ^ a ^ b1) - 722521979 + x3) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  t = (b1 + (c ^ d ^ a) + 76029189 + x6) | 0;
  b1 = (c + ((t << 23) | (t >>> 9))) | 0;
  t = (a + (b1 ^ c ^ d) - 640364487 + x9) | 0;
  a = (b1 + ((t << 4) | (t >>> 28))) | 0;
  t = (d + (a ^ b1 ^ c) - 421815835 + x12) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  t = (c + (d ^ a ^ b1) + 530742520 + x15) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  t = (b1 + (c ^ d ^ a) - 995338651 + x2) | 0;
  b1 = (c + ((t << 23) | (t >>> 9))) | 0;
  t = (a + (c ^ (b1 | ~d)) - 198630844 + x0) | 0;
  a = (b1 + ((t << 6) | (t >>> 26))) | 0;
  t = (d + (b1 ^ (a | ~c)) + 1126891415 + x7) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  t = (c + (a ^ (d | ~b1)) - 1416354905 + x14) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  t = (b1 + (d ^ (c | ~a)) - 57434055 + x5) | 0;
  b1 = (c + ((t << 21) | (t >>> 11))) | 0;
  t = (a + (c ^ (b1 | ~d)) + 1700485571 + x12) | 0;
  a = (b1 + ((t << 6) | (t >>> 26))) | 0;
  t = (d + (b1 ^ (a | ~c)) - 1894986606 + x3) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  t = (c + (a ^ (d | ~b1)) - 1051523 + x10) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  t = (b1 + (d ^ (c | ~a)) - 2054922799 + x1) | 0;
  b1 = (c + ((t << 21) | (t >>> 11))) | 0;
  t = (a + (c ^ (b1 | ~d)) + 1873313359 + x8) | 0;
  a = (b1 + ((t << 6) | (t >>> 26))) | 0;
  t = (d + (b1 ^ (a | ~c)) - 30611744 + x15) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  t = (c + (a ^ (d | ~b1)) - 1560198380 + x6) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  t = (b1 + (d ^ (c | ~a)) + 1309151649 + x13) | 0;
  b1 = (c + ((t << 21) | (t >>> 11))) | 0;
  t = (a + (c ^ (b1 | ~d)) - 145523070 + x4) | 0;
  a = (b1 + ((t << 6) | (t >>> 26))) | 0;
  t = (d + (b1 ^ (a | ~c)) - 1120210379 + x11) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  t = (c + (a ^ (d | ~b1)) + 718787259 + x2) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  t = (b1 + (d ^ (c | ~a)) - 343485551 + x9) | 0;
  b1 = (c + ((t << 21) | (t >>> 11))) | 0;
  st[0] = (st[0] + a) | 0;
  st[1] = (st[1] + b1) | 0;
  st[2] = (st[2] + c) | 0;
  st[3] = (st[3] + d) | 0;
}

/** Message words of a block read byte by byte (compression is synchronous: one scratch suffices). */
const X = new Int32Array(16);

/** One 64-byte block at `off` of `b` into `st` (words are little-endian, RFC 1321 §3.4). */
function compress(st: Int32Array, b: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++, off += 4) X[i] = b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
  compressWords(st, X, 0);
}

/** Aligned blocks can be read as 32-bit words directly where the platform is little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A streaming MD5: update() any number of times, then digest() (which also resets it). */
export class Md5 {
  private readonly st = INIT.slice();
  private readonly buf = new Uint8Array(64);
  private used = 0;
  private total = 0;

  /** Starts over from the 4 words of `state` at `at`, after `bytesDone` bytes (an HMAC key's padded block already hashed). */
  restart(state: Int32Array = INIT, bytesDone = 0, at = 0): this {
    const st = this.st;
    st[0] = state[at];
    st[1] = state[at + 1];
    st[2] = state[at + 2];
    st[3] = state[at + 3];
    this.used = 0;
    this.total = bytesDone;
    return this;
  }

  /** Copies the chaining state after whole blocks into `out` at `at` (HMAC keeps a key's padded blocks so). */
  saveState(out: Int32Array, at: number): void {
    const st = this.st;
    out[at] = st[0];
    out[at + 1] = st[1];
    out[at + 2] = st[2];
    out[at + 3] = st[3];
  }

  update(data: Uint8Array): this {
    let i = 0;
    const n = data.length;
    const buf = this.buf;
    this.total += n;
    if (this.used > 0) {
      let used = this.used;
      while (used < 64 && i < n) buf[used++] = data[i++];
      this.used = used;
      if (used < 64) return this;
      compress(this.st, buf, 0);
      this.used = 0;
    }
    if (n - i >= 64 && LITTLE_ENDIAN && ((data.byteOffset + i) & 3) === 0) {
      const words = new Int32Array(data.buffer, data.byteOffset + i, (n - i) >> 2);
      let o = 0;
      for (; i + 64 <= n; i += 64, o += 16) compressWords(this.st, words, o);
    }
    for (; i + 64 <= n; i += 64) compress(this.st, data, i);
    let used = 0;
    while (i < n) buf[used++] = data[i++];
    this.used = used;
    return this;
  }

  /** The 16-byte digest, written into `out` at `at` (a new array by default); the hasher restarts. */
  digest(out: Uint8Array = new Uint8Array(16), at = 0): Uint8Array {
    // Padding: 0x80, zeros to 56 mod 64, then the bit length as 64-bit little-endian (§3.1-3.2).
    const buf = this.buf;
    buf[this.used++] = 0x80;
    if (this.used > 56) {
      buf.fill(0, this.used);
      compress(this.st, buf, 0);
      this.used = 0;
    }
    buf.fill(0, this.used, 56);
    const bits = this.total * 8;
    const lo = bits >>> 0;
    const hi = Math.floor(bits / 2 ** 32) >>> 0;
    for (let k = 0; k < 4; k++) {
      buf[56 + k] = (lo >>> (8 * k)) & 0xff;
      buf[60 + k] = (hi >>> (8 * k)) & 0xff;
    }
    compress(this.st, buf, 0);
    for (let w = 0; w < 4; w++) {
      const v = this.st[w];
      out[at + 4 * w] = v & 0xff;
      out[at + 4 * w + 1] = (v >>> 8) & 0xff;
      out[at + 4 * w + 2] = (v >>> 16) & 0xff;
      out[at + 4 * w + 3] = (v >>> 24) & 0xff;
    }
    this.restart();
    return out;
  }
}

// Scratch for HMAC (synchronous, never re-entered): no allocation per MAC but its result.
const scratch = new Md5();
const innerDigest = new Uint8Array(16);
const pad = new Uint8Array(64);

/**
 * An HMAC-MD5 key (RFC 2104): the hashed ipad and opad blocks, computed once. Cheap to make
 * (one small array): a handshake makes one per derived key.
 */
export class HmacMd5Key {
  /** Chaining states after the ipad block (0..3) and after the opad block (4..7). */
  private readonly pads = new Int32Array(8);

  constructor(key: Uint8Array) {
    // Keys longer than the block are hashed first (RFC 2104 §2).
    const k = key.length > 64 ? new Md5().update(key).digest() : key;
    pad.fill(0x36);
    for (let i = 0; i < k.length; i++) pad[i] ^= k[i];
    scratch.restart().update(pad).saveState(this.pads, 0);
    pad.fill(0x5c);
    for (let i = 0; i < k.length; i++) pad[i] ^= k[i];
    scratch.restart().update(pad).saveState(this.pads, 4);
    scratch.restart();
  }

  /** HMAC-MD5 of `a ‖ b` written into `out` at `at` (a session signs every message so: no allocation). */
  macInto(out: Uint8Array, at: number, a: Uint8Array, b: Uint8Array): void {
    const h = scratch.restart(this.pads, 64, 0);
    h.update(a).update(b).digest(innerDigest);
    h.restart(this.pads, 64, 4).update(innerDigest).digest(out, at);
  }

  /** HMAC-MD5 of the concatenation of `parts`. */
  mac(...parts: Uint8Array[]): Uint8Array {
    const h = scratch.restart(this.pads, 64, 0);
    for (const p of parts) h.update(p);
    h.digest(innerDigest);
    return h.restart(this.pads, 64, 4).update(innerDigest).digest();
  }
}
