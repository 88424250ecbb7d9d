// MD5 and HMAC-MD5 come from node:crypto: OpenSSL 3's default provider still has them.
// (MD4 and RC4 are in the legacy provider, which Node does not load: see md4.ts, rc4.ts.)
import { createHash, createHmac } from 'node:crypto';

export function md5(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export function hmacMd5(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac('md5', key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}
