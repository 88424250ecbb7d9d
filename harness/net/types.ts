// The one Connection interface every endpoint (client, proxy, server) is written against,
// and the Network that makes them. Two implementations: `sim` (in-memory, virtual clock,
// seeded scheduler, deterministic) and `tcp` (node:net / node:tls).

import type { Trace } from './trace.ts';

export interface Endpoint {
  host: string;
  port: number;
}

/** Timers go through the Network's clock so that `sim` runs on virtual time. */
export interface Clock {
  /** Milliseconds: virtual time in `sim` (starts at 0), monotonic wall time in `tcp`. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** A promise that resolves after `ms` on this clock. */
  sleep(ms: number): Promise<void>;
}

export interface TimerHandle {
  readonly id: number;
}

/** What one side of a TLS session learned about the other. */
export interface TlsInfo {
  /** SHA-256 fingerprint of the peer's certificate, lower-case hex without colons. */
  peerFingerprint256?: string;
  /** Subject CN of the peer certificate, when there is one. */
  peerSubject?: string;
  protocol?: string;
}

/**
 * One end of a bidirectional byte stream (a TCP connection, or a TLS session over one).
 * Both ends of the same TCP connection carry the same `id` (on `tcp` when both ends are in
 * this process), so that a Trace can say which client connection became which server one.
 */
export interface Connection {
  readonly id: string;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  /** Set once a TLS session runs over this connection (see Network.startTls). */
  readonly tls?: TlsInfo;
  /** True after close(), reset(), or the peer's close/reset. */
  readonly closed: boolean;
  /** True once the peer has half-closed (sent FIN). */
  readonly remoteEnded: boolean;

  write(data: Uint8Array): void;
  /** Half-close: no more writes from this side (FIN). Reading goes on. */
  end(): void;
  /** Orderly close of both directions. */
  close(): void;
  /** Abortive close (RST): the peer sees 'close' with reset=true. */
  reset(): void;

  onData(cb: (data: Uint8Array) => void): void;
  /** The peer half-closed (FIN received). */
  onEnd(cb: () => void): void;
  /** Fully closed, for any reason. `reset` is true for an abortive close by either side. */
  onClose(cb: (info: { reset: boolean; error?: string }) => void): void;
}

export interface TlsServerOptions {
  identity: TlsIdentity;
}

export interface TlsClientOptions {
  servername?: string;
  /** Accept only this certificate (sha-256 hex); otherwise any certificate is accepted and reported. */
  pinFingerprint256?: string;
}

/** Options of `Network.startTls` common to both roles. */
export interface StartTlsOptions {
  /**
   * Bytes of the TLS stream the caller already read from `conn` (e.g. what followed a
   * CONNECT 200 in the same read); they are fed to TLS before anything still to arrive.
   */
  initialData?: Uint8Array;
  /** Bound on the handshake; default 10000 ms (virtual on `sim`). Rejects with NetError('timeout'). */
  timeoutMs?: number;
}

/** A certificate and key a TLS server presents. On `sim` only `fingerprint256` and `subject` matter. */
export interface TlsIdentity {
  subject: string;
  certPem: string;
  keyPem: string;
  fingerprint256: string;
}

export interface ListenOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Who owns the listener, e.g. "server", "proxy". Recorded in the Trace. */
  actor: string;
  tls?: TlsServerOptions;
}

export interface ConnectOptions {
  host: string;
  port: number;
  /** Who opens the connection, e.g. "client#1", "proxy". */
  actor: string;
  /** Which hop this is, e.g. "client-proxy", "proxy-server", "client-server". */
  hop: string;
  /** Bound on the connect; default 5000 ms. */
  timeoutMs?: number;
  tls?: TlsClientOptions;
}

export interface Listener {
  readonly address: Endpoint;
  close(): Promise<void>;
}

export type NetErrorCode = 'refused' | 'timeout' | 'unreachable' | 'tls' | 'closed';

export class NetError extends Error {
  constructor(
    readonly code: NetErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NetError';
  }
}

export interface Network {
  readonly kind: 'sim' | 'tcp';
  readonly clock: Clock;
  readonly trace: Trace;
  listen(opts: ListenOptions, onConnection: (conn: Connection) => void): Promise<Listener>;
  /** Rejects with NetError('refused' | 'timeout' | 'unreachable' | 'tls'). */
  connect(opts: ConnectOptions): Promise<Connection>;
  /**
   * Starts TLS over an existing connection (a CONNECT tunnel, or TLS interception):
   * resolves to a new Connection carrying plaintext, with the same id and `tls` set.
   * Bytes on the wire (and in the Trace, under the original connection) are TLS records.
   */
  startTls(
    conn: Connection,
    opts: (({ role: 'client' } & TlsClientOptions) | ({ role: 'server' } & TlsServerOptions)) & StartTlsOptions,
  ): Promise<Connection>;
  /** Closes every listener and connection this network opened. */
  shutdown(): Promise<void>;
}
