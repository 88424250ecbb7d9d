// The audit log: one entry per request the server answered (or refused), with the connection,
// the identity that connection carried and what was sent back. Invariants (INV-1, INV-6) and
// cases read it; it never holds a secret.

import type { Clock } from '../net/types.ts';
import type { AuditEntry, AuditLog } from './types.ts';

export type AuditInput = Omit<AuditEntry, 'seq' | 't'>;

export class AuditRecorder implements AuditLog {
  private readonly list: AuditEntry[] = [];

  constructor(private readonly clock: Clock) {}

  get entries(): readonly AuditEntry[] {
    return this.list;
  }

  add(e: AuditInput): AuditEntry {
    const entry = { seq: this.list.length, t: this.clock.now() } as AuditEntry;
    copyDefined(e, entry as unknown as Record<string, unknown>);
    this.list.push(entry);
    return entry;
  }
}

/** Copies `from`'s own fields in order, leaving out undefined ones: entries stay comparable with toEqual / JSON. */
function copyDefined(from: object, to: Record<string, unknown>): void {
  const src = from as Record<string, unknown>;
  for (const k of Object.keys(src)) {
    const v = src[k];
    if (v !== undefined) to[k] = v;
  }
}
