// Binds message encryption (MS-WSMV §2.2.9.1.1, harness/encryption) to the server's view.

import { decryptMessage, encryptMessage, parseContentType, type SealingSession } from '../encryption/index.ts';
import type { SessionCrypto } from './auth-deps.ts';

export const sessionCrypto: SessionCrypto = {
  // Any multipart/encrypted body goes to decryption, so that another protocol (Kerberos,
  // CredSSP) is refused as such (400, bad-content-type) instead of being read as clear SOAP.
  isEncrypted: (ct) => {
    if (!ct) return false;
    const type = parseContentType(ct).mediaType;
    return type === 'multipart/encrypted' || type === 'multipart/x-multi-encrypted';
  },
  // The auth context only ever stores NtlmSessions, which are SealingSessions.
  decrypt: (session, ct, body) => decryptMessage(session as SealingSession, ct, body),
  encrypt: (session, plaintext) => encryptMessage(session as SealingSession, plaintext),
};
