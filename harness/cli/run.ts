// `wpc run SCENARIO… [--transport sim|tcp] [--seed N]` (REQUIREMENTS.md §5): runs scenario
// files and prints, per scenario, each invariant (PASS / FAIL / n/a) and each client's outcome;
// for a failure, the explanation and the part of the trace it names.
// Exit 0: every scenario met its expectations; 1: some did not; 2: bad input (one line).

import { loadScenario, runScenario, ScenarioError, type NormalizedScenario, type ScenarioResult } from '../scenario/index.ts';
import { connectionIdsIn, traceExcerpt } from '../scenario/excerpt.ts';

interface Args {
  files: string[];
  transport: 'sim' | 'tcp';
  seed?: number;
}

class BadInput extends Error {}

function parseArgs(argv: string[]): Args {
  const a: Args = { files: [], transport: 'sim' };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new BadInput(`${x} needs a value`);
      return v;
    };
    if (x === '--transport') {
      const v = value();
      if (v !== 'sim' && v !== 'tcp') throw new BadInput(`--transport must be sim or tcp, not '${v}'`);
      a.transport = v;
    } else if (x === '--seed') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new BadInput(`--seed must be an integer from 0 to 4294967295, not '${v}'`);
      a.seed = Number(v);
    } else if (x.startsWith('--')) {
      throw new BadInput(`unknown option '${x}' (usage: wpc run SCENARIO… [--transport sim|tcp] [--seed N])`);
    } else {
      a.files.push(x);
    }
  }
  if (a.files.length === 0) throw new BadInput('no scenario file given (usage: wpc run SCENARIO… [--transport sim|tcp] [--seed N])');
  return a;
}

export function renderResult(r: ScenarioResult, file: string): string[] {
  const out: string[] = [];
  out.push(`${r.passed ? 'PASS' : 'FAIL'}  ${r.scenario.name} (${file}) on ${r.transport}, seed ${r.seed}: ${r.ended.reason} at ${r.ended.atMs} ms`);
  if (r.ended.reason !== 'completed') out.push(`      ${r.ended.detail}`);
  const expected = new Set(r.scenario.expect.violated);
  for (const i of r.invariants) {
    const word = i.applies === false ? 'n/a ' : i.holds ? 'PASS' : 'FAIL';
    const note = expected.has(i.id as never) ? (i.holds ? ' (expected FAIL: negative control)' : ' (expected: negative control)') : '';
    out.push(`  ${i.id}  ${word}${note}`);
  }
  for (const c of r.clients) out.push(`  client ${c.actor}: ${c.outcome}${c.via !== 'none' ? ` (via ${c.via})` : ''}${c.outcome !== 'ok' && c.error ? ` — ${c.error}` : ''}`);
  if (!r.passed) {
    out.push('  not as expected:');
    for (const f of r.failures) out.push(`    - ${f}`);
    const conns = connectionIdsIn(r.failures.join(' '));
    if (conns.length) {
      out.push(`  trace of ${conns.join(', ')}:`);
      for (const l of traceExcerpt(r.trace, conns)) out.push(`    ${l}`);
    }
  }
  return out;
}

export async function run(argv: string[]): Promise<number> {
  let args: Args;
  let scenarios: Array<{ file: string; s: NormalizedScenario }>;
  try {
    args = parseArgs(argv);
    scenarios = [];
    for (const file of args.files) scenarios.push({ file, s: await loadScenario(file) });
  } catch (e) {
    if (e instanceof BadInput || e instanceof ScenarioError) {
      process.stderr.write(`wpc run: ${e.message.split('\n')[0]}\n`);
      return 2;
    }
    throw e;
  }
  let failed = 0;
  let skipped = 0;
  for (const { file, s } of scenarios) {
    if (!s.transports.includes(args.transport)) {
      skipped++;
      process.stdout.write(`SKIP  ${s.name} (${file}) on ${args.transport}: the scenario runs on ${s.transports.join(', ')} only\n`);
      continue;
    }
    const r = await runScenario(s, { transport: args.transport, ...(args.seed !== undefined ? { seed: args.seed } : {}) });
    if (!r.passed) failed++;
    process.stdout.write(renderResult(r, file).join('\n') + '\n');
  }
  const ran = scenarios.length - skipped;
  process.stdout.write(`${ran - failed} of ${ran} scenario(s) met their expectations${skipped ? ` (${skipped} skipped: not for ${args.transport})` : ''}\n`);
  return failed === 0 ? 0 : 1;
}
