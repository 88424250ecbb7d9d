// MD5 and HMAC-MD5 (md5.ts): in JavaScript rather than node:crypto, whose per-call OpenSSL 3
// set-up costs more than hashing what NTLM hashes (a key, a challenge, one message).
// (MD4 and RC4 are in OpenSSL's legacy provider, which Node does not load: see md4.ts, rc4.ts.)
import { HmacMd5Key, Md5 } from './md5.ts';

// Hashing is synchronous and digest() restarts the hasher: one instance serves every call.
const hasher = new Md5();

export function md5(...parts: Uint8Array[]): Uint8Array {
  for (const p of parts) hasher.update(p);
  return hasher.digest();
}

/**
 * One HMAC-MD5 under `key`. A key used for many messages (a session's SigningKey, MS-NLMP
 * §3.4.4.2) is better kept as an HmacMd5Key, whose padded blocks are hashed once.
 */
export function hmacMd5(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  return new HmacMd5Key(key).mac(...parts);
}
