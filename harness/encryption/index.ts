// WinRM HTTP message encryption (MS-WSMV §2.2.9.1.1), public API.
export { decryptMessage, encryptMessage, parseEncryptedBody, type EncryptedParts, type SealingSession } from './message.ts';
export {
  BOUNDARY,
  DEFAULT_ORIGINAL_TYPE,
  ENCRYPTED_CONTENT_TYPE,
  isEncryptedContentType,
  parseContentType,
  SPNEGO_ENCRYPTED_PROTOCOL,
} from './content-type.ts';
export { EncryptionError, type EncryptionErrorCode } from './errors.ts';
