// NTLMv2 computations, MS-NLMP §3.3.2 (and §3.3.1 for the NT hash).
import { concatBytes, utf16le, writeU64le } from '../bytes.ts';
import { allocBytes } from '../../wire/bytes.ts';
import { hmacMd5 } from '../crypto/hash.ts';
import { md4 } from '../crypto/md4.ts';
import { HmacMd5Key } from '../crypto/md5.ts';
import { Rc4 } from '../crypto/rc4.ts';
import { MIC_OFFSET } from './authenticate-message.ts';
import { Kept } from './kept.ts';

// The NT hash depends on the password alone, and every handshake (each client) and every
// server start (its user table) needs it again: kept for a few passwords. Callers get a copy.
const NT_HASHES_KEPT = 64;
const ntHashes = new Map<string, Uint8Array>();

/** NTOWFv1 = MD4(UNICODE(Password)), the "NT hash" (§3.3.1). */
export function ntHash(password: string): Uint8Array {
  let h = ntHashes.get(password);
  if (h === undefined) {
    h = md4(utf16le(password));
    if (ntHashes.size >= NT_HASHES_KEPT) ntHashes.clear();
    ntHashes.set(password, h);
  }
  return h.slice();
}

/** NTOWFv2 = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(ConcatenationOf(Uppercase(User), UserDom))). */
export function ntowfv2(ntHashValue: Uint8Array, user: string, domain: string): Uint8Array {
  return hmacMd5(ntHashValue, utf16le(user.toUpperCase() + domain));
}

// Each handshake of a user (both ends) keys HMACs with the same NTOWFv2: kept, by NT hash and
// the HMAC's input text (which is all that NTOWFv2 depends on).
const responseKeys = new Kept<HmacMd5Key>(16);

/** NTOWFv2 (ResponseKeyNT, §3.3.2) as an HMAC key, for NTProofStr, SessionBaseKey and LMv2. */
export function responseKeyNt(ntHashValue: Uint8Array, user: string, domain: string): HmacMd5Key {
  const text = user.toUpperCase() + domain;
  return responseKeys.get(text, ntHashValue) ?? responseKeys.add(text, ntHashValue, new HmacMd5Key(ntowfv2(ntHashValue, user, domain)));
}

/** A response key as given: bytes (as the §4.2.4 vectors) or a kept HmacMd5Key. */
type ResponseKey = Uint8Array | HmacMd5Key;
const macKey = (k: ResponseKey): HmacMd5Key => (k instanceof HmacMd5Key ? k : new HmacMd5Key(k));

/**
 * temp = Responserversion(1) ‖ HiResponserversion(1) ‖ Z(6) ‖ Time(8) ‖ ClientChallenge(8) ‖ Z(4)
 *        ‖ ServerName(AV pairs) ‖ Z(4)   — the NTLMv2_CLIENT_CHALLENGE of §2.2.2.7.
 */
export function ntlmv2Temp(timestamp: bigint, clientChallenge: Uint8Array, avPairs: Uint8Array): Uint8Array {
  const pairsAt = 16 + clientChallenge.length + 4; // 28 with the 8-byte ClientChallenge
  const out = allocBytes(pairsAt + avPairs.length + 4); // zeroed: the Z() fields need no writing
  out[0] = 1;
  out[1] = 1;
  writeU64le(out, 8, timestamp);
  out.set(clientChallenge, 16);
  out.set(avPairs, pairsAt);
  return out;
}

/** NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge ‖ temp). */
export function ntProofStr(responseKeyNt: ResponseKey, serverChallenge: Uint8Array, temp: Uint8Array): Uint8Array {
  return macKey(responseKeyNt).mac(serverChallenge, temp);
}

/** LmChallengeResponse = HMAC_MD5(ResponseKeyLM, ServerChallenge ‖ ClientChallenge) ‖ ClientChallenge. */
export function lmv2Response(responseKeyLm: ResponseKey, serverChallenge: Uint8Array, clientChallenge: Uint8Array): Uint8Array {
  return concatBytes(macKey(responseKeyLm).mac(serverChallenge, clientChallenge), clientChallenge);
}

/** SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr). */
export function sessionBaseKey(responseKeyNt: ResponseKey, proof: Uint8Array): Uint8Array {
  return macKey(responseKeyNt).mac(proof);
}

/** KXKEY for NTLMv2 is the SessionBaseKey itself (§3.4.5.1). */
export function keyExchangeKey(sessionBaseKeyValue: Uint8Array): Uint8Array {
  return sessionBaseKeyValue;
}

/** With KEY_EXCH: EncryptedRandomSessionKey = RC4K(KeyExchangeKey, ExportedSessionKey) (§3.1.5.1.2). */
export function encryptSessionKey(kxkey: Uint8Array, exportedSessionKey: Uint8Array): Uint8Array {
  return new Rc4(kxkey).update(exportedSessionKey);
}

/** Server side: ExportedSessionKey = RC4K(KeyExchangeKey, EncryptedRandomSessionKey) (§3.2.5.1.2). */
export function decryptSessionKey(kxkey: Uint8Array, encryptedRandomSessionKey: Uint8Array): Uint8Array {
  return new Rc4(kxkey).update(encryptedRandomSessionKey);
}

const ZERO_MIC = new Uint8Array(16);

/**
 * MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE ‖ CHALLENGE ‖ AUTHENTICATE with MIC zeroed):
 * `type3` as it is, its MIC field (72..88) hashed as zeros, without a zeroed copy.
 */
export function computeMic(exportedSessionKey: Uint8Array, type1: Uint8Array, type2: Uint8Array, type3: Uint8Array): Uint8Array {
  return hmacMd5(exportedSessionKey, type1, type2, type3.subarray(0, MIC_OFFSET), ZERO_MIC, type3.subarray(MIC_OFFSET + 16));
}
