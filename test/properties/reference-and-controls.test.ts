// With the reference proxy and any composition of the controls (legal variations), every
// invariant holds for generated clients, policies, schedules and seeds.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { CONTROLS, counterexample, describeInvariants, runGenerated, scenarioWith, seed } from './arbitraries.ts';

const proxy = fc.shuffledSubarray([...CONTROLS]).map((faults) => (faults.length ? { faults } : ('reference' as const)));

describe('reference proxy and controls', () => {
  it('every invariant holds (INV-1 … INV-7) and every run completes', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioWith(proxy, 'reference-or-controls'), seed, async (s, sd) => {
        const r = await runGenerated(s, { seed: sd });
        const bad = describeInvariants(r);
        if (r.ended.reason !== 'completed') bad.push(`run ended: ${r.ended.reason}: ${r.ended.detail}`);
        if (bad.length) throw counterexample(s, sd, bad);
      }),
      { numRuns: 200 },
    );
  });
});
