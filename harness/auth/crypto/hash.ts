// MD5 and HMAC-MD5 (md5.ts): in JavaScript rather than node:crypto, whose per-call OpenSSL 3
// set-up costs more than hashing what NTLM hashes (a key, a challenge, one message).
// (MD4 and RC4 are in OpenSSL's legacy provider, which Node does not load: see md4.ts, rc4.ts.)
import { HmacMd5Key, Md5 } from './md5.ts';

export function md5(...parts: Uint8Array[]): Uint8Array {
  const h = new Md5();
  for (const p of parts) h.update(p);
  return h.digest();
}

// A key's padded blocks are hashed once per key object: a session signs every message with
// the same SigningKey (MS-NLMP §3.4.4.2). Keyed by identity, so a caller that changes a key's
// bytes in place must pass a new array (none does: keys are derived, never edited).
const keys = new WeakMap<Uint8Array, { bytes: Uint8Array; key: HmacMd5Key }>();

export function hmacMd5(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  let k = keys.get(key);
  if (k === undefined || !sameBytes(k.bytes, key)) {
    k = { bytes: key.slice(), key: new HmacMd5Key(key) };
    keys.set(key, k);
  }
  return k.key.mac(...parts);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
