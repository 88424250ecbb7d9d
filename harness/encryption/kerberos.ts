// WinRM HTTP message encryption with Kerberos (MS-WSMV §2.2.9.1.2), in the layout pypsrp's
// encryption.py writes (and pywinrm's, which names the protocol HTTP-SPNEGO-session-encrypted
// for Kerberos inside Negotiate):
//
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/HTTP-Kerberos-session-encrypted\r\n
//   \tOriginalContent: type=<type>;Length=<plaintext length>\r\n
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/octet-stream\r\n
//   <u32 LE header length><wrap token header part><encrypted data>--Encrypted Boundary--\r\n
//
// The "header" is the RFC 4121 wrap token up to the encrypted message (token header, rotated
// encrypted header copy and HMAC, encrypted confounder: 60 bytes for AES); its length is the prefix.
import { concatBytes, readU32le, u32le } from '../auth/bytes.ts';
import { KerberosError } from '../auth/kerberos/errors.ts';
import { BOUNDARY, DEFAULT_ORIGINAL_TYPE, parseContentType, SPNEGO_ENCRYPTED_PROTOCOL } from './content-type.ts';
import { EncryptionError } from './errors.ts';

export const KERBEROS_ENCRYPTED_PROTOCOL = 'application/HTTP-Kerberos-session-encrypted';
const PROTOCOLS = [KERBEROS_ENCRYPTED_PROTOCOL, SPNEGO_ENCRYPTED_PROTOCOL];
const MAX_HEADER = 1024; // a wrap-token header is 60 bytes for AES; anything huge is malformed

/** What the framing needs from a Kerberos context (KerberosSession satisfies it). */
export interface KerberosWrapSession {
  wrapWinrm(plaintext: Uint8Array): { header: Uint8Array; data: Uint8Array };
  unwrapWinrm(header: Uint8Array, data: Uint8Array): Uint8Array;
}

export function kerberosEncryptedContentType(protocol = KERBEROS_ENCRYPTED_PROTOCOL): string {
  return `multipart/encrypted;protocol="${protocol}";boundary="${BOUNDARY}"`;
}

/** The protocol parameter when the Content-Type is Kerberos or SPNEGO multipart/encrypted. */
export function kerberosProtocolOf(ct: string | undefined): string | undefined {
  if (!ct) return undefined;
  const { mediaType, params } = parseContentType(ct);
  if (mediaType !== 'multipart/encrypted') return undefined;
  return PROTOCOLS.find((p) => p.toLowerCase() === params.protocol?.toLowerCase());
}

const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

export function encryptKerberosMessage(
  session: KerberosWrapSession,
  plaintext: Uint8Array,
  opts: { contentType?: string; protocol?: string } = {},
): { contentType: string; body: Uint8Array } {
  const protocol = opts.protocol ?? KERBEROS_ENCRYPTED_PROTOCOL;
  const type = opts.contentType ?? DEFAULT_ORIGINAL_TYPE;
  const { header, data } = session.wrapWinrm(plaintext);
  const head =
    `--${BOUNDARY}\r\n` +
    `\tContent-Type: ${protocol}\r\n` +
    `\tOriginalContent: type=${type};Length=${plaintext.length}\r\n` +
    `--${BOUNDARY}\r\n` +
    `\tContent-Type: application/octet-stream\r\n`;
  return {
    contentType: kerberosEncryptedContentType(protocol),
    body: concatBytes(latin1(head), u32le(header.length), header, data, latin1(`--${BOUNDARY}--\r\n`)),
  };
}

export interface KerberosEncryptedParts {
  protocol: string;
  originalType: string;
  length: number;
  header: Uint8Array;
  data: Uint8Array;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle), from);
}

/** Parses the framing without decrypting. Throws EncryptionError. */
export function parseKerberosEncryptedBody(contentType: string | undefined, body: Uint8Array): KerberosEncryptedParts {
  const protocol = kerberosProtocolOf(contentType);
  if (!protocol) {
    const mt = contentType ? parseContentType(contentType).mediaType : '';
    if (mt === 'multipart/encrypted' || mt === 'multipart/x-multi-encrypted') throw new EncryptionError('bad-content-type', 'multipart/encrypted for a protocol other than Kerberos/SPNEGO');
    throw new EncryptionError('not-encrypted', `Content-Type ${JSON.stringify(contentType ?? '')} is not an encrypted WinRM body`);
  }
  const boundary = parseContentType(contentType!).params.boundary;
  if (!boundary) throw new EncryptionError('bad-content-type', 'multipart/encrypted without a boundary');
  const delim = latin1(`--${boundary}\r\n`);
  const close = latin1(`--${boundary}--`);
  if (indexOf(body, delim, 0) !== 0) throw new EncryptionError('malformed', 'body does not start with the boundary');
  const second = indexOf(body, delim, delim.length);
  if (second < 0) throw new EncryptionError('malformed', 'no second MIME part');
  const h = headerLines(Buffer.from(body.subarray(delim.length, second)).toString('latin1'));
  if (h['content-type']?.toLowerCase() !== protocol.toLowerCase()) throw new EncryptionError('malformed', `first part is not ${protocol}`);
  const m = h['originalcontent'] ? /^type=(.*);\s*Length=(\d+)\s*$/i.exec(h['originalcontent']) : null;
  if (!m) throw new EncryptionError('malformed', 'OriginalContent header missing or without Length=');
  const partStart = second + delim.length;
  const eol = indexOf(body, latin1('\r\n'), partStart);
  if (eol < 0) throw new EncryptionError('malformed', 'second part has no header line');
  const ph = headerLines(Buffer.from(body.subarray(partStart, eol)).toString('latin1'));
  if (ph['content-type']?.toLowerCase() !== 'application/octet-stream') throw new EncryptionError('malformed', 'second part is not application/octet-stream');
  const binStart = eol + 2;
  let binEnd = body.length;
  const closeCrlf = concatBytes(close, latin1('\r\n'));
  if (endsWith(body, closeCrlf)) binEnd -= closeCrlf.length;
  else if (endsWith(body, close)) binEnd -= close.length;
  else throw new EncryptionError('malformed', 'body does not end with the closing boundary');
  if (binEnd < binStart + 4) throw new EncryptionError('malformed', 'binary part truncated');
  const hlen = readU32le(body, binStart);
  if (hlen < 16 || hlen > MAX_HEADER) throw new EncryptionError('malformed', `wrap token header length ${hlen} out of range`);
  if (binEnd < binStart + 4 + hlen) throw new EncryptionError('malformed', 'wrap token header truncated');
  return {
    protocol,
    originalType: m[1],
    length: Number(m[2]),
    header: body.slice(binStart + 4, binStart + 4 + hlen),
    data: body.slice(binStart + 4 + hlen, binEnd),
  };
}

/** Decrypts and verifies a Kerberos-encrypted body with the receiving side's session. Throws EncryptionError. */
export function decryptKerberosMessage(session: KerberosWrapSession, contentType: string | undefined, body: Uint8Array): Uint8Array {
  const p = parseKerberosEncryptedBody(contentType, body);
  // A sealed AES wrap token carries exactly its plaintext plus 16 (token header) + 16
  // (confounder) + EC + 16 (header copy) + 12 (HMAC) bytes: check Length= before the
  // session's sequence number moves.
  if (p.header.length >= 8 && p.header[0] === 0x05 && p.header[1] === 0x04 && p.header[2] & 0x02) {
    const ec = (p.header[4] << 8) | p.header[5];
    const expected = p.header.length + p.data.length - 60 - ec;
    if (expected !== p.length) throw new EncryptionError('length-mismatch', `OriginalContent Length=${p.length} but the token holds ${expected} bytes`);
  }
  let plain: Uint8Array;
  try {
    plain = session.unwrapWinrm(p.header, p.data);
  } catch (e) {
    if (e instanceof KerberosError) {
      const code = e.code === 'sequence' ? 'bad-sequence' : e.code === 'integrity' ? 'bad-signature' : 'malformed';
      throw new EncryptionError(code, e.message);
    }
    throw e;
  }
  // pypsrp/pywinrm reject a decrypted length different from Length= (tampered framing).
  if (plain.length !== p.length) throw new EncryptionError('length-mismatch', `OriginalContent Length=${p.length} but ${plain.length} bytes decrypted`);
  return plain;
}

function headerLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
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
