// `wpc explain ID`: what a case checks, where the seed says so, and what it observes; or what a
// fault does, or what an invariant states.
import { CASES, getCase } from '../conformance/catalogue.ts';
import { INVARIANT_TEXT } from '../invariants/catalogue.ts';
import { UsageError } from './usage.ts';

export async function run(argv: string[]): Promise<number> {
  if (argv.length !== 1) throw new UsageError('usage: wpc explain ID (see wpc list cases)');
  const id = argv[0];
  const invariant = INVARIANT_TEXT[id.toUpperCase()];
  if (invariant) {
    process.stdout.write(`${id.toUpperCase()}: ${invariant}\nchecked: over the Trace of every scenario (wpc run) and by the property tests on the simulated network\n`);
    return 0;
  }
  if (!CASES.some((c) => c.id === id)) {
    const { faults } = await import('../proxy/faults/index.ts');
    const f = (faults as Record<string, { description: string; caughtBy?: string[] }>)[id];
    if (f) {
      process.stdout.write(`${id}: ${f.description}\ncaught by: ${(f.caughtBy ?? []).join(', ') || '(control: must pass everything)'}\n`);
      return 0;
    }
  }
  const c = getCase(id);
  process.stdout.write(
    [
      `${c.id} [${c.level}, ${c.transport}] ${c.title}`,
      `seed section: ${c.section}`,
      `seed: "${c.seedSentence}"`,
      `passes when: ${c.passesWhen}`,
      `observes: ${c.observes}`,
    ].join('\n') + '\n',
  );
  return 0;
}
