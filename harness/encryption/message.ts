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
import { concatBytes, readU32le, u32le } from '../auth/bytes.ts';
import { SecurityError } from '../auth/ntlm/session.ts';
import {
  BOUNDARY,
  DEFAULT_ORIGINAL_TYPE,
  ENCRYPTED_CONTENT_TYPE,
  isEncryptedContentType,
  parseContentType,
  SPNEGO_ENCRYPTED_PROTOCOL,
} from './content-type.ts';
import { EncryptionError } from './errors.ts';
import { allocBytes } from '../wire/bytes.ts';

/** What the encryption needs from a security context (NtlmSession satisfies it, as the sending or receiving role). */
export interface SealingSession {
  seal(plaintext: Uint8Array): { signature: Uint8Array; sealed: Uint8Array };
  unseal(sealed: Uint8Array, signature: Uint8Array): Uint8Array;
}

const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

const CLOSING = latin1(`--${BOUNDARY}--\r\n`);

export function encryptMessage(
  session: SealingSession,
  plaintext: Uint8Array,
  opts: { contentType?: string } = {},
): { contentType: string; body: Uint8Array } {
  const type = opts.contentType ?? DEFAULT_ORIGINAL_TYPE;
  const { signature, sealed } = session.seal(plaintext);
  const head =
    `--${BOUNDARY}\r\n` +
    `\tContent-Type: ${SPNEGO_ENCRYPTED_PROTOCOL}\r\n` +
    `\tOriginalContent: type=${type};Length=${plaintext.length}\r\n` +
    `--${BOUNDARY}\r\n` +
    `\tContent-Type: application/octet-stream\r\n`;
  // One allocation: head (latin1), u32 LE signature length, signature, sealed payload, closing boundary.
  const headBytes = Buffer.byteLength(head, 'latin1');
  const body = allocBytes(headBytes + 4 + signature.length + sealed.length + CLOSING.length);
  Buffer.from(body.buffer, body.byteOffset, body.byteLength).write(head, 0, 'latin1');
  let at = headBytes;
  body.set(u32le(signature.length), at);
  at += 4;
  body.set(signature, at);
  at += signature.length;
  body.set(sealed, at);
  at += sealed.length;
  body.set(CLOSING, at);
  return { contentType: ENCRYPTED_CONTENT_TYPE, body };
}

export interface EncryptedParts {
  originalType: string;
  length: number;
  signature: Uint8Array;
  sealed: Uint8Array;
}

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  return asBuffer(hay).indexOf(needle, from);
}

const CRLF = latin1('\r\n');

/** The delimiter lines of one boundary, as bytes (kept: every message uses the same boundary). */
interface Delimiters {
  delim: Uint8Array;
  close: Uint8Array;
  closeCrlf: Uint8Array;
}
const delimiters = new Map<string, Delimiters>();

function delimitersOf(boundary: string): Delimiters {
  let d = delimiters.get(boundary);
  if (d === undefined) {
    const close = latin1(`--${boundary}--`);
    d = { delim: latin1(`--${boundary}\r\n`), close, closeCrlf: concatBytes(close, CRLF) };
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

/** parseEncryptedBody, with signature and sealed payload as views into `body` (for decryptMessage, which only reads them). */
function locateParts(contentType: string | undefined, body: Uint8Array): EncryptedParts {
  if (!isEncryptedContentType(contentType)) {
    const mt = contentType ? parseContentType(contentType).mediaType : '';
    if (mt === 'multipart/encrypted' || mt === 'multipart/x-multi-encrypted') {
      throw new EncryptionError('bad-content-type', 'multipart/encrypted for a protocol other than HTTP-SPNEGO-session-encrypted');
    }
    throw new EncryptionError('not-encrypted', `Content-Type ${JSON.stringify(contentType ?? '')} is not an encrypted WinRM body`);
  }
  const boundary = parseContentType(contentType!).params.boundary;
  if (!boundary) throw new EncryptionError('bad-content-type', 'multipart/encrypted without a boundary');
  const { delim, close, closeCrlf } = delimitersOf(boundary);

  if (indexOf(body, delim, 0) !== 0) throw new EncryptionError('malformed', 'body does not start with the boundary');
  const second = indexOf(body, delim, delim.length);
  if (second < 0) throw new EncryptionError('malformed', 'no second MIME part');
  const headers = asBuffer(body).toString('latin1', delim.length, second);
  const h = parseHeaderLines(headers);
  if (h['content-type']?.toLowerCase() !== SPNEGO_ENCRYPTED_PROTOCOL.toLowerCase()) {
    throw new EncryptionError('malformed', 'first part is not application/HTTP-SPNEGO-session-encrypted');
  }
  const oc = h['originalcontent'];
  const m = oc ? /^type=(.*);\s*Length=(\d+)\s*$/i.exec(oc) : null;
  if (!m) throw new EncryptionError('malformed', 'OriginalContent header missing or without Length=');
  const length = Number(m[2]);

  // Second part: one header line, then the binary directly (no blank line).
  const partStart = second + delim.length;
  const eol = indexOf(body, CRLF, partStart);
  if (eol < 0) throw new EncryptionError('malformed', 'second part has no header line');
  const ph = parseHeaderLines(asBuffer(body).toString('latin1', partStart, eol));
  if (ph['content-type']?.toLowerCase() !== 'application/octet-stream') throw new EncryptionError('malformed', 'second part is not application/octet-stream');
  const binStart = eol + 2;

  // The closing boundary ends the body (pywinrm writes it with CRLF; tolerate its absence).
  let binEnd = body.length;
  if (endsWith(body, closeCrlf)) binEnd -= close.length + 2;
  else if (endsWith(body, close)) binEnd -= close.length;
  else throw new EncryptionError('malformed', 'body does not end with the closing boundary');
  if (binEnd < binStart + 4) throw new EncryptionError('malformed', 'binary part truncated');

  const sigLen = readU32le(body, binStart);
  if (sigLen !== 16) throw new EncryptionError('malformed', `signature length ${sigLen}, expected 16 (NTLM)`);
  if (binEnd < binStart + 4 + sigLen) throw new EncryptionError('malformed', 'signature truncated');
  return {
    originalType: m[1],
    length,
    signature: body.subarray(binStart + 4, binStart + 4 + sigLen),
    sealed: body.subarray(binStart + 4 + sigLen, binEnd),
  };
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

function parseHeaderLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  // Line by line as text.split('\r\n') would give them, without the array.
  for (let from = 0; from <= text.length; ) {
    let to = text.indexOf('\r\n', from);
    if (to < 0) to = text.length;
    const line = text.slice(from, to);
    from = to + 2;
    const t = line.trim();
    if (!t) continue;
    const colon = t.indexOf(':');
    if (colon < 0) throw new EncryptionError('malformed', 'MIME header line without a colon');
    out[t.slice(0, colon).trim().toLowerCase()] = t.slice(colon + 1).trim();
  }
  return out;
}

function endsWith(b: Uint8Array, suffix: Uint8Array): boolean {
  if (suffix.length > b.length) return false;
  const off = b.length - suffix.length;
  for (let i = 0; i < suffix.length; i++) if (b[off + i] !== suffix[i]) return false;
  return true;
}
