// A Trace records every connection and every byte on every hop, with its time, so that
// verdicts are computed from what was on the wire. Endpoints add parsed-message and note
// events on top. Byte-for-byte comparable between runs (INV-8): no wall clock on `sim`.

export type TraceEvent =
  | { seq: number; t: number; kind: 'listen'; actor: string; addr: string; tls: boolean }
  | {
      seq: number;
      t: number;
      kind: 'open';
      conn: string;
      hop: string;
      /** The actor that connected, and the one that accepted ("external" when not ours). */
      initiator: string;
      acceptor: string;
      from: string;
      to: string;
    }
  | { seq: number; t: number; kind: 'refused'; hop: string; initiator: string; to: string; reason: string }
  /** `from` is the actor that wrote the bytes. `tls` marks plaintext inside a TLS session. */
  | { seq: number; t: number; kind: 'data'; conn: string; from: string; bytes: Uint8Array; tls?: boolean }
  | { seq: number; t: number; kind: 'end'; conn: string; from: string }
  | { seq: number; t: number; kind: 'close'; conn: string; from: string; reset: boolean }
  | { seq: number; t: number; kind: 'tls'; conn: string; client: string; server: string; fingerprint256: string }
  | {
      seq: number;
      t: number;
      kind: 'message';
      conn: string;
      /** The actor that sent (or, for `dir: 'in'`, received) the message. */
      actor: string;
      dir: 'in' | 'out';
      /** Request line or status line, e.g. "POST /wsman HTTP/1.1" or "HTTP/1.1 401 Unauthorized". */
      startLine: string;
      headers: Array<[string, string]>;
      bodyLength: number;
      /** SHA-256 of the body, lower-case hex: compares a message on both hops byte for byte. */
      bodySha256?: string;
    }
  | { seq: number; t: number; kind: 'note'; actor: string; conn?: string; text: string };

type Without<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
export type TraceInput = Without<TraceEvent, 'seq' | 't'>;

export class Trace {
  readonly events: TraceEvent[] = [];
  private seq = 0;

  constructor(
    private readonly now: () => number,
    /** Keep payload bytes of data events (off for very long real runs). */
    readonly keepBytes = true,
  ) {}

  /** Records `e`, which the Trace takes over (callers pass a fresh object and keep no reference). */
  add(e: TraceInput): void {
    // seq and t are appended after the caller's fields, as a spread copy would place them.
    const ev = e as TraceEvent;
    ev.seq = this.seq++;
    ev.t = this.now();
    if (ev.kind === 'data' && !this.keepBytes) ev.bytes = new Uint8Array(0);
    this.events.push(ev);
  }

  note(actor: string, text: string, conn?: string): void {
    this.add({ kind: 'note', actor, text, ...(conn ? { conn } : {}) });
  }

  /** All bytes one actor wrote on one connection, concatenated. */
  bytesFrom(conn: string, from: string, opts: { tls?: boolean } = {}): Uint8Array {
    const parts = this.events.filter(
      (e): e is Extract<TraceEvent, { kind: 'data' }> =>
        e.kind === 'data' && e.conn === conn && e.from === from && !!e.tls === !!opts.tls,
    );
    return Buffer.concat(parts.map((p) => p.bytes));
  }

  connections(): Array<Extract<TraceEvent, { kind: 'open' }>> {
    return this.events.filter((e): e is Extract<TraceEvent, { kind: 'open' }> => e.kind === 'open');
  }

  /** A stable text form, for INV-8 comparisons and failure output. */
  serialize(): string {
    return this.events
      .map((e) =>
        JSON.stringify(e, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)),
      )
      .join('\n');
  }
}
