// Binds message encryption (MS-WSMV §2.2.9.1.1) to the server's view.
// TEMPORARY local framing until harness/encryption lands; then this file delegates to it.

import { readU32le, u32le, concatBytes } from '../auth/bytes.ts';
import type { NtlmSession } from '../auth/ntlm/session.ts';
import type { SessionCrypto } from './auth-deps.ts';

const PROTOCOL = 'application/HTTP-SPNEGO-session-encrypted';
const BOUNDARY = '--Encrypted Boundary\r\n';
const CONTENT_TYPE = `multipart/encrypted;protocol="${PROTOCOL}";boundary="Encrypted Boundary"`;

class CryptoError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const fromLatin1 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

export const sessionCrypto: SessionCrypto = {
  isEncrypted: (ct) => ct !== undefined && /^multipart\/encrypted\b/i.test(ct.trim()),
  decrypt(session, ct, body) {
    if (!ct.includes(`protocol="${PROTOCOL}"`)) throw new CryptoError('bad-content-type', 'unexpected protocol');
    const text = latin1(body);
    const parts = text.split(BOUNDARY).filter((p) => p !== '');
    if (parts.length < 2) throw new CryptoError('malformed', 'missing parts');
    const m = /Length=(\d+)/.exec(parts[0]);
    if (!m) throw new CryptoError('malformed', 'no Length');
    let payload = parts[1];
    const end = '--Encrypted Boundary--\r\n';
    if (payload.endsWith(end)) payload = payload.slice(0, -end.length);
    payload = payload.replace('\tContent-Type: application/octet-stream\r\n', '');
    const bytes = fromLatin1(payload);
    if (bytes.length < 20) throw new CryptoError('malformed', 'short payload');
    const sigLen = readU32le(bytes, 0);
    if (sigLen !== 16) throw new CryptoError('malformed', 'signature length');
    const plain = (session as NtlmSession).unseal(bytes.subarray(20), bytes.subarray(4, 20));
    if (plain.length !== Number(m[1])) throw new CryptoError('length-mismatch', 'length');
    return plain;
  },
  encrypt(session, plaintext) {
    const { signature, sealed } = (session as NtlmSession).seal(plaintext);
    const head = fromLatin1(
      `${BOUNDARY}\tContent-Type: ${PROTOCOL}\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=${plaintext.length}\r\n${BOUNDARY}\tContent-Type: application/octet-stream\r\n`,
    );
    return { contentType: CONTENT_TYPE, body: concatBytes(head, u32le(16), signature, sealed, fromLatin1('--Encrypted Boundary--\r\n')) };
  },
};
