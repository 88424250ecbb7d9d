// SIGNKEY and SEALKEY, MS-NLMP §3.4.5.2 and §3.4.5.3 (extended session security only).
import { md5 } from '../crypto/hash.ts';
import { HmacMd5Key } from '../crypto/md5.ts';
import { Rc4 } from '../crypto/rc4.ts';
import { hasFlag, NegotiateFlags } from './flags.ts';
import { Kept } from './kept.ts';

const magic = (s: string) => new TextEncoder().encode(s + '\0');

export const CLIENT_SIGNING = magic('session key to client-to-server signing key magic constant');
export const SERVER_SIGNING = magic('session key to server-to-client signing key magic constant');
export const CLIENT_SEALING = magic('session key to client-to-server sealing key magic constant');
export const SERVER_SEALING = magic('session key to server-to-client sealing key magic constant');

export interface SessionKeys {
  clientSignKey: Uint8Array;
  serverSignKey: Uint8Array;
  clientSealKey: Uint8Array;
  serverSealKey: Uint8Array;
}

/** SIGNKEY = MD5(ExportedSessionKey ‖ magic). */
export function signKey(exportedSessionKey: Uint8Array, magicConstant: Uint8Array): Uint8Array {
  return md5(exportedSessionKey, magicConstant);
}

/** SEALKEY = MD5(K' ‖ magic), K' = 16, 7 or 5 bytes of the key for 128-, 56-, 40-bit. */
export function sealKey(flags: number, exportedSessionKey: Uint8Array, magicConstant: Uint8Array): Uint8Array {
  const n = hasFlag(flags, NegotiateFlags.NEGOTIATE_128) ? 16 : hasFlag(flags, NegotiateFlags.NEGOTIATE_56) ? 7 : 5;
  return md5(exportedSessionKey.subarray(0, n), magicConstant);
}

export function deriveSessionKeys(flags: number, exportedSessionKey: Uint8Array): SessionKeys {
  return {
    clientSignKey: signKey(exportedSessionKey, CLIENT_SIGNING),
    serverSignKey: signKey(exportedSessionKey, SERVER_SIGNING),
    clientSealKey: sealKey(flags, exportedSessionKey, CLIENT_SEALING),
    serverSealKey: sealKey(flags, exportedSessionKey, SERVER_SEALING),
  };
}

/**
 * The session keys in the form a session uses them: HMAC keys with their padded blocks
 * hashed, and RC4 handles keyed but never advanced (a session clones them: §3.4.5.3 starts
 * each direction, and each SPNEGO re-key, at the start of the keystream). Read-only.
 */
export interface SealingKeys {
  readonly clientSign: HmacMd5Key;
  readonly serverSign: HmacMd5Key;
  readonly clientSeal: Rc4;
  readonly serverSeal: Rc4;
}

// Both ends of a simulated connection derive the same keys from the same ExportedSessionKey
// (and forRole() a third time).
const kept = new Kept<SealingKeys>(4);

export function sealingKeys(flags: number, exportedSessionKey: Uint8Array): SealingKeys {
  const hit = kept.get(flags, exportedSessionKey);
  if (hit) return hit;
  const k = deriveSessionKeys(flags, exportedSessionKey);
  return kept.add(flags, exportedSessionKey, {
    clientSign: new HmacMd5Key(k.clientSignKey),
    serverSign: new HmacMd5Key(k.serverSignKey),
    clientSeal: new Rc4(k.clientSealKey),
    serverSeal: new Rc4(k.serverSealKey),
  });
}
