import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from './run.ts';

const scenarios = join(import.meta.dirname, '..', '..', 'scenarios');
let out = '';
let err = '';

beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

function tempScenario(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'wpc-run-')), 's.yaml');
  writeFileSync(f, text);
  return f;
}

describe('wpc run', () => {
  it('exits 0 and prints every invariant and client outcome when scenarios meet their expectations', async () => {
    const code = await run([join(scenarios, 'reference.yaml'), join(scenarios, 'pooled-upstream-leak-control.yaml'), '--seed', '5']);
    expect(code).toBe(0);
    expect(out).toContain('PASS  reference');
    expect(out).toContain('on sim, seed 5');
    expect(out).toMatch(/INV-1 {2}FAIL \(expected: negative control\)/);
    expect(out).toMatch(/INV-8 {2}PASS/);
    expect(out).toContain('client rider#1: ok (via proxy)');
    expect(out).toContain('2 of 2 scenario(s) met their expectations');
  });

  it('exits 1 and prints the explanation and the trace of the connections it names', async () => {
    const f = tempScenario(
      'name: leak\nserver: { allowUnencrypted: true }\nproxy: { faults: [pooled-upstream] }\nclients:\n  - name: alice\n    steps: [create, pause 3000, run hostname]\n  - name: rider\n    auth: none\n    steps: [pause 1000, create]\n',
    );
    const code = await run([f]);
    expect(code).toBe(1);
    expect(out).toContain('FAIL  leak');
    expect(out).toContain('INV-1 expected to hold, but was violated');
    expect(out).toMatch(/trace of c\d+/);
    expect(out).toMatch(/c\d+ open rider#1 → proxy/);
    expect(out).toContain('client rider#1: ok (via proxy)');
    expect(out).not.toContain('Alice-Pw-4711!');
  });

  it('skips a scenario that declares other transports, and counts only what ran', async () => {
    const simOnly = tempScenario('name: sim-only\ntransports: [sim]\nclients:\n  - name: alice\n    steps: [identify]\n');
    const code = await run([simOnly, join(scenarios, 'reference.yaml'), '--transport', 'tcp']);
    expect(code).toBe(0);
    expect(out).toContain('SKIP  sim-only');
    expect(out).toContain('runs on sim only');
    expect(out).toContain('PASS  reference');
    expect(out).toContain('1 of 1 scenario(s) met their expectations (1 skipped: not for tcp)');
  }, 60_000);

  it('exits 2 with one line for an unreadable file, a schema error or a bad option', async () => {
    expect(await run(['/nonexistent/x.yaml'])).toBe(2);
    expect(err).toBe('wpc run: /nonexistent/x.yaml: cannot read: ENOENT\n');
    err = '';
    expect(await run([tempScenario('name: x\nclients: [{ name: alice, steps: [fly] }]\n')])).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('/clients/0/steps/0: not a step');
    err = '';
    expect(await run([join(scenarios, 'reference.yaml'), '--transport', 'udp'])).toBe(2);
    expect(err).toContain('--transport must be sim or tcp');
    expect(await run([])).toBe(2);
  });
});
