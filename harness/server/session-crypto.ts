// Binds message encryption (MS-WSMV §2.2.9.1.1, harness/encryption) to the server's view.

import type { NtlmSession } from '../auth/ntlm/session.ts';
import { decryptMessage, encryptMessage, isEncryptedContentType } from '../encryption/index.ts';
import type { SessionCrypto } from './auth-deps.ts';

export const sessionCrypto: SessionCrypto = {
  isEncrypted: (ct) => ct !== undefined && isEncryptedContentType(ct),
  decrypt: (session, ct, body) => decryptMessage(session as NtlmSession, ct, body),
  encrypt: (session, plaintext) => encryptMessage(session as NtlmSession, plaintext),
};
