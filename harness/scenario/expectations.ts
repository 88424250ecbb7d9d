// Whether a run met its scenario's expectations: invariants that must hold or be violated, and
// each client's outcome (and route).

import type { InvariantResult } from '../invariants/types.ts';
import type { ClientExpectation, NormalizedScenario, OutcomeExpectation } from './types.ts';

export interface ClientSummary {
  actor: string;
  group: string;
  outcome: string;
  error?: string;
  /** Where its connections went: 'proxy', 'direct', 'none' (opened none). */
  via: 'proxy' | 'direct' | 'none';
}

export function outcomeMatches(e: OutcomeExpectation, outcome: string): boolean {
  if (e === 'failed') return outcome !== 'ok';
  if (Array.isArray(e)) return e.includes(outcome as never);
  return e === outcome;
}

const show = (e: OutcomeExpectation) => (Array.isArray(e) ? e.join(' or ') : e === 'failed' ? 'any failure' : e);

export function checkExpectations(s: NormalizedScenario, invariants: readonly InvariantResult[], clients: readonly ClientSummary[]): string[] {
  const failures: string[] = [];
  const byId = new Map(invariants.map((r) => [r.id, r]));
  for (const id of s.expect.hold) {
    const r = byId.get(id);
    if (r && !r.holds) failures.push(`${id} expected to hold, but was violated: ${r.explanation}`);
  }
  for (const id of s.expect.violated) {
    const r = byId.get(id);
    if (r && r.holds) failures.push(`${id} expected to be violated (negative control), but held: ${r.explanation}`);
  }
  for (const c of clients) {
    const e: ClientExpectation = s.expect.clients[c.actor] ?? s.expect.clients[c.group] ?? { outcome: 'ok' };
    const want = e.outcome ?? 'ok';
    if (!outcomeMatches(want, c.outcome)) failures.push(`${c.actor}: expected ${show(want)}, got ${c.outcome}${c.error ? ` (${c.error})` : ''}`);
    if (e.via && c.via !== e.via) failures.push(`${c.actor}: expected its connections to go ${e.via === 'proxy' ? 'through the proxy' : 'direct'}, but they went ${c.via}`);
  }
  return failures;
}
