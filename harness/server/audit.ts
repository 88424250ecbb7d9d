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
    return this.addParts(e, undefined);
  }

  /** One entry from where the request came from (`head`) and what became of it (`rest`), without merging them first. */
  addParts(head: AuditHead, rest: Omit<AuditInput, keyof AuditHead> | undefined): AuditEntry {
    const entry = { seq: this.list.length, t: this.clock.now() } as AuditEntry;
    copyDefined(head, entry as unknown as Record<string, unknown>);
    if (rest) copyDefined(rest, entry as unknown as Record<string, unknown>);
    this.list.push(entry);
    return entry;
  }
}

export type AuditHead = Pick<AuditInput, 'conn' | 'listener' | 'requestLine' | 'requestTag'>;

/** Copies `from`'s fields in order, leaving out undefined ones: entries stay comparable with toEqual / JSON. */
function copyDefined(from: object, to: Record<string, unknown>): void {
  const src = from as Record<string, unknown>;
  // for…in (plain object literals: own fields only) walks the enum cache without a key array.
  for (const k in src) {
    const v = src[k];
    if (v !== undefined) to[k] = v;
  }
}
