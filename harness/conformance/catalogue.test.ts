import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES, selectCases } from './catalogue.ts';

// The case ids and levels are a contract: they must match REQUIREMENTS.md §1 exactly.
function requirementsTable(): Array<{ id: string; level: string }> {
  const text = readFileSync(join(import.meta.dirname, '..', '..', '..', 'shared', 'REQUIREMENTS.md'), 'utf8');
  const rows: Array<{ id: string; level: string }> = [];
  for (const line of text.split('\n')) {
    const m = /^\| `((?:https?)\.\d+)` \| (MUST|SHOULD|INFO)/.exec(line);
    if (m) rows.push({ id: m[1], level: m[2] });
  }
  return rows;
}

describe('case catalogue', () => {
  it('has exactly the ids and levels of REQUIREMENTS.md §1, in its order', () => {
    const table = requirementsTable();
    expect(table.length).toBe(16);
    expect(CASES.map((c) => ({ id: c.id, level: c.level }))).toEqual(table);
  });

  it('gives every case a title, a seed section and a seed sentence found in the seed text', () => {
    const seed = readFileSync(join(import.meta.dirname, '..', '..', '..', 'shared', 'seed', 'proxy-servers-and-winrm.md'), 'utf8');
    for (const c of CASES) {
      expect(c.title.length).toBeGreaterThan(10);
      expect(seed.replace(/\s+/g, ' ')).toContain(c.seedSentence);
      expect(c.transport).toBe(c.id.split('.')[0]);
    }
  });

  it('selects cases by id list and rejects unknown ids with one line', () => {
    expect(selectCases('http.2,https.1').map((c) => c.id)).toEqual(['https.1', 'http.2']);
    expect(() => selectCases('http.2,http.99')).toThrow(/unknown case id\(s\): http\.99/);
    expect(selectCases(undefined)).toHaveLength(16);
  });
});
