// pubKeyAuth and authInfo carry the inner mechanism's wrap output (MS-CSSP §3.1.5): for NTLM
// the 16-byte NTLMSSP_MESSAGE_SIGNATURE followed by the sealed bytes (SSPI EncryptMessage with
// the token buffer first; requests-credssp and pyspnego lay it out the same way).
import { concatBytes } from '../bytes.ts';
import { SecurityError, SIGNATURE_LENGTH } from '../ntlm/session.ts';
import { CredSspError } from './errors.ts';

export interface SealingContext {
  seal(plaintext: Uint8Array): { signature: Uint8Array; sealed: Uint8Array };
  unseal(sealed: Uint8Array, signature: Uint8Array): Uint8Array;
}

export function sealBlob(session: SealingContext, plaintext: Uint8Array): Uint8Array {
  const { signature, sealed } = session.seal(plaintext);
  return concatBytes(signature, sealed);
}

/** Throws CredSspError('bad-seal') when the signature or sequence number does not verify. */
export function unsealBlob(session: SealingContext, blob: Uint8Array, what: string): Uint8Array {
  if (blob.length < SIGNATURE_LENGTH) throw new CredSspError('malformed', `${what} shorter than an NTLM signature`);
  try {
    return session.unseal(blob.subarray(SIGNATURE_LENGTH), blob.subarray(0, SIGNATURE_LENGTH));
  } catch (e) {
    if (e instanceof SecurityError) throw new CredSspError('bad-seal', `${what}: ${e.message}`);
    throw e;
  }
}
