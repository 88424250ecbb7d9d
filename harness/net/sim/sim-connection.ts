// Both ends of one simulated TCP connection. Each direction is a pipe: a write becomes a
// delivery event one latency later (plus optional seeded jitter), never overtaking an earlier
// delivery in the same direction (TCP is ordered). Modelled like TCP, not like an idealised
// stream:
// - end(): FIN. The peer sees onEnd and may keep writing (half-close, RFC 9293 §3.6).
// - close(): FIN too, and this end reads nothing more. The peer sees onEnd; if it writes to
//   the closed end anyway, that end answers with RST and the peer sees onClose({reset:true}).
// - an end whose FIN was sent and whose peer's FIN arrived is closed: onClose({reset:false}).
// - reset(): RST. Whatever this end still had in flight is dropped; the peer drops what it
//   has not delivered yet and sees onClose({reset:true}).
// Writes after end/close/reset are ignored. Data is traced once, at the writer, and the traced
// bytes are what the receiver is handed.

import type { Trace } from '../trace.ts';
import type { Endpoint } from '../types.ts';
import { ConnBase } from '../conn-base.ts';
import { copyBytes } from '../../wire/bytes.ts';
import type { Scheduler } from './scheduler.ts';

export interface SimLinkEnv {
  sched: Scheduler;
  trace: Trace;
  latencyMs: number;
  /** Extra delay for one delivery (0 without jitter). */
  jitter(): number;
  /** Splits one write into delivery chunks; absent when slicing is off (one chunk per write). */
  slice?: (d: Uint8Array) => Uint8Array[];
}

/** What a Pipe delivers: data, a FIN or an RST. */
type Segment = typeof DATA | typeof FIN | typeof RST;
const DATA = 0;
const FIN = 1;
const RST = 2;

/** One delivery in flight (data handed to the scheduler, not a closure per write). */
class Delivery {
  constructor(
    readonly pipe: Pipe,
    readonly epoch: number,
    readonly segment: Segment,
    readonly bytes: Uint8Array | undefined,
  ) {}
}

function deliver(d: Delivery): void {
  d.pipe.arrive(d);
}

/** One direction of a connection, into `to`. */
class Pipe {
  private last = 0;
  private epoch = 0;

  constructor(
    private readonly env: SimLinkEnv,
    private readonly to: SimEnd,
  ) {}

  send(segment: Segment, bytes?: Uint8Array): void {
    const t = Math.max(this.env.sched.now() + this.env.latencyMs + this.env.jitter(), this.last);
    this.last = t;
    this.env.sched.at(t, deliver, new Delivery(this, this.epoch, segment, bytes));
  }

  arrive(d: Delivery): void {
    if (d.epoch !== this.epoch) return;
    if (d.segment === DATA) this.to.wireData(d.bytes!);
    else if (d.segment === FIN) this.to.wireFin();
    else this.to.wireRst();
  }

  /** An RST discards the send queue: what is still in flight is never delivered. */
  cancel(): void {
    this.epoch++;
  }
}

export class SimEnd extends ConnBase {
  /** Towards the peer end (set by pair()). */
  private out!: Pipe;
  private finReceived = false;
  private rstSent = false;

  private constructor(
    private readonly env: SimLinkEnv,
    readonly id: string,
    readonly local: Endpoint,
    readonly remote: Endpoint,
    actor: string,
    peerActor: string,
  ) {
    super(actor, peerActor);
  }

  static pair(
    env: SimLinkEnv,
    id: string,
    client: { addr: Endpoint; actor: string },
    server: { addr: Endpoint; actor: string },
  ): [SimEnd, SimEnd] {
    const c = new SimEnd(env, id, client.addr, server.addr, client.actor, server.actor);
    const s = new SimEnd(env, id, server.addr, client.addr, server.actor, client.actor);
    c.out = new Pipe(env, s);
    s.out = new Pipe(env, c);
    return [c, s];
  }

  write(data: Uint8Array): void {
    if (this.closed || this.localEnded || data.length === 0) return;
    // One copy (memcpy, plain Uint8Array even from a Buffer), as the caller may reuse its buffer.
    // The Trace and the receiver share it: receivers only read what they are handed (parsers
    // copy what they keep), so what the Trace recorded stays as it was written.
    const bytes = copyBytes(data);
    this.env.trace.add({ kind: 'data', conn: this.id, from: this.actor, bytes });
    const slice = this.env.slice;
    if (!slice) return this.out.send(DATA, bytes);
    for (const chunk of slice(bytes)) this.out.send(DATA, chunk);
  }

  end(): void {
    if (this.closed || this.localEnded) return;
    this.localEnded = true;
    this.env.trace.add({ kind: 'end', conn: this.id, from: this.actor });
    this.out.send(FIN);
    this.maybeFinish();
  }

  close(): void {
    if (this.closed) return;
    this.env.trace.add({ kind: 'close', conn: this.id, from: this.actor, reset: false });
    const finSent = this.localEnded;
    this.localEnded = true;
    this.closed = true;
    if (!finSent) this.out.send(FIN);
    queueMicrotask(() => this.receiveClose({ reset: false }, true));
  }

  reset(): void {
    if (this.closed) return;
    this.env.trace.add({ kind: 'close', conn: this.id, from: this.actor, reset: true });
    this.closed = true;
    this.localEnded = true;
    this.sendRst();
    queueMicrotask(() => this.receiveClose({ reset: true }));
  }

  /** Marks this end closed without events (network shutdown). */
  abandon(): void {
    this.closed = true;
    this.localEnded = true;
  }

  private sendRst(): void {
    if (this.rstSent) return;
    this.rstSent = true;
    this.out.cancel();
    this.out.send(RST);
  }

  /** @internal Delivered by the peer's Pipe. */
  wireData(d: Uint8Array): void {
    // Data for an end that closed: its stack answers with RST (RFC 9293 §3.10.7.1).
    if (this.closed) return this.sendRst();
    this.receiveData(d);
  }

  /** @internal */
  wireFin(): void {
    if (this.closed) return;
    this.finReceived = true;
    this.receiveEnd();
    this.maybeFinish();
  }

  /** @internal */
  wireRst(): void {
    if (this.closed) return;
    this.closed = true;
    this.localEnded = true;
    this.rstSent = true; // nothing to answer: the peer is gone
    this.receiveClose({ reset: true });
  }

  private maybeFinish(): void {
    if (this.localEnded && this.finReceived && !this.closed) {
      this.closed = true;
      queueMicrotask(() => this.receiveClose({ reset: false }, false));
    }
  }
}
