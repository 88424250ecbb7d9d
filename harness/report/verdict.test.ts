import { describe, expect, it } from 'vitest';
import type { CaseLevel, CaseStatus, Transport, Verdict } from './types.ts';
import { exitCodeFor, transportVerdicts, verdictOf } from './verdict.ts';
import { makeCase } from './sample.ts';

type Row = [string, Array<[CaseLevel, CaseStatus]>, Verdict];

const rows: Row[] = [
  ['no cases at all', [], 'conformant'],
  ['all pass', [['MUST', 'pass'], ['SHOULD', 'pass']], 'conformant'],
  ['pass and skip', [['MUST', 'pass'], ['MUST', 'skip']], 'conformant'],
  ['a MUST fail', [['MUST', 'pass'], ['MUST', 'fail']], 'non-conformant'],
  ['a MUST fail beats an error', [['MUST', 'error'], ['MUST', 'fail']], 'non-conformant'],
  ['a MUST fail beats non-strict', [['MUST', 'non-strict'], ['MUST', 'fail']], 'non-conformant'],
  ['a SHOULD fail is not a MUST failure', [['MUST', 'pass'], ['SHOULD', 'fail']], 'conformant-non-strict'],
  ['a MUST non-strict', [['MUST', 'non-strict'], ['MUST', 'pass']], 'conformant-non-strict'],
  ['a SHOULD non-strict', [['SHOULD', 'non-strict']], 'conformant-non-strict'],
  ['an error with no fail', [['MUST', 'pass'], ['MUST', 'error']], 'error'],
  ['an error outranks a SHOULD fail', [['SHOULD', 'fail'], ['MUST', 'error']], 'error'],
  ['an error outranks non-strict', [['MUST', 'non-strict'], ['SHOULD', 'error']], 'error'],
  ['INFO fail never fails', [['MUST', 'pass'], ['INFO', 'fail']], 'conformant'],
  ['INFO non-strict is ignored', [['INFO', 'non-strict']], 'conformant'],
  ['INFO error is ignored', [['MUST', 'pass'], ['INFO', 'error']], 'conformant'],
  ['all skip', [['MUST', 'skip'], ['SHOULD', 'skip']], 'conformant'],
];

describe('verdictOf', () => {
  it.each(rows)('%s', (_name, spec, expected) => {
    const cases = spec.map(([level, status], i) => makeCase({ id: `http.${i + 1}`, level, status }));
    expect(verdictOf(cases)).toBe(expected);
  });

  it('filters by transport', () => {
    const cases = [
      makeCase({ id: 'http.1', transport: 'http', status: 'fail' }),
      makeCase({ id: 'https.1', transport: 'https', status: 'pass' }),
    ];
    expect(verdictOf(cases, 'http')).toBe('non-conformant');
    expect(verdictOf(cases, 'https')).toBe('conformant');
    expect(verdictOf(cases)).toBe('non-conformant');
  });

  it('transportVerdicts lists only transports that have cases', () => {
    const t: Transport = 'https';
    const v = transportVerdicts([makeCase({ id: 'https.1', transport: t, status: 'error' })]);
    expect(v).toEqual({ https: 'error' });
  });
});

describe('exitCodeFor', () => {
  it.each([
    ['conformant', false, 0],
    ['conformant', true, 0],
    ['conformant-non-strict', false, 0],
    ['conformant-non-strict', true, 1],
    ['non-conformant', false, 1],
    ['non-conformant', true, 1],
    ['error', false, 2],
    ['error', true, 2],
  ] as Array<[Verdict, boolean, number]>)('%s (strict=%s) → %i', (verdict, strict, code) => {
    expect(exitCodeFor(verdict, { strict })).toBe(code);
  });
});
