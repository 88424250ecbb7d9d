// Typed errors for NTLM message decoding and state-machine misuse. Messages never carry
// secrets (no password, hash or key material).

export type NtlmErrorCode =
  | 'malformed' // not a well-formed MS-NLMP message
  | 'wrong-type' // a well-formed message of another MessageType
  | 'out-of-order' // a message the state machine does not expect now
  | 'unsupported'; // well-formed but outside what this implementation does (e.g. NTLMv1)

export class NtlmError extends Error {
  override readonly name = 'NtlmError';
  constructor(
    readonly code: NtlmErrorCode,
    message: string,
  ) {
    super(message);
  }
}
