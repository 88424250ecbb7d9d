// MS-WSMV §2.2.9.1.1 message encryption bound to the client's NTLM session (harness/encryption).

import type { NtlmSession } from '../auth/ntlm/session.ts';
import { decryptMessage, encryptMessage, isEncryptedContentType } from '../encryption/index.ts';

export { isEncryptedContentType };

export function encryptSoap(session: NtlmSession, plaintext: Uint8Array): { contentType: string; body: Uint8Array } {
  return encryptMessage(session, plaintext);
}

/** Throws EncryptionError when the body cannot be opened (the caller maps it to 'protocol'). */
export function decryptSoap(session: NtlmSession, contentType: string, body: Uint8Array): Uint8Array {
  return decryptMessage(session, contentType, body);
}
