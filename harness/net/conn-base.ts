// What every Connection implementation shares (sim ends, simtls, tcp sockets, node TLS):
// callback lists, holding received bytes until someone reads, the order data → end → close,
// and the take-over used by startTls so that the plain Connection stops delivering.

import type { Connection, Endpoint, TlsInfo } from './types.ts';

export interface CloseInfo {
  reset: boolean;
  error?: string;
}

/** Who consumes a connection's bytes after startTls took it over. */
export interface TakeOver {
  data(d: Uint8Array): void;
  end(): void;
  close(info: CloseInfo): void;
}

/** The empty callback list shared by every connection; never added to (see ConnBase.onData). */
const NONE: never[] = [];

export abstract class ConnBase implements Connection {
  abstract readonly id: string;
  abstract readonly local: Endpoint;
  abstract readonly remote: Endpoint;
  tls?: TlsInfo;
  closed = false;
  remoteEnded = false;
  /** This side sent its FIN (end, close or reset). */
  protected localEnded = false;

  // NONE until the first callback: a list then starts with one slot (a push onto an empty
  // array reserves 17), and almost every connection has one callback of each kind.
  private dataCbs: Array<(d: Uint8Array) => void> = NONE;
  private endCbs: Array<() => void> = NONE;
  private closeCbs: Array<(info: CloseInfo) => void> = NONE;
  /** Received before anyone called onData: held, like a paused stream. */
  private held: Uint8Array[] = [];
  private endHeld = false;
  private endFired = false;
  private closeInfo?: CloseInfo;
  private closeFired = false;
  private flushQueued = false;
  private owner?: TakeOver;

  constructor(
    /** The actor owning this end, e.g. "client#1". */
    readonly actor: string,
    /** The actor at the other end; "external" when it is not in this process. */
    public peerActor: string,
  ) {}

  abstract write(data: Uint8Array): void;
  abstract end(): void;
  abstract close(): void;
  abstract reset(): void;

  onData(cb: (data: Uint8Array) => void): void {
    if (this.dataCbs === NONE) this.dataCbs = [cb];
    else this.dataCbs.push(cb);
    if (this.held.length) this.queueFlush();
  }

  onEnd(cb: () => void): void {
    if (this.endCbs === NONE) this.endCbs = [cb];
    else this.endCbs.push(cb);
    if (this.endFired) queueMicrotask(() => cb());
  }

  onClose(cb: (info: { reset: boolean; error?: string }) => void): void {
    if (this.closeCbs === NONE) this.closeCbs = [cb];
    else this.closeCbs.push(cb);
    const info = this.closeInfo;
    if (this.closeFired && info) queueMicrotask(() => cb(info));
  }

  /** True once this side sent its FIN (end, close or reset). */
  get finSent(): boolean {
    return this.localEnded;
  }

  /** True once startTls owns this connection. */
  get takenOver(): boolean {
    return this.owner !== undefined;
  }

  /**
   * Hands the byte stream to `owner` (startTls): data and end no longer reach the handlers
   * registered with onData/onEnd (close handlers still fire). Returns what was received but
   * not yet delivered, and whether the peer's FIN was already seen.
   */
  takeOver(owner: TakeOver): { held: Uint8Array[]; ended: boolean } {
    if (this.owner) throw new Error(`connection ${this.id} is already taken over`);
    this.owner = owner;
    this.dataCbs = NONE;
    this.endCbs = NONE;
    const held = this.held;
    this.held = [];
    this.endHeld = false;
    const closeInfo = this.closeInfo;
    if (closeInfo) queueMicrotask(() => owner.close(closeInfo));
    return { held, ended: this.remoteEnded };
  }

  protected receiveData(d: Uint8Array): void {
    if (this.closed) return;
    if (this.owner) return this.owner.data(d);
    if (this.dataCbs.length && !this.held.length) {
      for (const cb of this.dataCbs) cb(d);
    } else {
      this.held.push(d);
    }
  }

  protected receiveEnd(): void {
    if (this.remoteEnded || this.closeInfo) return;
    this.remoteEnded = true;
    if (this.owner) return this.owner.end();
    if (this.held.length) this.endHeld = true;
    else this.fireEnd();
  }

  /** The end is fully closed. A reset (or `drop`) discards what was received and not read. */
  protected receiveClose(info: CloseInfo, drop = info.reset): void {
    if (this.closeInfo) return;
    this.closed = true;
    this.closeInfo = info;
    if (drop) {
      this.held = [];
      this.endHeld = false;
    }
    this.owner?.close(info);
    if (!this.held.length) this.fireClose();
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      while (this.held.length && this.dataCbs.length && !this.owner) {
        const d = this.held.shift()!;
        for (const cb of this.dataCbs) cb(d);
      }
      if (this.held.length) return;
      if (this.endHeld) {
        this.endHeld = false;
        this.fireEnd();
      }
      if (this.closeInfo && !this.closeFired) this.fireClose();
    });
  }

  private fireEnd(): void {
    this.endFired = true;
    for (const cb of this.endCbs) cb();
  }

  private fireClose(): void {
    if (this.closeFired || !this.closeInfo) return;
    this.closeFired = true;
    const info = this.closeInfo;
    for (const cb of this.closeCbs) cb(info);
  }
}

export function addr(e: { host: string; port: number }): string {
  return `${e.host}:${e.port}`;
}
