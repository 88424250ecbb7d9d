// One proxy→server connection: sends requests, parses the responses that come back
// (RFC 9112 §6.3 needs the request method to frame each response), and reports its end.

import type { Clock, Connection, TimerHandle } from '../net/types.ts';
import type { Trace } from '../net/trace.ts';
import type { HttpRequest, HttpResponse } from '../wire/types.ts';
import { MessageParser, serialize } from '../wire/index.ts';
import { traceMessage } from '../net/trace-message.ts';
import { OrderedWriter, type RelayPlanner } from './writer.ts';
import type { RelayContext } from './types.ts';

/** What waiting for a response can end with. */
export type UpstreamOutcome =
  | { kind: 'response'; response: HttpResponse }
  | { kind: 'closed' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'timeout' };

export class Upstream {
  readonly writer: OrderedWriter;
  /** Virtual/monotonic time of the last request or response on it. */
  lastActive: number;
  /** A request is in flight. */
  busy = false;
  /** A 2xx was seen on it: the server considers it authenticated (pool-after-auth). */
  authenticated = false;
  /** Closed on purpose by the proxy: its end must not end the client connection. */
  retiring = false;
  /** The server closed, reset or half-closed it, or the proxy did. */
  dead = false;

  private readonly parser = new MessageParser('response');
  private readonly ready: UpstreamOutcome[] = [];
  /** The caller of next() waiting for an outcome, and its timeout. */
  private waiter?: { resolve: (o: UpstreamOutcome) => void; timer: TimerHandle };
  private readonly deathListeners: Array<() => void> = [];

  constructor(
    readonly conn: Connection,
    /** "host:port" the connection goes to. */
    readonly authority: string,
    private readonly clock: Clock,
    private readonly trace: Trace,
    private readonly actor: string,
    plan: RelayPlanner,
  ) {
    this.writer = new OrderedWriter(conn, clock, plan);
    this.lastActive = clock.now();
    conn.onData((d) => {
      if (this.dead) return;
      try {
        this.deliver(this.parser.push(d));
      } catch (err) {
        this.fail(err);
      }
    });
    // A FIN ends a read-until-close response (RFC 9112 §6.3 item 8) and this connection's use.
    conn.onEnd(() => this.finish());
    conn.onClose(() => this.finish());
  }

  /** Registers a callback for when the connection can no longer carry requests. */
  onDeath(cb: () => void): void {
    this.deathListeners.push(cb);
  }

  /** Sends `req`; `ctx` as for OrderedWriter.write. */
  send(req: HttpRequest, ctx: RelayContext | undefined): Promise<void> | void {
    this.busy = true;
    this.lastActive = this.clock.now();
    this.parser.expectResponseTo(req.method);
    traceMessage(this.trace, this.conn.id, this.actor, 'out', req);
    return this.writer.write(serialize(req), ctx);
  }

  /** The next response (1xx included), the connection's end, or a timeout after `ms`. */
  next(ms: number): Promise<UpstreamOutcome> {
    const queued = this.ready.shift();
    if (queued) return Promise.resolve(queued);
    if (this.dead) return Promise.resolve({ kind: 'closed' });
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.waiter = undefined;
        resolve({ kind: 'timeout' });
      }, ms);
      // Data, not a closure: V8 allocates a function literal assigned to a property
      // (`this.x = () => …`) in old space, and it kept each finished scenario alive through
      // minor GCs (its context reaches the whole network) until the next full GC.
      this.waiter = { resolve, timer };
    });
  }

  /** Closes it on purpose (not the server's doing). */
  retire(): void {
    this.retiring = true;
    void this.writer.close();
  }

  private push(o: UpstreamOutcome): void {
    const w = this.waiter;
    if (!w) return void this.ready.push(o);
    this.waiter = undefined;
    this.clock.clearTimeout(w.timer);
    w.resolve(o);
  }

  private deliver(msgs: ReturnType<MessageParser['push']>): void {
    for (const m of msgs) {
      if (m.kind !== 'response') continue;
      traceMessage(this.trace, this.conn.id, this.actor, 'in', m);
      this.lastActive = this.clock.now();
      this.push({ kind: 'response', response: m });
    }
  }

  private fail(err: unknown): void {
    const reason = err instanceof Error ? err.message : String(err);
    this.push({ kind: 'malformed', reason: reason.split('\n')[0] });
    this.dead = true;
    this.retire();
    this.notifyDeath();
  }

  private finish(): void {
    if (this.dead) return;
    try {
      this.deliver(this.parser.end());
    } catch (err) {
      this.fail(err);
      return;
    }
    this.dead = true;
    this.push({ kind: 'closed' });
    if (!this.conn.closed) void this.writer.close();
    this.notifyDeath();
  }

  private notifyDeath(): void {
    for (const cb of this.deathListeners.splice(0)) {
      try {
        cb();
      } catch {
        // a listener's failure must not stop the others
      }
    }
  }
}
