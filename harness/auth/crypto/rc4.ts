// RC4, the stream cipher of NTLM key exchange and sealing (MS-NLMP §3.4.3, §3.1.5.1.2).
// A local implementation because Node's OpenSSL 3 keeps RC4 in the legacy provider, and a
// harness must not ask its users for --openssl-legacy-provider.
// Stateful: the keystream continues across update() calls, as an NTLM sealing handle must.

import { allocBytes } from '../../wire/bytes.ts';
import { RC4_CHUNK, rc4Kernel, type Rc4Kernel } from './rc4-wasm.ts';

/** Passed by clone(): the state is copied in right after, so no key schedule is run. */
const NO_KEY = new Uint8Array([0]);

export class Rc4 {
  #s = allocBytes(256);
  #i = 0;
  #j = 0;

  constructor(key: Uint8Array) {
    if (key.length < 1 || key.length > 256) throw new RangeError('RC4 key must be 1..256 bytes');
    if (key === NO_KEY) return;
    const s = this.#s;
    for (let i = 0; i < 256; i++) s[i] = i;
    // Key scheduling; the key index wraps by comparison (a modulo per byte costs a division).
    let j = 0;
    for (let i = 0, k = 0; i < 256; i++, k = k + 1 === key.length ? 0 : k + 1) {
      j = (j + s[i] + key[k]) & 0xff;
      const t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
  }

  /** Encrypts (or decrypts: RC4 is symmetric) and advances the keystream. */
  update(data: Uint8Array): Uint8Array {
    return this.updateInto(data, allocBytes(data.length), 0);
  }

  /** update(), writing the result into `out` from offset `at` (lets a caller build a message in one buffer); returns `out`. */
  updateInto(data: Uint8Array, out: Uint8Array, at: number): Uint8Array {
    if (at < 0 || at + data.length > out.length) throw new RangeError('RC4 output does not fit');
    const ij =
      rc4Kernel !== undefined && data.length >= KERNEL_MIN
        ? rc4Wasm(rc4Kernel, this.#s, this.#i, this.#j, data, out, at)
        : rc4Js(this.#s, this.#i, this.#j, data, out, at);
    this.#i = ij >>> 8;
    this.#j = ij & 0xff;
    return out;
  }

  /** An independent copy at the same keystream position (lets a caller commit only on success). */
  clone(): Rc4 {
    const c = new Rc4(NO_KEY);
    c.#s.set(this.#s);
    c.#i = this.#i;
    c.#j = this.#j;
    return c;
  }

  /** Adopts another handle's state (the commit half of clone()). */
  assign(other: Rc4): void {
    this.#s.set(other.#s);
    this.#i = other.#i;
    this.#j = other.#j;
  }
}

/**
 * Below this many bytes the JavaScript loop wins: the kernel copies the 256-byte state in and
 * out. (A signature's 8-byte checksum goes the JavaScript way, a sealed message the kernel's.)
 */
const KERNEL_MIN = 128;

/**
 * The keystream loop in JavaScript: XORs `data` into `out` at `at` from state (s, i, j);
 * returns the new (i << 8) | j. The reference the WebAssembly kernel is tested against.
 */
export function rc4Js(s: Uint8Array, i: number, j: number, data: Uint8Array, out: Uint8Array, at: number): number {
  const n = data.length;
  let k = 0;
  let si: number, sj: number;
  // Eight keystream bytes are drawn before the eight output bytes are written: interleaving
  // each output store with the swaps runs about 40 % slower in V8 (bench: 2 KB messages).
  for (; k + 8 <= n; k += 8) {
    i = (i + 1) & 0xff; si = s[i]; j = (j + si) & 0xff; sj = s[j]; s[i] = sj; s[j] = si;
    const k0 = s[(si + sj) & 0xff];
    i = (i + 1) & 0xff; si = s[i]; j = (j + si) & 0xff; sj = s[j]; s[i] = sj; s[j] = si;
    const k1 = s[(si + sj) & 0xff];
    i = (i + 1) & 0xff; si = s[i]; j = (j + si) & 0xff; sj = s[j]; s[i] = sj; s[j] = si;
    const k2 = s[(si + sj) & 0xff];
    i = (i + 1) & 0xff; si = s[i]; j = (j + si) & 0xff; sj = s[j]; s[i] = sj; s[j] = si;
    const k3 = s[(si + sj) & 0xff];
    i = (i + 1) & 0xff; si = s[i]; j = (j + si) & 0xff; sj = s[j]; s[i] = sj; s[j] = si;
    const k4 = s[(si + sj) & 0xff];
    i = (i + 1) & 0xff; si = s[i]; j = (j + si) & 0xff; sj = s[j]; s[i] = sj; s[j] = si;
    const k5 = s[(si + sj) & 0xff];
    i = (i + 1) & 0xff; si = s[i]; j = (j + si) & 0xff; sj = s[j]; s[i] = sj; s[j] = si;
    const k6 = s[(si + sj) & 0xff];
    i = (i + 1) & 0xff; si = s[i]; j = (j + si) & 0xff; sj = s[j]; s[i] = sj; s[j] = si;
    const k7 = s[(si + sj) & 0xff];
    const o = at + k;
    out[o] = data[k] ^ k0;
    out[o + 1] = data[k + 1] ^ k1;
    out[o + 2] = data[k + 2] ^ k2;
    out[o + 3] = data[k + 3] ^ k3;
    out[o + 4] = data[k + 4] ^ k4;
    out[o + 5] = data[k + 5] ^ k5;
    out[o + 6] = data[k + 6] ^ k6;
    out[o + 7] = data[k + 7] ^ k7;
  }
  for (; k < n; k++) {
    i = (i + 1) & 0xff;
    si = s[i];
    j = (j + si) & 0xff;
    sj = s[j];
    s[i] = sj;
    s[j] = si;
    out[at + k] = data[k] ^ s[(si + sj) & 0xff];
  }
  return (i << 8) | j;
}

/** rc4Js() through the WebAssembly kernel (rc4-wasm.ts): state and data are copied in and out. */
export function rc4Wasm(kernel: Rc4Kernel, s: Uint8Array, i: number, j: number, data: Uint8Array, out: Uint8Array, at: number): number {
  const mem = kernel.mem;
  mem.set(s, 0);
  let ij = (i << 8) | j;
  for (let k = 0; k < data.length; k += RC4_CHUNK) {
    const n = Math.min(RC4_CHUNK, data.length - k);
    mem.set(k === 0 && n === data.length ? data : data.subarray(k, k + n), 256);
    ij = kernel.run(ij >>> 8, ij & 0xff, n);
    out.set(mem.subarray(256, 256 + n), at + k);
  }
  s.set(mem.subarray(0, 256));
  return ij;
}
