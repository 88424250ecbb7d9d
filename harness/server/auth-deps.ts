// The server's view of the auth and encryption layers (harness/auth, harness/encryption):
// only what the per-connection context needs, so that those layers stay replaceable.

/** The session keys of one authenticated connection; opaque here, used by SessionCrypto. */
export type NtlmSessionLike = object;

export type AcceptResult =
  | { ok: true; user: string; domain: string; session: NtlmSessionLike }
  | { ok: false; reason: string };

/** One NTLM handshake, server side (MS-NLMP §3.2.5). */
export interface NtlmAcceptor {
  acceptNegotiate(type1: Uint8Array): Uint8Array;
  acceptAuthenticate(type3: Uint8Array): AcceptResult;
}

export type NtlmAcceptorFactory = () => NtlmAcceptor;

/** Raw NTLMSSP (pywinrm) or SPNEGO-wrapped tokens inside `Negotiate` (MS-NTHT §2.2.1). */
export interface NegotiateCodec {
  unwrap(
    token: Uint8Array,
  ): { ok: true; ntlm: Uint8Array; style: 'raw' | 'spnego'; messageType: number } | { ok: false; reason: string };
  /** The Type2 in the client's style. */
  wrapChallenge(type2: Uint8Array, style: 'raw' | 'spnego'): Uint8Array;
  /** Token for the completing answer (SPNEGO accept-completed), or none (raw NTLM). */
  wrapComplete(style: 'raw' | 'spnego'): Uint8Array | undefined;
}

/** MS-WSMV §2.2.9.1.1 message encryption with one connection's session. */
export interface SessionCrypto {
  isEncrypted(contentType: string | undefined): boolean;
  /** Throws an error with a `code` (EncryptionError) when the body cannot be opened. */
  decrypt(session: NtlmSessionLike, contentType: string, body: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** CredSSP sessions (TLS records) answer asynchronously; NTLM ones at once. */
  encrypt(
    session: NtlmSessionLike,
    plaintext: Uint8Array,
  ): { contentType: string; body: Uint8Array } | Promise<{ contentType: string; body: Uint8Array }>;
}
