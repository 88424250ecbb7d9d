// NTLMv2 computations, MS-NLMP §3.3.2 (and §3.3.1 for the NT hash).
import { concatBytes, u64le, utf16le } from '../bytes.ts';
import { hmacMd5 } from '../crypto/hash.ts';
import { md4 } from '../crypto/md4.ts';
import { Rc4 } from '../crypto/rc4.ts';

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

/**
 * temp = Responserversion(1) ‖ HiResponserversion(1) ‖ Z(6) ‖ Time(8) ‖ ClientChallenge(8) ‖ Z(4)
 *        ‖ ServerName(AV pairs) ‖ Z(4)   — the NTLMv2_CLIENT_CHALLENGE of §2.2.2.7.
 */
export function ntlmv2Temp(timestamp: bigint, clientChallenge: Uint8Array, avPairs: Uint8Array): Uint8Array {
  return concatBytes(
    new Uint8Array([1, 1, 0, 0, 0, 0, 0, 0]),
    u64le(timestamp),
    clientChallenge,
    new Uint8Array(4),
    avPairs,
    new Uint8Array(4),
  );
}

/** NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge ‖ temp). */
export function ntProofStr(responseKeyNt: Uint8Array, serverChallenge: Uint8Array, temp: Uint8Array): Uint8Array {
  return hmacMd5(responseKeyNt, serverChallenge, temp);
}

/** LmChallengeResponse = HMAC_MD5(ResponseKeyLM, ServerChallenge ‖ ClientChallenge) ‖ ClientChallenge. */
export function lmv2Response(responseKeyLm: Uint8Array, serverChallenge: Uint8Array, clientChallenge: Uint8Array): Uint8Array {
  return concatBytes(hmacMd5(responseKeyLm, serverChallenge, clientChallenge), clientChallenge);
}

/** SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr). */
export function sessionBaseKey(responseKeyNt: Uint8Array, proof: Uint8Array): Uint8Array {
  return hmacMd5(responseKeyNt, proof);
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

/** MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE ‖ CHALLENGE ‖ AUTHENTICATE with MIC zeroed). */
export function computeMic(exportedSessionKey: Uint8Array, type1: Uint8Array, type2: Uint8Array, type3Zeroed: Uint8Array): Uint8Array {
  return hmacMd5(exportedSessionKey, type1, type2, type3Zeroed);
}
