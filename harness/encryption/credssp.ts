// WinRM HTTP message encryption with CredSSP, MS-WSMV §2.2.9.1.3, as pywinrm 0.3.0
// (winrm/encryption.py) writes it: the payload is TLS application-data records of the CredSSP
// TLS session, prefixed by the TLS trailer length (u32 LE). Bodies over 16 KiB are cut into
// 16 KiB chunks, each in its own pair of MIME parts, under multipart/x-multi-encrypted:
//
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/HTTP-CredSSP-session-encrypted\r\n
//   \tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=<chunk length>\r\n
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/octet-stream\r\n
//   <u32 LE trailer length><TLS records>          (repeated per chunk)
//   --Encrypted Boundary--\r\n
import { concatBytes, readU32le, u32le } from '../auth/bytes.ts';
import { CredSspError } from '../auth/credssp/errors.ts';
import { BOUNDARY, contentTypeParam, DEFAULT_ORIGINAL_TYPE, mediaTypeOf, parseContentType } from './content-type.ts';
import { EncryptionError } from './errors.ts';

export const CREDSSP_ENCRYPTED_PROTOCOL = 'application/HTTP-CredSSP-session-encrypted';
/** pywinrm's SIXTEN_KB: bodies longer than this go multipart/x-multi-encrypted. */
export const CREDSSP_CHUNK_SIZE = 16384;
export const CREDSSP_ENCRYPTED_CONTENT_TYPE = `multipart/encrypted;protocol="${CREDSSP_ENCRYPTED_PROTOCOL}";boundary="${BOUNDARY}"`;
export const CREDSSP_MULTI_ENCRYPTED_CONTENT_TYPE = `multipart/x-multi-encrypted;protocol="${CREDSSP_ENCRYPTED_PROTOCOL}";boundary="${BOUNDARY}"`;

/** What the encryption needs from the CredSSP TLS session (CredSspClient.tls / CredSspServer.tls). */
export interface CredSspSealingTls {
  wrap(plaintext: Uint8Array): Promise<Uint8Array>;
  unwrap(records: Uint8Array): Promise<Uint8Array>;
  cipher(): { name: string; version: string };
}

/**
 * The TLS trailer length Windows reads from SecPkgContext_StreamSizes, computed as pywinrm
 * 0.3.0 `_get_credssp_trailer_length` does (and pyspnego `_tls_trailer_length` for TLS 1.3,
 * which pywinrm 0.3.0 predates): GCM 16; TLS 1.3 17; otherwise MAC length plus block padding.
 */
export function credSspTrailerLength(plaintextLength: number, cipher: { name: string; version: string }): number {
  if (cipher.version === 'TLSv1.3') return 17;
  if (/^.*[-_]GCM[-_][\w\d]*$/.test(cipher.name)) return 16;
  const hash = cipher.name.split('-').at(-1) ?? '';
  const macLength = ({ MD5: 16, SHA: 20, SHA256: 32, SHA384: 48 } as Record<string, number>)[hash] ?? 0;
  const prePad = plaintextLength + macLength;
  let padding: number;
  if (cipher.name.includes('RC4')) padding = 0;
  else if (cipher.name.includes('DES')) padding = 8 - (prePad % 8);
  else padding = 16 - (prePad % 16);
  return prePad + padding - plaintextLength;
}

const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

export async function encryptCredSspMessage(
  tls: CredSspSealingTls,
  plaintext: Uint8Array,
  opts: { contentType?: string } = {},
): Promise<{ contentType: string; body: Uint8Array }> {
  const type = opts.contentType ?? DEFAULT_ORIGINAL_TYPE;
  const multi = plaintext.length > CREDSSP_CHUNK_SIZE;
  const cipher = tls.cipher();
  const parts: Uint8Array[] = [];
  for (let o = 0; o === 0 || o < plaintext.length; o += CREDSSP_CHUNK_SIZE) {
    const chunk = plaintext.subarray(o, o + CREDSSP_CHUNK_SIZE);
    const records = await tls.wrap(chunk);
    const head =
      `--${BOUNDARY}\r\n` +
      `\tContent-Type: ${CREDSSP_ENCRYPTED_PROTOCOL}\r\n` +
      `\tOriginalContent: type=${type};Length=${chunk.length}\r\n` +
      `--${BOUNDARY}\r\n` +
      `\tContent-Type: application/octet-stream\r\n`;
    parts.push(latin1(head), u32le(credSspTrailerLength(chunk.length, cipher)), records);
  }
  parts.push(latin1(`--${BOUNDARY}--\r\n`));
  return { contentType: multi ? CREDSSP_MULTI_ENCRYPTED_CONTENT_TYPE : CREDSSP_ENCRYPTED_CONTENT_TYPE, body: concatBytes(...parts) };
}

const CREDSSP_PROTOCOL_LOWER = CREDSSP_ENCRYPTED_PROTOCOL.toLowerCase();

/** True for multipart/encrypted or multipart/x-multi-encrypted with the CredSSP protocol. */
export function isCredSspEncryptedContentType(ct: string | undefined): boolean {
  if (!ct) return false;
  // The cached accessors: every encrypted response of an NTLM session asks this too.
  const mediaType = mediaTypeOf(ct);
  return (
    (mediaType === 'multipart/encrypted' || mediaType === 'multipart/x-multi-encrypted') &&
    contentTypeParam(ct, 'protocol')?.toLowerCase() === CREDSSP_PROTOCOL_LOWER
  );
}

export interface CredSspEncryptedChunk {
  originalType: string;
  length: number;
  trailerLength: number;
  records: Uint8Array;
}

/** Parses the MIME framing without decrypting. Throws EncryptionError. */
export function parseCredSspBody(contentType: string | undefined, body: Uint8Array): CredSspEncryptedChunk[] {
  if (!isCredSspEncryptedContentType(contentType)) {
    const mt = contentType ? parseContentType(contentType).mediaType : '';
    if (mt === 'multipart/encrypted' || mt === 'multipart/x-multi-encrypted') {
      throw new EncryptionError('bad-content-type', `${mt} for a protocol other than ${CREDSSP_ENCRYPTED_PROTOCOL}`);
    }
    throw new EncryptionError('not-encrypted', `Content-Type ${JSON.stringify(contentType ?? '')} is not a CredSSP-encrypted WinRM body`);
  }
  const { mediaType, params } = parseContentType(contentType!);
  if (!params.boundary) throw new EncryptionError('bad-content-type', `${mediaType} without a boundary`);
  const delim = latin1(`--${params.boundary}\r\n`);
  const close = latin1(`--${params.boundary}--`);
  const chunks: CredSspEncryptedChunk[] = [];
  let pos = 0;
  for (;;) {
    if (startsAt(body, close, pos)) {
      const rest = body.length - pos - close.length;
      if (rest !== 0 && !(rest === 2 && body[body.length - 2] === 0x0d && body[body.length - 1] === 0x0a)) {
        throw new EncryptionError('malformed', 'bytes after the closing boundary');
      }
      break;
    }
    if (!startsAt(body, delim, pos)) throw new EncryptionError('malformed', `expected the boundary at byte ${pos}`);
    const second = indexOf(body, delim, pos + delim.length);
    if (second < 0) throw new EncryptionError('malformed', 'no second MIME part');
    const h = headerLines(body.subarray(pos + delim.length, second));
    if (h['content-type']?.toLowerCase() !== CREDSSP_ENCRYPTED_PROTOCOL.toLowerCase()) {
      throw new EncryptionError('malformed', `first part is not ${CREDSSP_ENCRYPTED_PROTOCOL}`);
    }
    const m = /^type=(.*);\s*Length=(\d+)\s*$/i.exec(h['originalcontent'] ?? '');
    if (!m) throw new EncryptionError('malformed', 'OriginalContent header missing or without Length=');
    // Second part: one header line, then the binary directly (no blank line).
    const partStart = second + delim.length;
    const eol = indexOf(body, latin1('\r\n'), partStart);
    if (eol < 0) throw new EncryptionError('malformed', 'second part has no header line');
    if (headerLines(body.subarray(partStart, eol))['content-type']?.toLowerCase() !== 'application/octet-stream') {
      throw new EncryptionError('malformed', 'second part is not application/octet-stream');
    }
    const bin = eol + 2;
    if (bin + 4 > body.length) throw new EncryptionError('malformed', 'binary part truncated');
    const trailerLength = readU32le(body, bin);
    // The records end where the TLS record framing says (RFC 5246 §6.2): no search for the
    // boundary inside ciphertext, which may contain any bytes.
    let end = bin + 4;
    while (end < body.length && !startsAt(body, latin1(`--${params.boundary}`), end)) {
      if (end + 5 > body.length) throw new EncryptionError('malformed', 'TLS record header truncated');
      const type = body[end];
      if (type < 20 || type > 23 || body[end + 1] !== 3) throw new EncryptionError('malformed', `not a TLS record at byte ${end}`);
      end += 5 + ((body[end + 3] << 8) | body[end + 4]);
      if (end > body.length) throw new EncryptionError('malformed', 'TLS record runs past the body');
    }
    if (end === bin + 4 && m[2] !== '0') throw new EncryptionError('malformed', 'no TLS records in the binary part');
    chunks.push({ originalType: m[1], length: Number(m[2]), trailerLength, records: body.slice(bin + 4, end) });
    pos = end;
  }
  if (chunks.length === 0) throw new EncryptionError('malformed', 'no encrypted part');
  if (mediaType === 'multipart/encrypted' && chunks.length !== 1) throw new EncryptionError('malformed', 'multipart/encrypted with several encrypted parts');
  return chunks;
}

/**
 * Decrypts a CredSSP-encrypted body with the receiving side's TLS session. The trailer-length
 * prefix is read but not enforced (pywinrm ignores it on receipt). Throws EncryptionError.
 */
export async function decryptCredSspMessage(tls: CredSspSealingTls, contentType: string | undefined, body: Uint8Array): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  for (const c of parseCredSspBody(contentType, body)) {
    let plain: Uint8Array;
    try {
      plain = await tls.unwrap(c.records);
    } catch (e) {
      if (e instanceof CredSspError) throw new EncryptionError('bad-signature', `TLS records do not decrypt: ${e.message}`);
      throw e;
    }
    if (plain.length !== c.length) throw new EncryptionError('length-mismatch', `OriginalContent Length=${c.length} but ${plain.length} bytes decrypted`);
    out.push(plain);
  }
  return concatBytes(...out);
}

function startsAt(hay: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at + needle.length > hay.length) return false;
  for (let i = 0; i < needle.length; i++) if (hay[at + i] !== needle[i]) return false;
  return true;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle), from);
}

function headerLines(b: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of Buffer.from(b).toString('latin1').split('\r\n')) {
    const t = line.trim();
    if (!t) continue;
    const colon = t.indexOf(':');
    if (colon < 0) throw new EncryptionError('malformed', 'MIME header line without a colon');
    out[t.slice(0, colon).trim().toLowerCase()] = t.slice(colon + 1).trim();
  }
  return out;
}
