// `npm run bench`: the harness's speed, measured with real timers (this is not a test).
// Sections print one after another; each is a function returning a table (bench/table.ts).
//   1. scenario-rate — complete simulated scenarios per second and the per-phase cost.
//   2. certify timing — a whole certify against the local reference proxy, and peak memory.

import { certifySection } from './certify.ts';
import { scenarioRate } from './scenario-rate.ts';
import { renderSection, type Section } from './table.ts';

const seconds = Number(process.env.WPC_BENCH_SECONDS ?? 3);

const sections: Array<() => Promise<Section>> = [
  () => scenarioRate({ seconds }),
  certifySection,
];

process.stdout.write(`# wpc bench (node ${process.version}, ${seconds} s per measurement)\n\n`);
for (const s of sections) process.stdout.write(renderSection(await s()) + '\n');
