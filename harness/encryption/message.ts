// WinRM HTTP message encryption with NTLM, MS-WSMV §2.2.9.1.1, byte for byte as pywinrm 0.3.0
// writes and parses it (PROTOCOL.md "Message encryption over HTTP"):
//
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n
//   \tOriginalContent: type=<type>;Length=<plaintext length>\r\n
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/octet-stream\r\n
//   <u32 LE 16><16-byte signature><sealed payload>--Encrypted Boundary--\r\n
//
// No blank line before the binary part and no CRLF between payload and the closing boundary.
import { readU32le } from '../auth/bytes.ts';
import { SecurityError, SIGNATURE_LENGTH } from '../auth/ntlm/session.ts';
import {
  BOUNDARY,
  contentTypeParam,
  DEFAULT_ORIGINAL_TYPE,
  ENCRYPTED_CONTENT_TYPE,
  isEncryptedContentType,
  mediaTypeOf,
  SPNEGO_ENCRYPTED_PROTOCOL,
} from './content-type.ts';
import { EncryptionError } from './errors.ts';
import { allocBytes } from '../wire/bytes.ts';

/** What the encryption needs from a security context (NtlmSession satisfies it, as the sending or receiving role). */
export interface SealingSession {
  /** Writes the 16-byte signature and then the sealed payload into `out` at `at` (GSS_WrapEx). */
  sealInto(plaintext: Uint8Array, out: Uint8Array, at: number): void;
  unseal(sealed: Uint8Array, signature: Uint8Array): Uint8Array;
}

function latin1(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'latin1'));
}

function asBuffer(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

const CLOSING = latin1(`--${BOUNDARY}--\r\n`);
// The head after the Length digits, with the u32 LE signature length that starts the binary part.
const HEAD_END = latin1(`\r\n--${BOUNDARY}\r\n\tContent-Type: application/octet-stream\r\n\x10\0\0\0`);

// The head up to the Length digits, per original type (a connection uses one or two).
const headStarts = new Map<string, Uint8Array>();

function headStart(type: string): Uint8Array {
  let h = headStarts.get(type);
  if (h === undefined) {
    h = latin1(`--${BOUNDARY}\r\n\tContent-Type: ${SPNEGO_ENCRYPTED_PROTOCOL}\r\n\tOriginalContent: type=${type};Length=`);
    if (headStarts.size >= 16) headStarts.clear();
    headStarts.set(type, h);
  }
  return h;
}

export function encryptMessage(
  session: SealingSession,
  plaintext: Uint8Array,
  opts: { contentType?: string } = {},
): { contentType: string; body: Uint8Array } {
  const start = headStart(opts.contentType ?? DEFAULT_ORIGINAL_TYPE);
  const length = String(plaintext.length);
  // One buffer of the exact size: head (its start, the Length digits, its end and the u32 LE
  // signature length), signature and sealed payload (sealed in place), closing boundary.
  const sigAt = start.length + length.length + HEAD_END.length;
  const closeAt = sigAt + SIGNATURE_LENGTH + plaintext.length;
  const body = allocBytes(closeAt + CLOSING.length);
  body.set(start, 0);
  for (let i = 0; i < length.length; i++) body[start.length + i] = length.charCodeAt(i);
  body.set(HEAD_END, start.length + length.length);
  session.sealInto(plaintext, body, sigAt);
  body.set(CLOSING, closeAt);
  return { contentType: ENCRYPTED_CONTENT_TYPE, body };
}

export interface EncryptedParts {
  originalType: string;
  length: number;
  signature: Uint8Array;
  sealed: Uint8Array;
}

/** The delimiter lines of one boundary, as bytes (kept: every message uses the same boundary). */
interface Delimiters {
  delim: Uint8Array;
  close: Uint8Array;
}
const delimiters = new Map<string, Delimiters>();

function delimitersOf(boundary: string): Delimiters {
  let d = delimiters.get(boundary);
  if (d === undefined) {
    d = { delim: latin1(`--${boundary}\r\n`), close: latin1(`--${boundary}--`) };
    if (delimiters.size >= 16) delimiters.clear();
    delimiters.set(boundary, d);
  }
  return d;
}

/** Parses the framing without decrypting. Throws EncryptionError. */
export function parseEncryptedBody(contentType: string | undefined, body: Uint8Array): EncryptedParts {
  const p = locateParts(contentType, body);
  return { ...p, signature: p.signature.slice(), sealed: p.sealed.slice() };
}

const CONTENT_TYPE = latin1('content-type');
const ORIGINAL_CONTENT = latin1('originalcontent');
const SPNEGO_ENCRYPTED = latin1(SPNEGO_ENCRYPTED_PROTOCOL);
const OCTET_STREAM = latin1('application/octet-stream');

/**
 * parseEncryptedBody, with signature and sealed payload as views into `body` (for
 * decryptMessage, which only reads them). The MIME headers are read in place, as bytes: only
 * the OriginalContent type becomes a string.
 */
function locateParts(contentType: string | undefined, body: Uint8Array): EncryptedParts {
  if (!isEncryptedContentType(contentType)) {
    const mt = contentType ? mediaTypeOf(contentType) : '';
    if (mt === 'multipart/encrypted' || mt === 'multipart/x-multi-encrypted') {
      throw new EncryptionError('bad-content-type', 'multipart/encrypted for a protocol other than HTTP-SPNEGO-session-encrypted');
    }
    throw new EncryptionError('not-encrypted', `Content-Type ${JSON.stringify(contentType ?? '')} is not an encrypted WinRM body`);
  }
  const boundary = contentTypeParam(contentType!, 'boundary');
  if (!boundary) throw new EncryptionError('bad-content-type', 'multipart/encrypted without a boundary');
  const { close } = delimitersOf(boundary);
  const head = (boundary === BOUNDARY && canonicalHead(body)) || readHead(body, boundary);
  const binStart = head.binStart;

  // The closing boundary ends the body (pywinrm writes it with CRLF; tolerate its absence).
  let binEnd = body.length;
  if (endsWithCrlf(body) && bytesAt(body, body.length - 2 - close.length, close)) binEnd -= close.length + 2;
  else if (bytesAt(body, body.length - close.length, close)) binEnd -= close.length;
  else throw new EncryptionError('malformed', 'body does not end with the closing boundary');
  if (binEnd < binStart + 4) throw new EncryptionError('malformed', 'binary part truncated');

  const sigLen = readU32le(body, binStart);
  if (sigLen !== 16) throw new EncryptionError('malformed', `signature length ${sigLen}, expected 16 (NTLM)`);
  if (binEnd < binStart + 4 + sigLen) throw new EncryptionError('malformed', 'signature truncated');
  return {
    originalType: head.originalType,
    length: head.length,
    signature: body.subarray(binStart + 4, binStart + 4 + sigLen),
    sealed: body.subarray(binStart + 4 + sigLen, binEnd),
  };
}

/** What precedes the binary part: the OriginalContent and where the binary (u32 signature length) starts. */
interface Head {
  originalType: string;
  length: number;
  binStart: number;
}

// The head encryptMessage writes for a SOAP body, which pywinrm writes byte for byte as well,
// up to the Length digits (the rest is HEAD_END). Nearly every message has it: matched as bytes,
// it gives what readHead would read from it without walking the MIME header lines.
const CANONICAL_HEAD = headStart(DEFAULT_ORIGINAL_TYPE);

function canonicalHead(body: Uint8Array): Head | undefined {
  if (!bytesAt(body, 0, CANONICAL_HEAD)) return undefined;
  const digits = CANONICAL_HEAD.length;
  let end = digits;
  while (end < body.length && body[end] >= 0x30 && body[end] <= 0x39) end++;
  if (end === digits || !bytesAt(body, end, HEAD_END)) return undefined;
  // HEAD_END ends with the u32 LE signature length: the binary part starts 4 bytes before its end.
  return { originalType: DEFAULT_ORIGINAL_TYPE, length: digitsValue(body, digits, end), binStart: end + HEAD_END.length - 4 };
}

/** The two MIME part heads, read line by line (any spelling pywinrm's parser accepts). */
function readHead(body: Uint8Array, boundary: string): Head {
  const { delim } = delimitersOf(boundary);
  if (!bytesAt(body, 0, delim)) throw new EncryptionError('malformed', 'body does not start with the boundary');
  const second = asBuffer(body).indexOf(delim, delim.length);
  if (second < 0) throw new EncryptionError('malformed', 'no second MIME part');
  const h = readHeaders(body, delim.length, second);
  if (h.contentTypeAt < 0 || !valueIs(body, h.contentTypeAt, h.contentTypeEnd, SPNEGO_ENCRYPTED)) {
    throw new EncryptionError('malformed', 'first part is not application/HTTP-SPNEGO-session-encrypted');
  }
  const oc = h.originalContentAt < 0 ? undefined : originalContent(body, h.originalContentAt, h.originalContentEnd);
  if (!oc) throw new EncryptionError('malformed', 'OriginalContent header missing or without Length=');

  // Second part: one header line, then the binary directly (no blank line).
  const partStart = second + delim.length;
  const eol = indexOfCrlf(body, partStart, body.length);
  if (eol < 0) throw new EncryptionError('malformed', 'second part has no header line');
  const ph = readHeaders(body, partStart, eol);
  if (ph.contentTypeAt < 0 || !valueIs(body, ph.contentTypeAt, ph.contentTypeEnd, OCTET_STREAM)) {
    throw new EncryptionError('malformed', 'second part is not application/octet-stream');
  }
  return { originalType: oc.type, length: oc.length, binStart: eol + 2 };
}

/** Decrypts and verifies an encrypted body with the receiving side's session. Throws EncryptionError. */
export function decryptMessage(session: SealingSession, contentType: string | undefined, body: Uint8Array): Uint8Array {
  const p = locateParts(contentType, body);
  // RC4 keeps lengths, so a wrong Length= is caught before touching the session state.
  if (p.sealed.length !== p.length) {
    throw new EncryptionError('length-mismatch', `OriginalContent Length=${p.length} but ${p.sealed.length} sealed bytes`);
  }
  try {
    return session.unseal(p.sealed, p.signature);
  } catch (e) {
    if (e instanceof SecurityError) throw new EncryptionError(e.code, e.message);
    throw e;
  }
}

// --- MIME header lines, read as bytes (latin1) ---

/** Where the values of the two headers that matter lie (-1: absent); a later duplicate wins. */
interface HeaderValues {
  contentTypeAt: number;
  contentTypeEnd: number;
  originalContentAt: number;
  originalContentEnd: number;
}

/**
 * The header lines between `from` and `to`, split at CRLF: each non-blank line, trimmed, is
 * `name: value` (name and value trimmed, the name compared case-insensitively); a line without
 * a colon is malformed.
 */
function readHeaders(b: Uint8Array, from: number, to: number): HeaderValues {
  const h: HeaderValues = { contentTypeAt: -1, contentTypeEnd: -1, originalContentAt: -1, originalContentEnd: -1 };
  for (let start = from; start <= to; ) {
    let end = indexOfCrlf(b, start, to);
    if (end < 0) end = to;
    const next = end + 2;
    while (start < end && isSpace(b[start])) start++;
    while (end > start && isSpace(b[end - 1])) end--;
    if (start < end) {
      let colon = start;
      while (colon < end && b[colon] !== 0x3a) colon++;
      if (colon === end) throw new EncryptionError('malformed', 'MIME header line without a colon');
      let nameEnd = colon;
      while (nameEnd > start && isSpace(b[nameEnd - 1])) nameEnd--;
      let valueAt = colon + 1;
      while (valueAt < end && isSpace(b[valueAt])) valueAt++;
      if (equalsIgnoreCase(b, start, nameEnd, CONTENT_TYPE)) {
        h.contentTypeAt = valueAt;
        h.contentTypeEnd = end;
      } else if (equalsIgnoreCase(b, start, nameEnd, ORIGINAL_CONTENT)) {
        h.originalContentAt = valueAt;
        h.originalContentEnd = end;
      }
    }
    start = next;
  }
  return h;
}

/**
 * OriginalContent: `type=<type>;Length=<digits>` — as /^type=(.*);\s*Length=(\d+)\s*$/i reads
 * it: "type=" and "Length=" in any case, the type up to the last ';', no line break in it.
 */
function originalContent(b: Uint8Array, from: number, to: number): { type: string; length: number } | undefined {
  if (to - from < 5 || !equalsIgnoreCase(b, from, from + 5, TYPE_EQ)) return undefined;
  let semi = to - 1;
  while (semi >= from + 5 && b[semi] !== 0x3b) semi--;
  if (semi < from + 5) return undefined;
  for (let i = from + 5; i < semi; i++) if (b[i] === 0x0a || b[i] === 0x0d) return undefined;
  let at = semi + 1;
  while (at < to && isSpace(b[at])) at++;
  if (to - at < 7 || !equalsIgnoreCase(b, at, at + 7, LENGTH_EQ)) return undefined;
  const digits = at + 7;
  let end = digits;
  while (end < to && b[end] >= 0x30 && b[end] <= 0x39) end++;
  if (end === digits) return undefined;
  for (let i = end; i < to; i++) if (!isSpace(b[i])) return undefined;
  return { type: typeText(b, from + 5, semi), length: digitsValue(b, digits, end) };
}

// Every message of a connection names the same type: the last one's string is reused when
// the bytes are the same.
let lastType = { bytes: new Uint8Array(0), text: '' };

function typeText(b: Uint8Array, from: number, to: number): string {
  const kept = lastType.bytes;
  if (kept.length === to - from && bytesAt(b, from, kept)) return lastType.text;
  const bytes = b.slice(from, to);
  lastType = { bytes, text: asBuffer(bytes).toString('latin1') };
  return lastType.text;
}

/** The value of ASCII digits (as Number() of their text: exact up to 2^53, and beyond). */
function digitsValue(b: Uint8Array, from: number, to: number): number {
  if (to - from > 15) return Number(asBuffer(b).toString('latin1', from, to));
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (b[i] - 0x30);
  return n;
}

const TYPE_EQ = latin1('type=');
const LENGTH_EQ = latin1('length=');

/** What String.prototype.trim and \s remove, among latin1 characters: HT, LF, VT, FF, CR, space, NBSP. */
function isSpace(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0;
}

/** `b[from..to)` equals `lower` (ASCII lowercase) ignoring ASCII case. */
function equalsIgnoreCase(b: Uint8Array, from: number, to: number, lower: Uint8Array): boolean {
  if (to - from !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    if (lowerAscii(b[from + i]) !== lower[i]) return false;
  }
  return true;
}

/** A header value equals `expected` ignoring ASCII case (expected is written in mixed case). */
function valueIs(b: Uint8Array, from: number, to: number, expected: Uint8Array): boolean {
  if (to - from !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (lowerAscii(b[from + i]) !== lowerAscii(expected[i])) return false;
  return true;
}

function lowerAscii(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

function indexOfCrlf(b: Uint8Array, from: number, to: number): number {
  for (let i = from; i + 1 < to; i++) if (b[i] === 0x0d && b[i + 1] === 0x0a) return i;
  return -1;
}

function bytesAt(b: Uint8Array, at: number, s: Uint8Array): boolean {
  if (at < 0 || at + s.length > b.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s[i]) return false;
  return true;
}

function endsWithCrlf(b: Uint8Array): boolean {
  return b.length >= 2 && b[b.length - 2] === 0x0d && b[b.length - 1] === 0x0a;
}
