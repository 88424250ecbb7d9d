// The TLS session a CredSSP context runs in, seen as a GSS-style wrap/unwrap: after the
// handshake every TSRequest travels as TLS application data (MS-CSSP §3.1.5), and so do WinRM
// bodies encrypted with application/HTTP-CredSSP-session-encrypted (MS-WSMV §2.2.9.1.3).
import { CredSspError } from './errors.ts';
import type { TlsCipher, TlsEngine } from './tls-engine.ts';

export class CredSspTls {
  constructor(readonly engine: TlsEngine) {}

  get established(): boolean {
    return this.engine.state === 'established';
  }

  /** Plaintext in, TLS application-data records out. */
  async wrap(plaintext: Uint8Array): Promise<Uint8Array> {
    if (!this.established) throw new CredSspError('out-of-order', `TLS session is ${this.engine.state}: nothing can be wrapped`);
    await this.engine.send(plaintext);
    this.#check();
    return this.engine.takeOutput();
  }

  /** TLS records in, the application data they carry out. Throws CredSspError('tls-failed'). */
  async unwrap(records: Uint8Array): Promise<Uint8Array> {
    if (!this.established) throw new CredSspError('out-of-order', `TLS session is ${this.engine.state}: nothing can be unwrapped`);
    await this.engine.receive(records);
    this.#check();
    return this.engine.takePlaintext();
  }

  cipher(): TlsCipher {
    return this.engine.cipher();
  }

  close(): void {
    this.engine.close();
  }

  #check(): void {
    if (this.engine.state === 'failed') throw new CredSspError('tls-failed', `TLS: ${this.engine.failure ?? 'failed'}`);
  }
}
