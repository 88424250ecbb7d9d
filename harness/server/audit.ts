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
    const entry: AuditEntry = { seq: this.list.length, t: this.clock.now(), ...dropUndefined(e) };
    this.list.push(entry);
    return entry;
  }
}

/** Keeps entries comparable with toEqual / JSON (no `key: undefined`). */
function dropUndefined<T extends object>(o: T): T {
  const out = {} as T;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
