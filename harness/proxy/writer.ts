// Ordered writes to one connection. Each write goes through the composed faults' relay
// hooks (split, delay, reset); steps of successive writes never interleave.

import type { Clock, Connection } from '../net/types.ts';
import type { RelayContext, RelayStep } from './types.ts';

export type RelayPlanner = (bytes: Uint8Array, ctx: RelayContext) => RelayStep[];

export class OrderedWriter {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly conn: Connection,
    private readonly clock: Clock,
    private readonly plan: RelayPlanner,
  ) {}

  /** Queues `bytes`; resolves once they (and everything before) were written. */
  write(bytes: Uint8Array, ctx: RelayContext): Promise<void> {
    return this.then(() => this.run(this.plan(bytes, ctx), 0));
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

  /** Runs `fn` after every queued write; errors are contained (the connection may be gone). */
  then(fn: () => void | Promise<void>): Promise<void> {
    this.chain = this.chain.then(fn).catch(() => undefined);
    return this.chain;
  }

  end(): Promise<void> {
    return this.then(() => {
      if (!this.conn.closed) this.conn.end();
    });
  }

  close(): Promise<void> {
    return this.then(() => {
      if (!this.conn.closed) this.conn.close();
    });
  }

  reset(): Promise<void> {
    return this.then(() => {
      if (!this.conn.closed) this.conn.reset();
    });
  }
}
