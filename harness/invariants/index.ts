// The invariants of REQUIREMENTS.md §2 as predicates over what a run observed.
export type * from './types.ts';
export { inv1 } from './inv1-no-unauthenticated-access.ts';
export { inv2 } from './inv2-no-cross-client-delivery.ts';
export { inv3 } from './inv3-confidentiality.ts';
export { inv4 } from './inv4-credential-separation.ts';
export { inv5, MAX_CONSECUTIVE_401 } from './inv5-liveness.ts';
export { inv6 } from './inv6-at-most-once.ts';
export { inv7 } from './inv7-fail-closed.ts';
export { inv8, inv8NotApplicable } from './inv8-determinism.ts';
export { conversations, tagActor, type Conversation, type Pair } from './conversations.ts';
export { secretNeedles, findNeedles, ntHash, SOAP_MARKERS } from './needles.ts';

import { inv1 } from './inv1-no-unauthenticated-access.ts';
import { inv2 } from './inv2-no-cross-client-delivery.ts';
import { inv3 } from './inv3-confidentiality.ts';
import { inv4 } from './inv4-credential-separation.ts';
import { inv5 } from './inv5-liveness.ts';
import { inv6 } from './inv6-at-most-once.ts';
import { inv7 } from './inv7-fail-closed.ts';
import type { Invariant, InvariantContext, InvariantResult } from './types.ts';

/** INV-1 … INV-7, in order (INV-8 needs a second run: see inv8). */
export const SINGLE_RUN_INVARIANTS: ReadonlyArray<readonly [string, Invariant]> = [
  ['INV-1', inv1],
  ['INV-2', inv2],
  ['INV-3', inv3],
  ['INV-4', inv4],
  ['INV-5', inv5],
  ['INV-6', inv6],
  ['INV-7', inv7],
];

/** Evaluates INV-1 … INV-7; a predicate that throws is reported as violated with the error. */
export function evaluateInvariants(ctx: InvariantContext): InvariantResult[] {
  return SINGLE_RUN_INVARIANTS.map(([id, f]) => {
    try {
      return f(ctx);
    } catch (e) {
      return { id, holds: false, explanation: `the check itself failed: ${(e as Error).message}` };
    }
  });
}
