// `npm run bench`: the harness's speed, measured with real timers (this is not a test).
// Sections print one after another; each is a function returning a table (bench/table.ts).
//   1. scenario-rate — complete simulated scenarios per second and the per-phase cost.
//   2. (reserved) certify timing — added by the lead.

import { scenarioRate } from './scenario-rate.ts';
import { renderSection, type Section } from './table.ts';

const seconds = Number(process.env.WPC_BENCH_SECONDS ?? 3);

const sections: Array<() => Promise<Section>> = [
  () => scenarioRate({ seconds }),
  // certify timing goes here
];

process.stdout.write(`# wpc bench (node ${process.version}, ${seconds} s per measurement)\n\n`);
for (const s of sections) process.stdout.write(renderSection(await s()) + '\n');
