import { describe, expect, it } from 'vitest';
import { mergeReports } from './merge.ts';
import { makeCase, makeReport } from './sample.ts';
import { validateReport } from './validate.ts';

describe('mergeReports', () => {
  const a = makeReport([makeCase({ id: 'http.1' }), makeCase({ id: 'http.2', status: 'error', reason: 'timeout' })], {
    startedAt: '2024-01-02T10:00:00.000Z',
    durationMs: 1000,
  });
  const b = makeReport([makeCase({ id: 'http.2', status: 'fail' }), makeCase({ id: 'https.1' })], {
    startedAt: '2024-01-02T09:00:00.000Z',
    durationMs: 500,
    proxy: { url: 'http://127.0.0.1:3128', requiresAuth: true },
  });

  it('unions cases, sums durations, takes the earliest start and recomputes verdicts', () => {
    const m = mergeReports([a, b]);
    expect(m.cases.map((c) => `${c.id}:${c.status}`)).toEqual(['http.1:pass', 'http.2:fail', 'https.1:pass']);
    expect(m.durationMs).toBe(1500);
    expect(m.startedAt).toBe('2024-01-02T09:00:00.000Z');
    expect(a.verdict).toBe('error');
    expect(m.verdict).toBe('non-conformant');
    expect(m.transports).toEqual({ http: 'non-conformant', https: 'conformant' });
    expect(m.proxy).toEqual({ url: 'http://127.0.0.1:3128', requiresAuth: true, product: { name: 'squid', version: '5.7' } });
    expect(validateReport(JSON.parse(JSON.stringify(m)))).toEqual({ ok: true });
  });

  it('a later error or skip never hides an earlier outcome', () => {
    const later = makeReport([makeCase({ id: 'http.1', status: 'error' }), makeCase({ id: 'http.2', status: 'skip' })]);
    const m = mergeReports([makeReport([makeCase({ id: 'http.1', status: 'fail' }), makeCase({ id: 'http.2', status: 'pass' })]), later]);
    expect(m.cases.map((c) => c.status)).toEqual(['fail', 'pass']);
  });

  it('a later outcome replaces an earlier one (a re-run)', () => {
    const m = mergeReports([makeReport([makeCase({ id: 'http.1', status: 'fail' })]), makeReport([makeCase({ id: 'http.1', status: 'pass', reason: 're-run' })])]);
    expect(m.cases).toHaveLength(1);
    expect(m.cases[0]).toMatchObject({ status: 'pass', reason: 're-run' });
  });

  it('keeps the same id on different transports apart', () => {
    const m = mergeReports([makeReport([makeCase({ id: 'x.1', transport: 'http' })]), makeReport([makeCase({ id: 'x.1', transport: 'https', status: 'fail' })])]);
    expect(m.cases.map((c) => c.transport)).toEqual(['http', 'https']);
    expect(m.transports).toEqual({ http: 'conformant', https: 'non-conformant' });
  });

  it('refuses an empty list', () => {
    expect(() => mergeReports([])).toThrow(/no reports/);
  });
});
