// Ordered writes to one connection. Each write goes through the composed faults' relay
// hooks (split, delay, reset); steps of successive writes never interleave.
//
// Most writes have no delay step: with nothing queued they are carried out at once and need
// no promise at all (a chained promise per write was ~3 promises and as many microtask turns
// per relayed message). Only a write behind a pending delay waits on the chain.

import type { Clock, Connection } from '../net/types.ts';
import type { RelayContext, RelayStep } from './types.ts';

/** The composed faults' relay hooks (ComposedFaults): how each write is carried out. */
export interface RelayPlanner {
  /** False when no fault relays: every write is its bytes, unplanned. */
  readonly relays: boolean;
  relay(bytes: Uint8Array, ctx: RelayContext): RelayStep[];
}

export class OrderedWriter {
  /** Settles once every queued or delayed operation has finished; undefined when none is. */
  private chain: Promise<void> | undefined;
  /** Queued or delayed operations not finished yet (the chain is current while > 0). */
  private pending = 0;

  constructor(
    private readonly conn: Connection,
    private readonly clock: Clock,
    private readonly plan: RelayPlanner,
  ) {}

  /**
   * Queues `bytes`; the promise (when one is returned) resolves once they and everything before
   * were written. `ctx` is read by relay faults only: callers may leave it out when none relays.
   */
  write(bytes: Uint8Array, ctx: RelayContext | undefined): Promise<void> | void {
    if (!this.plan.relays) {
      // Without relay faults, a write with nothing queued is carried out here: no plan, no closure.
      if (this.pending === 0) return this.writeNow(bytes);
      return this.then(() => this.writeNow(bytes));
    }
    return this.then(() => this.run(this.plan.relay(bytes, ctx!), 0));
  }

  /** run([{ bytes }]) as then() would call it with nothing queued (errors contained). */
  private writeNow(bytes: Uint8Array): void {
    try {
      if (!this.conn.closed && bytes.length > 0) this.conn.write(bytes);
    } catch {
      // the connection may be gone
    }
  }

  /**
   * Carries out steps[from..]. Synchronous up to the first delay, which continues after the sleep:
   * a write without delays settles without an extra promise.
   */
  private run(steps: RelayStep[], from: number): Promise<void> | void {
    for (let i = from; i < steps.length; i++) {
      if (this.conn.closed) return;
      const step = steps[i];
      if ('bytes' in step) {
        if (step.bytes.length > 0) this.conn.write(step.bytes);
      } else if ('delayMs' in step) {
        return this.clock.sleep(step.delayMs).then(() => this.run(steps, i + 1));
      } else {
        this.conn.reset();
        return;
      }
    }
  }

  /**
   * Runs `fn` after every queued write: at once when nothing is queued, else on the chain.
   * Errors are contained (the connection may be gone). Returns a promise only while `fn`'s work is pending.
   */
  then(fn: () => void | Promise<void>): Promise<void> | void {
    if (this.pending > 0) return this.track(this.chain!.then(fn));
    let r: void | Promise<void>;
    try {
      r = fn();
    } catch {
      return;
    }
    if (r) return this.track(r);
  }

  private track(p: Promise<void>): Promise<void> {
    this.pending++;
    const c = p.then(
      () => void this.pending--,
      () => void this.pending--,
    );
    this.chain = c;
    return c;
  }

  end(): Promise<void> | void {
    return this.then(() => {
      if (!this.conn.closed) this.conn.end();
    });
  }

  close(): Promise<void> | void {
    return this.then(() => {
      if (!this.conn.closed) this.conn.close();
    });
  }

  reset(): Promise<void> | void {
    return this.then(() => {
      if (!this.conn.closed) this.conn.reset();
    });
  }
}
