// INV-8 over generated scenarios (any faults and controls), and the promise made to whoever
// reads a failure: a counterexample shrinks to a small scenario, printed with its seed, and
// runScenario replays it to the same trace.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listFaults } from '../../harness/proxy/index.ts';
import { parseScenario, runScenario, type Scenario } from '../../harness/scenario/index.ts';
import { counterexample, runGenerated, scenarioWith, seed } from './arbitraries.ts';

const anyProxy = fc.shuffledSubarray(listFaults().map((f) => f.name), { maxLength: 3 }).map((faults) => ({ faults }));

describe('determinism', () => {
  it('the same scenario and seed give the same trace, byte for byte (INV-8)', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioWith(anyProxy, 'determinism'), seed, async (s, sd) => {
        const r = await runGenerated(s, { seed: sd, determinism: true });
        const inv8 = r.invariants.find((i) => i.id === 'INV-8')!;
        if (!inv8.holds) throw counterexample(s, sd, [inv8.explanation]);
      }),
      { numRuns: 200 },
    );
  });

  it('a counterexample shrinks to a minimal scenario, printed as YAML with its seed, that replays to the same trace', async () => {
    // A deliberately false claim: "INV-1 holds even with AllowUnencrypted and a pooling proxy".
    const claim = fc.asyncProperty(
      fc.record({
        aliceSteps: fc.array(fc.constantFrom('identify', 'run hostname', 'pause 500'), { maxLength: 4 }),
        long: fc.integer({ min: 1000, max: 5000 }),
        short: fc.integer({ min: 100, max: 900 }),
        bobs: fc.integer({ min: 0, max: 2 }),
      }),
      fc.integer({ min: 0, max: 1000 }),
      async (p, sd) => {
        const s: Scenario = {
          name: 'shrink-me',
          server: { allowUnencrypted: true },
          proxy: { faults: ['pooled-upstream'] },
          clients: [
            { name: 'alice', steps: ['create', `pause ${p.long}`, ...p.aliceSteps, 'delete'] },
            ...(p.bobs ? [{ name: 'bob', user: 'bob', count: p.bobs, steps: ['identify'] }] : []),
            { name: 'rider', auth: 'none' as const, steps: [`pause ${p.short}`, 'create'] },
          ],
        };
        const r = await runGenerated(s, { seed: sd });
        if (!r.invariants.find((i) => i.id === 'INV-1')!.holds) throw counterexample(s, sd, ['INV-1 violated']);
      },
    );
    const out = await fc.check(claim, { numRuns: 50, seed: 42 });
    expect(out.failed).toBe(true);
    const [p, sd] = out.counterexample!;
    expect(p.aliceSteps).toEqual([]); // shrunk away
    expect(p.bobs).toBe(0);
    expect(sd).toBe(0);
    const message = String((out.errorInstance as Error).message);
    expect(message).toContain('wpc run scenarios/x.yaml --seed 0');
    // The printed YAML is a scenario: parse it and replay it twice, same trace both times.
    const yaml = message.slice(message.indexOf('name: shrink-me'));
    const s = parseScenario(yaml);
    expect(s.clients.map((c) => c.name)).toEqual(['alice', 'rider']);
    const a = await runScenario(s, { seed: sd, determinism: false });
    const b = await runScenario(s, { seed: sd, determinism: false });
    expect(a.invariants.find((i) => i.id === 'INV-1')!.holds).toBe(false);
    expect(b.trace.serialize()).toBe(a.trace.serialize());
  });
});
