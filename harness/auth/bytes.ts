// Small byte helpers shared by the auth and encryption codecs (little-endian, as MS-NLMP).

import { allocBytes } from '../wire/bytes.ts';

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = allocBytes(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Constant-time comparison: the time does not depend on where two secrets differ. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error('fromHex: not a hex string');
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

// NTLM's strings are short: a loop over the UTF-16 code units beats a Buffer encode call
// (the same bytes: code units as they are, lone surrogates included).
export function utf16le(s: string): Uint8Array {
  const out = allocBytes(2 * s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

export function fromUtf16le(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf16le');
}

export function utf8(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf8'));
}

/** OEM strings (MS-NLMP §2.2, no UNICODE flag): 8-bit code page; latin1 keeps every byte. */
export function oem(s: string): Uint8Array {
  const out = allocBytes(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff; // as Buffer's latin1 encoder
  return out;
}

export function fromOem(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

// The fixed-size fields below come from the byte slab (allocBytes): a handshake builds dozens.
export function u16le(n: number): Uint8Array {
  const out = allocBytes(2);
  out[0] = n & 0xff;
  out[1] = (n >>> 8) & 0xff;
  return out;
}

export function u32le(n: number): Uint8Array {
  const out = allocBytes(4);
  out[0] = n & 0xff;
  out[1] = (n >>> 8) & 0xff;
  out[2] = (n >>> 16) & 0xff;
  out[3] = (n >>> 24) & 0xff;
  return out;
}

export function u64le(n: bigint): Uint8Array {
  const out = allocBytes(8);
  writeU64le(out, 0, n);
  return out;
}

export function writeU64le(b: Uint8Array, at: number, n: bigint): void {
  const v = BigInt.asUintN(64, n);
  writeU32le(b, at, Number(v & 0xffffffffn));
  writeU32le(b, at + 4, Number(v >> 32n));
}

export function writeU16le(b: Uint8Array, at: number, n: number): void {
  b[at] = n & 0xff;
  b[at + 1] = (n >>> 8) & 0xff;
}

export function writeU32le(b: Uint8Array, at: number, n: number): void {
  b[at] = n & 0xff;
  b[at + 1] = (n >>> 8) & 0xff;
  b[at + 2] = (n >>> 16) & 0xff;
  b[at + 3] = (n >>> 24) & 0xff;
}

export function readU16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function readU32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

export function readU64le(b: Uint8Array, o: number): bigint {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(o, true);
}

export function base64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}
