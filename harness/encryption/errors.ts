// Typed failures of WinRM HTTP message decryption (MS-WSMV §2.2.9.1.1).
export type EncryptionErrorCode =
  | 'not-encrypted' // the body is not multipart/encrypted at all (e.g. plain SOAP)
  | 'bad-content-type' // multipart/encrypted, but another protocol or no boundary
  | 'malformed' // the MIME framing or the signature-length prefix is wrong
  | 'length-mismatch' // OriginalContent Length= differs from the sealed payload
  | 'bad-signature' // the NTLM signature does not verify (tampered or foreign keys)
  | 'bad-sequence'; // the sequence number is not the expected one (replay, reorder)

export class EncryptionError extends Error {
  override readonly name = 'EncryptionError';
  constructor(
    readonly code: EncryptionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
