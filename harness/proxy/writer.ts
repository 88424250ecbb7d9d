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
    return this.then(async () => {
      for (const step of this.plan(bytes, ctx)) {
        if (this.conn.closed) return;
        if ('bytes' in step) {
          if (step.bytes.length > 0) this.conn.write(step.bytes);
        } else if ('delayMs' in step) {
          await this.clock.sleep(step.delayMs);
        } else {
          this.conn.reset();
          return;
        }
      }
    });
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
