// The simulation matrix (REQUIREMENTS.md §3): every fault is caught by a case the catalogue
// names, and the reference proxy and the controls pass every case.
import { describe, expect, it } from 'vitest';
import { CASES } from '../../harness/conformance/catalogue.ts';
import { runMatrix } from '../../harness/conformance/matrix.ts';
import { certify } from '../../harness/conformance/runner.ts';
import { listFaults } from '../../harness/proxy/index.ts';
import { validateReport } from '../../harness/report/index.ts';

const timing = { pauseMs: 2000, operationTimeoutS: 5, timeoutMs: 10_000 };
// Every case runs end to end (http.3 Kerberos and http.4 CredSSP included; see kerberos.test.ts, credssp.test.ts).
const implemented = [...CASES];

describe('certify --sim matrix', () => {
  it('catches every fault with a case the catalogue names, and passes the reference and every control', async () => {
    const m = await runMatrix({ cases: implemented, seed: 7, timing });
    const byName = new Map(m.rows.map((r) => [r.proxy, r]));
    expect(byName.get('reference')).toMatchObject({ verdict: 'conformant', failed: [] });
    for (const f of listFaults()) {
      const row = byName.get(f.name)!;
      if (f.kind === 'fault') {
        expect(row.failed.filter((id) => f.caughtBy.includes(id)), `${f.name} must fail one of ${f.caughtBy.join(', ')}`).not.toEqual([]);
      } else {
        expect(row, `${f.name} (a ${f.kind}) must pass everything`).toMatchObject({ verdict: 'conformant', failed: [] });
      }
    }
    expect(m.ok).toBe(true);
    for (const { report } of m.reports.values()) expect(validateReport(JSON.parse(JSON.stringify(report)))).toEqual({ ok: true });
  });

  it('gives the same outcomes, reasons and traces for the same seed (INV-8 for certify)', async () => {
    const run = async () => {
      const { report } = await certify({
        proxy: { kind: 'sim', faults: ['pooled-upstream'] },
        proxyUrl: 'http://127.0.0.1:3128',
        cases: implemented.filter((c) => c.transport === 'http'),
        transport: 'sim',
        seed: 42,
        timing,
      });
      return report.cases.map(({ durationMs: _d, ...rest }) => rest);
    };
    expect(JSON.stringify(await run())).toBe(JSON.stringify(await run()));
  });

  it('names connection ids on both hops and the seed sentence in a failure', async () => {
    const { report } = await certify({
      proxy: { kind: 'sim', faults: ['pooled-upstream'] },
      proxyUrl: 'http://127.0.0.1:3128',
      cases: CASES.filter((c) => c.id === 'http.7'),
      transport: 'sim',
      seed: 3,
      timing,
    });
    const c = report.cases[0];
    expect(c.status).toBe('fail');
    expect(c.reason).toMatch(/expected: .*observed: .*server c\d+ .*client/);
    expect(c.reason).toContain('unauthenticated clients might gain access to data');
    expect(c.trace.some((e) => e.kind === 'open')).toBe(true);
  });
});
