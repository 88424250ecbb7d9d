// Every scenario file under scenarios/ runs on the simulated network and meets its own
// expectations (invariants held or violated, client outcomes, routes).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../harness/scenario/index.ts';

const dir = join(import.meta.dirname, '..', '..', 'scenarios');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();

describe('scenarios/ on sim', () => {
  it('has a scenario for every situation the seed describes', () => {
    for (const name of ['reference', 'close-after-2xx', 'new-upstream-per-request', 'idle-reconnect', 'http10', 'pooled-upstream-rider-encrypted', 'pooled-upstream-leak-control', 'unencrypted-through-proxy-refused', 'two-credentials', 'winrm11-winhttp', 'basic-http-sniff-control']) {
      expect(files).toContain(`${name}.yaml`);
    }
  });

  it.each(files)('%s meets its expectations', async (file) => {
    const s = await loadScenario(join(dir, file));
    const r = await runScenario(s, { transport: 'sim' });
    expect(r.ended.reason, r.ended.detail).toBe('completed');
    expect(r.failures).toEqual([]);
    expect(r.invariants.map((i) => i.id)).toEqual(['INV-1', 'INV-2', 'INV-3', 'INV-4', 'INV-5', 'INV-6', 'INV-7', 'INV-8']);
  });
});
