// The invariants are not vacuous (REQUIREMENTS.md §2, negative controls): with
// AllowUnencrypted=true and a sharing proxy the harness shows the data leak the seed warns of
// (INV-1 violated), and with Basic over HTTP a sniffing proxy captures the password (INV-4
// violated; INV-3 too when the server enforces encryption: the password crossed anyway).

import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Scenario } from '../../harness/scenario/index.ts';
import { counterexample, runGenerated, seed } from './arbitraries.ts';

const violated = (r: { invariants: Array<{ id: string; holds: boolean }> }, id: string) => r.invariants.some((i) => i.id === id && !i.holds);

describe('negative controls', () => {
  it('AllowUnencrypted + pooled upstream: an unauthenticated rider is served as alice (INV-1 violated)', async () => {
    const leak = fc.record({
      aliceCount: fc.integer({ min: 1, max: 2 }),
      riders: fc.integer({ min: 1, max: 2 }),
      long: fc.integer({ min: 2500, max: 6000 }),
      short: fc.integer({ min: 300, max: 2000 }),
      riderStep: fc.constantFrom('create', 'run hostname'),
      extra: fc.shuffledSubarray(['slicer', 'header-case', 'sniff']),
    });
    await fc.assert(
      fc.asyncProperty(leak, seed, async (p, sd) => {
        const s: Scenario = {
          name: 'leak-control',
          server: { allowUnencrypted: true },
          proxy: { faults: ['pooled-upstream', ...p.extra] },
          clients: [
            { name: 'alice', count: p.aliceCount, steps: ['create', `pause ${p.long}`, 'command hostname', 'receive', 'delete'] },
            { name: 'rider', auth: 'none', count: p.riders, steps: [`pause ${p.short}`, p.riderStep] },
          ],
        };
        const r = await runGenerated(s, { seed: sd });
        if (!violated(r, 'INV-1')) throw counterexample(s, sd, ['the leak control did not violate INV-1: the invariant would be vacuous', ...r.clients.map((c) => `${c.actor}: ${c.outcome}`)]);
      }),
      { numRuns: 200 },
    );
  });

  it('Basic over HTTP through a sniffing proxy: the password is captured (INV-4, and INV-3 when encryption is enforced)', async () => {
    const sniffed = fc.record({
      allowUnencrypted: fc.boolean(),
      user: fc.constantFrom('alice', 'bob'),
      steps: fc.constantFrom<string[]>(['identify'], ['create', 'delete'], ['run whoami']),
      extra: fc.shuffledSubarray(['slicer', 'rechunk', 'header-case']),
    });
    await fc.assert(
      fc.asyncProperty(sniffed, seed, async (p, sd) => {
        const s: Scenario = {
          name: 'sniff-control',
          server: { allowUnencrypted: p.allowUnencrypted, auth: ['negotiate', 'basic'] },
          proxy: { faults: ['sniff', ...p.extra] },
          clients: [{ name: 'victim', user: p.user, auth: 'basic', unsafeAllowUnencryptedThroughProxy: true, steps: p.steps }],
        };
        const r = await runGenerated(s, { seed: sd });
        const bad: string[] = [];
        if (!violated(r, 'INV-4')) bad.push('INV-4 held: the sniffed Basic password went unnoticed');
        if (!p.allowUnencrypted && !violated(r, 'INV-3')) bad.push('INV-3 held although the password crossed the proxy while encryption was enforced');
        if (bad.length) throw counterexample(s, sd, bad);
      }),
      { numRuns: 200 },
    );
  });
});
