// The acceptor's replay cache (RFC 4120 §3.2.3): an authenticator (client, ctime, cusec, and a
// hash of its ciphertext) seen within the clock-skew window is a replay. Entries older than the
// window are dropped: an authenticator that old fails the skew check anyway.
import { createHash } from 'node:crypto';

export class ReplayCache {
  private readonly seen = new Map<string, number>(); // key → ctime (ms)
  constructor(private readonly windowMs: number) {}

  /** Records the authenticator; false when it was seen before. */
  check(client: string, ctime: number, cusec: number, ciphertext: Uint8Array, now: number): boolean {
    this.prune(now);
    const key = `${client}|${ctime}|${cusec}|${createHash('sha256').update(ciphertext).digest('hex')}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, ctime);
    return true;
  }

  private prune(now: number): void {
    for (const [k, t] of this.seen) if (Math.abs(now - t) > this.windowMs) this.seen.delete(k);
  }

  get size(): number {
    return this.seen.size;
  }
}
