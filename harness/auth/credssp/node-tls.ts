// TlsEngine over node:tls: a TLSSocket (server) or tls.connect (client) on an in-memory Duplex
// whose writes are collected as the outgoing token and whose reads are the incoming one.
// Node's TLS runs on the event loop, so after each input we wait until it has been quiet for a
// few setImmediate turns (OpenSSL does the work synchronously once the bytes are read; the
// turns only let node's stream plumbing deliver them). Bounded: a TLS layer that never settles
// is reported as failed, never waited on forever. Not deterministic (OpenSSL's own randomness):
// for real transports only.
import { X509Certificate } from 'node:crypto';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { TlsIdentity } from '../../net/types.ts';
import { subjectPublicKeyOf } from './pub-key-auth.ts';
import type { TlsCipher, TlsEngine, TlsEngineFactory, TlsRole, TlsState } from './tls-engine.ts';

export interface NodeTlsOptions {
  /** Highest version the client offers; default TLSv1.2, as requests-credssp asks for. */
  clientMaxVersion?: tls.SecureVersion;
  /** Highest version the server accepts; default TLSv1.3. */
  serverMaxVersion?: tls.SecureVersion;
  /** Lowest version either side accepts; default TLSv1.2. */
  minVersion?: tls.SecureVersion;
}

const QUIET_TURNS = 3;
const MAX_TURNS = 10_000;

/** The in-memory "wire" under the TLS socket. */
class MemoryWire extends Duplex {
  #out: Buffer[] = [];
  activity = 0;
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.#out.push(chunk);
    this.activity++;
    cb();
  }
  drain(): Uint8Array {
    const b = Buffer.concat(this.#out);
    this.#out = [];
    return new Uint8Array(b);
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

class NodeTlsEngine implements TlsEngine {
  readonly role: TlsRole;
  #wire = new MemoryWire();
  #socket: tls.TLSSocket;
  #plain: Buffer[] = [];
  #state: TlsState = 'idle';
  #failure?: string;
  #serverKey?: Uint8Array;

  constructor(role: TlsRole, socket: (wire: MemoryWire) => tls.TLSSocket, serverKey?: Uint8Array) {
    this.role = role;
    this.#serverKey = serverKey;
    this.#socket = socket(this.#wire);
    const s = this.#socket;
    s.on(role === 'client' ? 'secureConnect' : 'secure', () => {
      this.#wire.activity++;
      if (this.#state === 'handshaking' || this.#state === 'idle') this.#state = 'established';
    });
    s.on('data', (d: Buffer) => {
      this.#wire.activity++;
      this.#plain.push(d);
    });
    const onError = (e: Error) => {
      this.#wire.activity++;
      this.#fail(e.message);
    };
    s.on('error', onError);
    // A server TLSSocket made without a tls.Server keeps post-handshake errors (bad record MAC)
    // to itself: node emits them only as '_tlsError' until a Server "releases control".
    s.on('_tlsError', onError);
    s.on('close', () => {
      if (this.#state !== 'failed') this.#state = 'closed';
    });
  }

  get state(): TlsState {
    return this.#state;
  }
  get failure(): string | undefined {
    return this.#failure;
  }

  async start(): Promise<void> {
    if (this.#state === 'idle') this.#state = 'handshaking';
    await this.#settle();
  }

  async receive(bytes: Uint8Array): Promise<void> {
    if (this.#state === 'failed' || this.#state === 'closed') return;
    if (this.#state === 'idle') this.#state = 'handshaking';
    this.#wire.push(Buffer.from(bytes));
    await this.#settle();
  }

  async send(plaintext: Uint8Array): Promise<void> {
    if (this.#state !== 'established') throw new Error(`TLS: cannot send application data in state ${this.#state}`);
    this.#socket.write(Buffer.from(plaintext));
    await this.#settle();
  }

  takeOutput(): Uint8Array {
    return this.#wire.drain();
  }

  takePlaintext(): Uint8Array {
    const b = Buffer.concat(this.#plain);
    this.#plain = [];
    return new Uint8Array(b);
  }

  serverPublicKey(): Uint8Array {
    if (this.#serverKey) return this.#serverKey.slice();
    const peer = this.#socket.getPeerX509Certificate();
    if (!peer) throw new Error('TLS: no server certificate yet');
    this.#serverKey = subjectPublicKeyOf(peer);
    return this.#serverKey.slice();
  }

  cipher(): TlsCipher {
    if (this.#state !== 'established') throw new Error('TLS: no cipher before the handshake completes');
    const c = this.#socket.getCipher();
    return { name: c.name, version: this.#socket.getProtocol() ?? c.version };
  }

  close(): void {
    if (this.#state !== 'failed') this.#state = 'closed';
    this.#socket.destroy();
    this.#wire.destroy();
  }

  #fail(message: string): void {
    if (this.#state === 'failed') return;
    this.#state = 'failed';
    this.#failure = message;
  }

  // Wait until the socket has been quiet (no output, data, event) for QUIET_TURNS turns.
  async #settle(): Promise<void> {
    let quiet = 0;
    let seen = this.#wire.activity;
    for (let i = 0; i < MAX_TURNS; i++) {
      await turn();
      if (this.#wire.activity !== seen) {
        seen = this.#wire.activity;
        quiet = 0;
      } else if (++quiet >= QUIET_TURNS) return;
    }
    this.#fail('TLS layer did not settle');
  }
}

/** The TlsEngineFactory for real transports. */
export function nodeTls(opts: NodeTlsOptions = {}): TlsEngineFactory {
  const minVersion = opts.minVersion ?? 'TLSv1.2';
  return {
    client: () =>
      new NodeTlsEngine('client', (wire) =>
        // CredSSP binds the key through pubKeyAuth, not through the PKI: no chain check (as
        // requests-credssp and mstsc with CredSSP do), the key is what gets verified.
        tls.connect({ socket: wire, rejectUnauthorized: false, minVersion, maxVersion: opts.clientMaxVersion ?? 'TLSv1.2' }),
      ),
    server: (identity: TlsIdentity) => {
      const key = subjectPublicKeyOf(new X509Certificate(identity.certPem));
      const secureContext = tls.createSecureContext({ cert: identity.certPem, key: identity.keyPem, minVersion, maxVersion: opts.serverMaxVersion ?? 'TLSv1.3' });
      return new NodeTlsEngine('server', (wire) => new tls.TLSSocket(wire, { isServer: true, secureContext }), key);
    },
  };
}
