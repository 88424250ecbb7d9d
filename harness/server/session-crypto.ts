// Binds message encryption (MS-WSMV §2.2.9.1.1, harness/encryption) to the server's view:
// NTLM sessions seal with RC4 (sync), CredSSP sessions with their TLS session (async,
// MS-WSMV §2.2.9.1.3: application/HTTP-CredSSP-session-encrypted).

import { CredSspTls } from '../auth/credssp/tls-channel.ts';
import { decryptCredSspMessage, encryptCredSspMessage } from '../encryption/credssp.ts';
import { mediaTypeOf } from '../encryption/content-type.ts';
import { decryptMessage, encryptMessage, type SealingSession } from '../encryption/index.ts';
import type { SessionCrypto } from './auth-deps.ts';
import { KerberosWinrmSession } from './kerberos-context.ts';

export const sessionCrypto: SessionCrypto = {
  // Any multipart/encrypted body goes to decryption, so that another protocol (Kerberos,
  // CredSSP) is refused as such (400, bad-content-type) instead of being read as clear SOAP.
  isEncrypted: (ct) => {
    if (!ct) return false;
    const type = mediaTypeOf(ct);
    return type === 'multipart/encrypted' || type === 'multipart/x-multi-encrypted';
  },
  // The auth context stores NtlmSessions (SealingSessions) or a CredSSP connection's CredSspTls.
  // Kerberos connections hold a KerberosWinrmSession (RFC 4121 wrap tokens, kerberos-context.ts).
  decrypt: (session, ct, body) =>
    session instanceof KerberosWinrmSession
      ? session.decrypt(ct, body)
      : session instanceof CredSspTls
        ? decryptCredSspMessage(session, ct, body)
        : decryptMessage(session as SealingSession, ct, body),
  encrypt: (session, plaintext) =>
    session instanceof KerberosWinrmSession
      ? session.encrypt(plaintext)
      : session instanceof CredSspTls
        ? encryptCredSspMessage(session, plaintext)
        : encryptMessage(session as SealingSession, plaintext),
};
