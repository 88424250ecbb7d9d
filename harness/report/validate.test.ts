import { describe, expect, it } from 'vitest';
import { sampleReport } from './sample.ts';
import { validateReport } from './validate.ts';

const roundTrip = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('validateReport', () => {
  it('accepts a built report after a JSON round trip', () => {
    expect(validateReport(roundTrip(sampleReport()))).toEqual({ ok: true });
  });

  it('rejects a wrong verdict and names the field and the allowed values', () => {
    const r = roundTrip(sampleReport()) as unknown as Record<string, unknown>;
    r.verdict = 'mostly-fine';
    const res = validateReport(r);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors).toContain('/verdict: must be equal to one of the allowed values (conformant, conformant-non-strict, non-conformant, error)');
  });

  it('rejects a case without a status, pointing at that case', () => {
    const r = roundTrip(sampleReport());
    delete (r.cases[1] as Partial<(typeof r.cases)[number]>).status;
    const res = validateReport(r);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors).toContain("/cases/1: must have required property 'status'");
  });

  it('rejects a data trace event whose bytes are not base64, naming the event', () => {
    const r = roundTrip(sampleReport());
    const ev = r.cases[0].trace.find((e) => e.kind === 'data');
    if (ev?.kind !== 'data') throw new Error('sample has data');
    ev.base64 = 'not base64!';
    const idx = r.cases[0].trace.indexOf(ev);
    const res = validateReport(r);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors.join('\n')).toContain(`/cases/0/trace/${idx}/base64: must match pattern`);
  });

  it('rejects a proxy URL that still carries credentials', () => {
    const r = roundTrip(sampleReport());
    r.proxy.url = 'http://alice:pw@127.0.0.1:3128';
    const res = validateReport(r);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors.join('\n')).toContain('/proxy/url');
  });

  it('rejects an unknown trace event kind and an extra top-level property', () => {
    const r = roundTrip(sampleReport()) as unknown as { cases: Array<{ trace: unknown[] }>; extra?: number };
    r.cases[0].trace.push({ kind: 'teleport', seq: 1, t: 0 });
    r.extra = 1;
    const res = validateReport(r);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.errors).toContain("/: unexpected property 'extra'");
      expect(res.errors.join('\n')).toMatch(/\/cases\/0\/trace\/\d+/);
    }
  });
});
