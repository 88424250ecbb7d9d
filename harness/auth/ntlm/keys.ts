// SIGNKEY and SEALKEY, MS-NLMP §3.4.5.2 and §3.4.5.3 (extended session security only).
import { concatBytes } from '../bytes.ts';
import { md5 } from '../crypto/hash.ts';
import { hasFlag, NegotiateFlags } from './flags.ts';

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
  return md5(concatBytes(exportedSessionKey.subarray(0, n), magicConstant));
}

export function deriveSessionKeys(flags: number, exportedSessionKey: Uint8Array): SessionKeys {
  return {
    clientSignKey: signKey(exportedSessionKey, CLIENT_SIGNING),
    serverSignKey: signKey(exportedSessionKey, SERVER_SIGNING),
    clientSealKey: sealKey(flags, exportedSessionKey, CLIENT_SEALING),
    serverSealKey: sealKey(flags, exportedSessionKey, SERVER_SEALING),
  };
}
