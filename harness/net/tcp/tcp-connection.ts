// One end of a real connection: a net.Socket, or a tls.TLSSocket running over another
// TcpConn (then `lower` is that connection, and this end carries plaintext).
// Trace rule: what this process writes is traced at the writer; what an external peer
// (not in this process) sends, its FIN and its RST are traced here, from "external".
// Lifecycle (end/close) is traced on the plain connection only, as it is what the wire shows.
// Socket errors never escape: ECONNRESET/EPIPE become onClose({reset:true}).

import type { Socket } from 'node:net';
import type { Trace } from '../trace.ts';
import type { Endpoint, TlsInfo } from '../types.ts';
import { ConnBase } from '../conn-base.ts';

export interface TcpConnInit {
  id: string;
  actor: string;
  peerActor: string;
  local: Endpoint;
  remote: Endpoint;
  trace: Trace;
  tls?: TlsInfo;
  /** For a TLS end: the connection it runs over. */
  lower?: TcpConn;
}

/** How long close() waits for buffered writes to drain before destroying the socket. */
const CLOSE_DRAIN_MS = 2000;

export class TcpConn extends ConnBase {
  readonly id: string;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  private readonly trace: Trace;
  private readonly lower?: TcpConn;
  private lastError?: string;
  private didReset = false;

  constructor(
    readonly socket: Socket,
    init: TcpConnInit,
  ) {
    super(init.actor, init.peerActor);
    this.id = init.id;
    this.local = init.local;
    this.remote = init.remote;
    this.trace = init.trace;
    this.tls = init.tls;
    this.lower = init.lower;
    const isTls = !!init.tls;
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.lastError ??= err.code ?? err.message;
    });
    socket.on('data', (d: Buffer) => {
      if (this.closed) return;
      const bytes = new Uint8Array(d.buffer, d.byteOffset, d.length);
      if (this.external) {
        this.trace.add({ kind: 'data', conn: this.id, from: 'external', bytes: Uint8Array.from(bytes), ...(isTls ? { tls: true } : {}) });
      }
      this.receiveData(bytes);
    });
    socket.on('end', () => {
      if (this.external && !isTls) this.trace.add({ kind: 'end', conn: this.id, from: 'external' });
      this.receiveEnd();
    });
    // node:tls does not always surface the reset of the stream underneath as an error.
    let lowerReset = false;
    init.lower?.onClose((info) => (lowerReset ||= info.reset));
    socket.on('close', () => {
      const code = this.lastError ?? (lowerReset ? 'ECONNRESET' : undefined);
      const reset = this.didReset || lowerReset || code === 'ECONNRESET' || code === 'EPIPE';
      if (reset && !this.didReset && !this.closed && this.external && !isTls) {
        this.trace.add({ kind: 'close', conn: this.id, from: 'external', reset: true });
      }
      this.closed = true;
      this.localEnded = true;
      this.receiveClose({ reset, ...(code ? { error: code } : {}) }, true);
    });
  }

  private get external(): boolean {
    return this.peerActor === 'external';
  }

  write(data: Uint8Array): void {
    if (this.closed || this.localEnded || data.length === 0 || this.socket.destroyed) return;
    const bytes = Uint8Array.from(data);
    this.trace.add({ kind: 'data', conn: this.id, from: this.actor, bytes, ...(this.tls ? { tls: true } : {}) });
    this.socket.write(bytes);
  }

  end(): void {
    if (this.closed || this.localEnded) return;
    this.localEnded = true;
    if (!this.tls) this.trace.add({ kind: 'end', conn: this.id, from: this.actor });
    this.socket.end();
  }

  close(): void {
    if (this.closed) return;
    if (!this.tls) this.trace.add({ kind: 'close', conn: this.id, from: this.actor, reset: false });
    this.closed = true;
    this.localEnded = true;
    // FIN after what is buffered, then release the socket; bounded if the peer never reads.
    this.socket.destroySoon();
    const bound = setTimeout(() => this.socket.destroy(), CLOSE_DRAIN_MS);
    bound.unref();
    this.socket.once('close', () => clearTimeout(bound));
  }

  reset(): void {
    if (this.closed) return;
    this.closed = true;
    this.localEnded = true;
    this.didReset = true;
    if (this.lower) {
      this.lower.reset(); // first, so that tearing down TLS does not also close it orderly
      this.socket.destroy();
      return;
    }
    this.trace.add({ kind: 'close', conn: this.id, from: this.actor, reset: true });
    if (this.socket.destroyed) return;
    // RST instead of FIN (SO_LINGER 0): the peer sees ECONNRESET.
    this.socket.resetAndDestroy();
  }

  /** Destroys the socket without trace events (network shutdown). */
  abandon(): void {
    this.socket.destroy();
  }
}
