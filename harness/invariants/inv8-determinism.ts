// INV-8 Determinism: the same scenario and seed give the same trace, byte for byte
// (Trace.serialize). The runner runs the scenario a second time and hands both traces here.

import type { Trace } from '../net/trace.ts';
import type { InvariantResult } from './types.ts';

export const ID = 'INV-8';

export function inv8(first: Trace, second: Trace): InvariantResult {
  const a = first.serialize();
  const b = second.serialize();
  if (a === b) return { id: ID, holds: true, explanation: `two runs gave the same trace (${first.events.length} events, ${a.length} bytes serialized)` };
  const la = a.split('\n');
  const lb = b.split('\n');
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  const cut = (s: string | undefined) => (s === undefined ? '(end of trace)' : s.length > 200 ? s.slice(0, 200) + '…' : s);
  return {
    id: ID,
    holds: false,
    explanation: `expected the same trace from the same scenario and seed; event ${i} differs: first run ${cut(la[i])}; second run ${cut(lb[i])}`,
  };
}

/** For transports that cannot replay (tcp): not applicable. */
export function inv8NotApplicable(why: string): InvariantResult {
  return { id: ID, holds: true, applies: false, explanation: `not applicable: ${why}` };
}
