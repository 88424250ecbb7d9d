// The AES-SHA1 encryption types of RFC 3962 (aes128-cts-hmac-sha1-96 = 17,
// aes256-cts-hmac-sha1-96 = 18) in the simplified profile of RFC 3961 §5.3.
import { createHmac, pbkdf2Sync } from 'node:crypto';
import { bytesEqual, concatBytes } from '../../bytes.ts';
import type { RandomSource } from '../../random.ts';
import { KerberosError } from '../errors.ts';
import { ctsDecrypt, ctsEncrypt } from './aes-cts.ts';
import { nfold } from './nfold.ts';

export const ETYPE_AES128 = 17;
export const ETYPE_AES256 = 18;
export const CKSUMTYPE_HMAC_SHA1_96_AES128 = 15;
export const CKSUMTYPE_HMAC_SHA1_96_AES256 = 16;
/** Strongest first: the order the client asks for them (RFC 4120 §5.2.9). */
export const SUPPORTED_ETYPES = [ETYPE_AES256, ETYPE_AES128] as const;

const BLOCK = 16;
const MAC = 12; // HMAC-SHA1 truncated to 96 bits (RFC 3962 §6)
const DEFAULT_ITERATIONS = 4096; // RFC 3962 §4

export interface EncryptionKey {
  etype: number;
  value: Uint8Array;
}

export function keyLength(etype: number): number {
  if (etype === ETYPE_AES128) return 16;
  if (etype === ETYPE_AES256) return 32;
  throw new KerberosError('unsupported-etype', `encryption type ${etype} is not supported (only AES-SHA1, 17 and 18)`);
}

export function checksumTypeOf(etype: number): number {
  return etype === ETYPE_AES128 ? CKSUMTYPE_HMAC_SHA1_96_AES128 : CKSUMTYPE_HMAC_SHA1_96_AES256;
}

/** DR(Key, Constant), RFC 3961 §5.1: encrypt the n-folded constant repeatedly, concatenate. */
export function deriveRandom(base: Uint8Array, constant: Uint8Array): Uint8Array {
  const out = new Uint8Array(base.length);
  let block = constant.length === BLOCK ? constant : nfold(constant, BLOCK);
  for (let o = 0; o < out.length; o += BLOCK) {
    block = ctsEncrypt(base, block);
    out.set(block.subarray(0, Math.min(BLOCK, out.length - o)), o);
  }
  return out;
}

/** DK(Key, Constant) = random-to-key(DR(...)); random-to-key is the identity for AES. */
export const deriveKey = deriveRandom;

function usageConstant(usage: number, kind: 0x99 | 0xaa | 0x55): Uint8Array {
  return new Uint8Array([(usage >>> 24) & 0xff, (usage >>> 16) & 0xff, (usage >>> 8) & 0xff, usage & 0xff, kind]);
}

/** string-to-key, RFC 3962 §4: DK(PBKDF2-HMAC-SHA1(password, salt, iterations), "kerberos"). */
export function stringToKey(etype: number, password: string | Uint8Array, salt: string | Uint8Array, iterations = DEFAULT_ITERATIONS): EncryptionKey {
  const len = keyLength(etype);
  const tkey = new Uint8Array(pbkdf2Sync(password, salt, iterations, len, 'sha1'));
  return { etype, value: deriveKey(tkey, new TextEncoder().encode('kerberos')) };
}

/** s2kparams of ETYPE-INFO2 for AES: the iteration count, 4 bytes big-endian (RFC 3962 §4). */
export function iterationsFromParams(params: Uint8Array | undefined): number {
  if (!params) return DEFAULT_ITERATIONS;
  if (params.length !== 4) throw new KerberosError('malformed', 's2kparams is not 4 bytes');
  const n = new DataView(params.buffer, params.byteOffset, 4).getUint32(0);
  if (n === 0 || n > 10_000_000) throw new KerberosError('malformed', `unreasonable PBKDF2 iteration count ${n}`);
  return n;
}

export function randomKey(etype: number, random: RandomSource): EncryptionKey {
  return { etype, value: random.bytes(keyLength(etype)) };
}

const hmacSha1 = (key: Uint8Array, data: Uint8Array) => new Uint8Array(createHmac('sha1', key).update(data).digest());

/** encrypt(K, usage, plaintext), RFC 3961 §5.3: AES-CTS(Ke, conf|plain) | HMAC(Ki, conf|plain)[0..12]. */
export function encrypt(key: EncryptionKey, usage: number, plaintext: Uint8Array, random: RandomSource): Uint8Array {
  keyLength(key.etype);
  const ke = deriveKey(key.value, usageConstant(usage, 0xaa));
  const ki = deriveKey(key.value, usageConstant(usage, 0x55));
  const data = concatBytes(random.bytes(BLOCK), plaintext);
  return concatBytes(ctsEncrypt(ke, data), hmacSha1(ki, data).subarray(0, MAC));
}

export function decrypt(key: EncryptionKey, usage: number, ciphertext: Uint8Array): Uint8Array {
  keyLength(key.etype);
  if (ciphertext.length < BLOCK + MAC) throw new KerberosError('integrity', 'ciphertext too short');
  const ke = deriveKey(key.value, usageConstant(usage, 0xaa));
  const ki = deriveKey(key.value, usageConstant(usage, 0x55));
  const data = ctsDecrypt(ke, ciphertext.subarray(0, ciphertext.length - MAC));
  if (!bytesEqual(hmacSha1(ki, data).subarray(0, MAC), ciphertext.subarray(ciphertext.length - MAC))) {
    throw new KerberosError('integrity', `integrity check failed (key usage ${usage})`);
  }
  return data.slice(BLOCK);
}

/** get_mic for hmac-sha1-96-aes*, RFC 3962 §6: HMAC-SHA1(Kc, data) truncated to 96 bits. */
export function checksum(key: EncryptionKey, usage: number, data: Uint8Array): Uint8Array {
  keyLength(key.etype);
  return hmacSha1(deriveKey(key.value, usageConstant(usage, 0x99)), data).subarray(0, MAC);
}
