// The TLS layer of CredSSP (MS-CSSP §3.1.5 step 1) as a record pump: bytes from the peer go
// in, bytes for the peer and decrypted application data come out. The state machines and the
// message encryption only use this interface, so a deterministic stand-in (for the simulated
// network, where node's TLS would put fresh random bytes in every trace) can replace node:tls
// (node-tls.ts). See README.md for what a stand-in must do.
import type { TlsIdentity } from '../../net/types.ts';

export type TlsRole = 'client' | 'server';

/** idle: nothing sent yet; failed: the TLS library raised an error (see `failure`). */
export type TlsState = 'idle' | 'handshaking' | 'established' | 'failed' | 'closed';

export interface TlsCipher {
  /** OpenSSL name, e.g. ECDHE-RSA-AES128-GCM-SHA256 (what pyOpenSSL's get_cipher_name gives). */
  name: string;
  /** 'TLSv1.2' or 'TLSv1.3'. */
  version: string;
}

export interface TlsEngine {
  readonly role: TlsRole;
  readonly state: TlsState;
  /** What the TLS library said when state became 'failed'. */
  readonly failure?: string;
  /** Client: produce the ClientHello (read it with takeOutput). Server: nothing. */
  start(): Promise<void>;
  /** Feeds bytes received from the peer; resolves once they are processed. */
  receive(bytes: Uint8Array): Promise<void>;
  /** Encrypts application data (state 'established'); resolves once the records are out. */
  send(plaintext: Uint8Array): Promise<void>;
  /** Bytes for the peer produced so far (handshake, alerts, application records); clears them. */
  takeOutput(): Uint8Array;
  /** Application data decrypted so far; clears it. */
  takePlaintext(): Uint8Array;
  /** SubjectPublicKey (pub-key-auth.ts) of the server certificate as this side knows it. */
  serverPublicKey(): Uint8Array;
  /** The negotiated suite; throws before the handshake completes. */
  cipher(): TlsCipher;
  /** Frees the session. Idempotent. */
  close(): void;
}

export interface TlsEngineFactory {
  client(): TlsEngine;
  server(identity: TlsIdentity): TlsEngine;
}
