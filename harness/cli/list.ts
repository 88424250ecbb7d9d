// `wpc list [cases|faults|scenarios|products]`.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CASES } from '../conformance/catalogue.ts';
import { UsageError } from './usage.ts';

const WHAT = ['cases', 'faults', 'scenarios', 'products'] as const;

export async function run(argv: string[]): Promise<number> {
  const what = argv[0] ?? 'cases';
  if (argv.length > 1 || !(WHAT as readonly string[]).includes(what)) {
    throw new UsageError(`usage: wpc list [${WHAT.join('|')}]`);
  }
  const out: string[] = [];
  if (what === 'cases') {
    for (const c of CASES) out.push(`${c.id.padEnd(8)} ${c.level.padEnd(6)} ${c.title}`);
  } else if (what === 'faults') {
    const { listFaults } = await import('../proxy/faults/index.ts');
    for (const f of listFaults()) {
      const caught = f.kind === 'fault' ? `caught by ${f.caughtBy.join(', ')}` : f.kind;
      out.push(`${f.name.padEnd(28)} ${f.description} (${caught})`);
    }
  } else if (what === 'products') {
    const { products } = await import('../drivers/registry.ts');
    for (const p of products) {
      const installed = await p.installed();
      const version = installed ? await p.version() : undefined;
      const state = installed ? `installed${version ? ' ' + version : ''}` : 'not installed';
      out.push(`${p.name.padEnd(10)} ${state.padEnd(20)} variants: ${p.variants.map((v) => v.name).join(', ')}`);
    }
  } else {
    const dir = join(import.meta.dirname, '..', '..', 'scenarios');
    const files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
    for (const f of files) out.push(join('scenarios', f));
  }
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
