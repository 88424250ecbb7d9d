// A broken proxy yields a verdict, never a hang (DESIGN.md): through a black hole, a half-open
// proxy, a reset-happy one or an unanswered SYN, every generated scenario ends within its bound
// and every client ends with an outcome and a reason (INV-7 holds).

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { counterexample, runGenerated, scenarioWith, seed } from './arbitraries.ts';

const hostile = fc.constantFrom('black-hole', 'half-open', 'reset-happy', 'connect-blackhole').map((h) => ({ hostile: h as 'black-hole' }));

describe('never hang', () => {
  it('every scenario through a hostile proxy ends within its bound with a reason for every client', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioWith(hostile, 'never-hang'), seed, async (s, sd) => {
        const r = await runGenerated(s, { seed: sd });
        const bad: string[] = [];
        if (r.ended.reason !== 'completed') bad.push(`run ended: ${r.ended.reason}: ${r.ended.detail}`);
        for (const c of r.clients) {
          if (c.outcome === 'hang') bad.push(`${c.actor} hung: ${c.error ?? ''}`);
          else if (c.outcome !== 'ok' && !c.error) bad.push(`${c.actor} ended ${c.outcome} without a reason`);
          else if (c.outcome === 'ok' && c.exchanges.length > 0) bad.push(`${c.actor} succeeded through a hostile proxy`);
        }
        const inv7 = r.invariants.find((i) => i.id === 'INV-7')!;
        if (!inv7.holds) bad.push(inv7.explanation);
        if (bad.length) throw counterexample(s, sd, bad);
      }),
      { numRuns: 200 },
    );
  });
});
