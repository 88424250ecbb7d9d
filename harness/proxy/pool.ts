// Idle server connections shared by authority (the pooled-upstream faults): any client may
// take any idle one — which is how one client ends up on another's authenticated connection.

import type { Upstream } from './upstream.ts';

export class UpstreamPool {
  private readonly idle = new Map<string, Upstream[]>();

  /** The oldest idle live connection to `authority`, removed from the pool. */
  acquire(authority: string): Upstream | undefined {
    const list = this.idle.get(authority);
    while (list && list.length > 0) {
      const up = list.shift()!;
      if (!up.dead && !up.retiring) return up;
    }
    return undefined;
  }

  release(up: Upstream): void {
    if (up.dead || up.retiring) return;
    const list = this.idle.get(up.authority) ?? [];
    if (!list.includes(up)) list.push(up);
    this.idle.set(up.authority, list);
  }

  remove(up: Upstream): void {
    const list = this.idle.get(up.authority);
    if (list) this.idle.set(up.authority, list.filter((u) => u !== up));
  }

  /** Closes every pooled connection. */
  closeAll(): void {
    for (const list of this.idle.values()) for (const up of list) up.retire();
    this.idle.clear();
  }
}
