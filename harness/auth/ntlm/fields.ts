// Shared field codecs of MS-NLMP §2.2: signature, security buffers ("fields": Len, MaxLen,
// BufferOffset), VERSION (§2.2.2.10) and negotiated-charset strings.
import { NtlmError } from './errors.ts';
import { hasFlag, NegotiateFlags } from './flags.ts';
import { fromOem, fromUtf16le, oem, readU16le, readU32le, utf16le, writeU16le, writeU32le } from '../bytes.ts';

/** "NTLMSSP\0", MS-NLMP §2.2.1. */
export const NTLMSSP_SIGNATURE = new Uint8Array([0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00]);

export const MessageType = { NEGOTIATE: 1, CHALLENGE: 2, AUTHENTICATE: 3 } as const;

export function isNtlmssp(b: Uint8Array): boolean {
  if (b.length < 12) return false;
  for (let i = 0; i < 8; i++) if (b[i] !== NTLMSSP_SIGNATURE[i]) return false;
  return true;
}

/** Checks the signature and MessageType; returns nothing, throws a typed error. */
export function expectHeader(b: Uint8Array, type: number, minLength: number): void {
  if (!isNtlmssp(b)) throw new NtlmError('malformed', 'not an NTLMSSP message');
  const t = readU32le(b, 8);
  if (t !== type) throw new NtlmError('wrong-type', `expected NTLM message type ${type}, got ${t}`);
  if (b.length < minLength) throw new NtlmError('malformed', `NTLM type ${type} message truncated`);
}

/** Reads the payload a security buffer at `at` points to, bounds-checked. */
export function readBuffer(b: Uint8Array, at: number, what: string): Uint8Array {
  if (at + 8 > b.length) throw new NtlmError('malformed', `${what} field truncated`);
  const len = readU16le(b, at);
  const off = readU32le(b, at + 4);
  if (len === 0) return new Uint8Array(0);
  if (off + len > b.length) throw new NtlmError('malformed', `${what} points outside the message`);
  return b.slice(off, off + len);
}

/** Offset a security buffer points to (used to find where the payload starts). */
export function bufferOffset(b: Uint8Array, at: number): { len: number; off: number } {
  return { len: readU16le(b, at), off: readU32le(b, at + 4) };
}

/** Bytes of a message's payload (its buffers back to back); a field longer than 65535 bytes is refused. */
export function payloadLength(payloads: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of payloads) {
    if (p.length > 0xffff) throw new NtlmError('malformed', 'NTLM field longer than 65535 bytes');
    n += p.length;
  }
  return n;
}

/**
 * Writes `payloads` back to back from `headerLength` on, and the security buffer of payload i
 * (Len, MaxLen, BufferOffset) at `fieldAt[i]`: a message is encoded into one buffer.
 */
export function writePayloads(out: Uint8Array, headerLength: number, fieldAt: readonly number[], payloads: readonly Uint8Array[]): void {
  let off = headerLength;
  for (let i = 0; i < payloads.length; i++) {
    const p = payloads[i];
    const at = fieldAt[i];
    writeU16le(out, at, p.length);
    writeU16le(out, at + 2, p.length);
    writeU32le(out, at + 4, off);
    out.set(p, off);
    off += p.length;
  }
}

/** Signature and MessageType, the first 12 bytes of every message. */
export function writeHeader(out: Uint8Array, type: number): void {
  out.set(NTLMSSP_SIGNATURE, 0);
  writeU32le(out, 8, type);
}

/** VERSION, MS-NLMP §2.2.2.10: major, minor, build (LE16), 3 reserved, NTLMRevisionCurrent 15. */
export interface NtlmVersion {
  major: number;
  minor: number;
  build: number;
  revision: number;
}

export const WINDOWS_SERVER_2019: NtlmVersion = { major: 10, minor: 0, build: 17763, revision: 15 };

/** Writes VERSION at `at` (8 bytes; nothing for none: the caller's buffer is zeroed). */
export function writeVersion(out: Uint8Array, at: number, v: NtlmVersion | undefined): void {
  if (!v) return;
  out[at] = v.major;
  out[at + 1] = v.minor;
  writeU16le(out, at + 2, v.build);
  out[at + 7] = v.revision;
}

export function decodeVersion(b: Uint8Array, at: number): NtlmVersion {
  return { major: b[at], minor: b[at + 1], build: readU16le(b, at + 2), revision: b[at + 7] };
}

/** Strings in the negotiated charset: UTF-16LE with UNICODE, else OEM (MS-NLMP §2.2). */
export function encodeString(s: string, flags: number): Uint8Array {
  return hasFlag(flags, NegotiateFlags.NEGOTIATE_UNICODE) ? utf16le(s) : oem(s);
}

export function decodeString(b: Uint8Array, flags: number): string {
  if (hasFlag(flags, NegotiateFlags.NEGOTIATE_UNICODE)) {
    if (b.length % 2 !== 0) throw new NtlmError('malformed', 'odd-length UTF-16 string');
    return fromUtf16le(b);
  }
  return fromOem(b);
}
