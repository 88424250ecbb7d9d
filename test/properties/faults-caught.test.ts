// Every fault of the catalogue, alone or composed with controls, is caught by the property the
// table names, for generated pauses, counts, policies and seeds.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listFaults } from '../../harness/proxy/index.ts';
import type { Scenario } from '../../harness/scenario/index.ts';
import { counterexample, runGenerated, seed } from './arbitraries.ts';
import { FAULT_TABLE, type FaultCase, type FaultParams } from './fault-table.ts';

const params: fc.Arbitrary<FaultParams> = fc.record({
  long: fc.integer({ min: 1500, max: 4000 }),
  short: fc.integer({ min: 200, max: 900 }),
  n: fc.integer({ min: 1, max: 2 }),
  allowUnencrypted: fc.boolean(),
  big: fc.integer({ min: 70_000, max: 300_000 }),
  slow: fc.integer({ min: 3, max: 8 }),
});
const controls = fc.shuffledSubarray(['slicer', 'rechunk', 'latency', 'header-case']);

function build(c: FaultCase, p: FaultParams, extra: string[]): Scenario {
  const { proxyAuth, ...rest } = c.scenario(p);
  return { name: `caught-${c.fault}`, ...rest, proxy: { faults: [c.fault, ...extra], ...(proxyAuth ? { auth: { user: 'proxyuser', password: 'Proxy-Pw-2468' } } : {}) } };
}

describe('fault catalogue', () => {
  it('the table covers every fault of the catalogue (passive sniff: the negative controls)', () => {
    const inTable = FAULT_TABLE.map((c) => c.fault).sort();
    const catalogue = listFaults()
      .filter((f) => f.kind === 'fault' && !['http10-upstream', 'http10-client'].includes(f.name))
      .map((f) => f.name)
      .sort();
    expect(inTable).toEqual(catalogue);
  });

  it('each fault, composed with any controls, is caught by the property the table names', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FAULT_TABLE.map((c) => c.fault)), params, controls, seed, async (fault, p, extra, sd) => {
        const c = FAULT_TABLE.find((x) => x.fault === fault)!;
        const s = build(c, p, extra);
        const r = await runGenerated(s, { seed: sd });
        if (!c.caught(r, p)) {
          const seen = r.invariants.map((i) => `${i.id} ${i.holds ? 'holds' : 'violated'}`).join(', ');
          throw counterexample(s, sd, [`fault ${c.fault} not caught by ${c.by}`, `invariants: ${seen}`, `clients: ${r.clients.map((x) => `${x.actor} ${x.outcome}`).join(', ')}`]);
        }
        if (r.ended.reason !== 'completed') throw counterexample(s, sd, [`run ended: ${r.ended.reason}: ${r.ended.detail}`]);
      }),
      { numRuns: 300 },
    );
  });
});
