// A finished scenario must be garbage for the young generation, not only for a full GC.
// Any per-scenario object that V8 allocates in old space and that points into the scenario
// (a getter closure in an object literal gives each instance its own hidden class; a function
// literal assigned to a property, `this.x = () => …`, is pretenured) keeps the whole finished
// network — trace included — alive through every scavenge until the next full GC: the bench
// scenario spent ~12 % of its CPU in GC that way (~80 KB promoted per scenario, now ~8 KB).

import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { oneScenario } from '../../bench/scenario-rate.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as (o?: { type: 'major' | 'minor' }) => void;

const oldSpaceUsed = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;

// Drops the network: an awaited value stays referenced from the (old) awaiting generator.
async function run(seed: number): Promise<void> {
  await oneScenario(seed);
}

describe('scenario retention', () => {
  it('a finished bench scenario does not survive minor GCs', async () => {
    for (let i = 0; i < 200; i++) await run(i);
    gc();
    const before = oldSpaceUsed();
    const n = 20;
    for (let i = 0; i < n; i++) {
      await run(1000 + i);
      // Two scavenges: the first copies survivors within the young generation, the second promotes them.
      gc({ type: 'minor' });
      gc({ type: 'minor' });
    }
    const promotedPerScenario = (oldSpaceUsed() - before) / n;
    expect(promotedPerScenario).toBeLessThan(40 * 1024);
  });
});
