// `certify --sim` with no fault: the reference proxy, every fault and every control of the
// catalogue (REQUIREMENTS.md §3), each certified on the simulated network. The matrix passes
// when the reference and the controls are conformant and every fault fails at least one of
// the cases the catalogue says catch it.

import { listFaults, type ProxyAuthScheme } from '../proxy/index.ts';
import type { Report, Secret } from '../report/index.ts';
import type { CaseInfo } from './catalogue.ts';
import { certify } from './runner.ts';
import type { CaseTiming } from './types.ts';

export interface MatrixRow {
  proxy: string;
  kind: 'reference' | 'fault' | 'control';
  verdict: Report['verdict'];
  failed: string[];
  expected: string[];
  /** Whether the row is what the catalogue expects (not part of the contract's required keys). */
  ok: boolean;
}

export interface MatrixResult {
  rows: MatrixRow[];
  reports: Map<string, { report: Report; secrets: Secret[] }>;
  ok: boolean;
}

export async function runMatrix(opts: {
  cases: CaseInfo[];
  seed: number;
  timing: CaseTiming;
  /** The simulated proxy's credential and schemes (default Basic). */
  proxyAuth?: { user: string; password: string; schemes?: ProxyAuthScheme[] };
  /** Non-strict outcomes make the reference or a control not conformant (wpc certify --strict). */
  strict?: boolean;
  onRow?: (row: MatrixRow) => void;
}): Promise<MatrixResult> {
  const entries: Array<{ name: string; kind: MatrixRow['kind']; faults: string[]; expected: string[] }> = [
    { name: 'reference', kind: 'reference', faults: [], expected: [] },
    ...listFaults().map((f) => ({
      name: f.name,
      // A passive fault (sniff) changes nothing on the wire: like a control, it must pass.
      kind: f.kind === 'fault' ? ('fault' as const) : ('control' as const),
      faults: [f.name],
      expected: f.kind === 'fault' ? f.caughtBy : [],
    })),
  ];
  const rows: MatrixRow[] = [];
  const reports = new Map<string, { report: Report; secrets: Secret[] }>();
  for (const e of entries) {
    const result = await certify({
      proxy: { kind: 'sim', faults: e.faults, ...(opts.proxyAuth ? { proxyAuth: opts.proxyAuth } : {}) },
      proxyUrl: `http://127.0.0.1:3128`,
      product: { name: 'wpc', variant: e.name },
      cases: opts.cases,
      transport: 'sim',
      seed: opts.seed,
      timing: opts.timing,
    });
    reports.set(e.name, result);
    const failed = result.report.cases.filter((c) => c.status === 'fail').map((c) => c.id);
    const v = result.report.verdict;
    const selected = new Set(opts.cases.map((c) => c.id));
    const expectedHere = e.expected.filter((id) => selected.has(id));
    const ok =
      e.kind === 'fault'
        ? expectedHere.length === 0 || expectedHere.some((id) => failed.includes(id))
        : v === 'conformant' || (v === 'conformant-non-strict' && !opts.strict);
    const row: MatrixRow = { proxy: e.name, kind: e.kind, verdict: v, failed, expected: e.expected, ok };
    rows.push(row);
    opts.onRow?.(row);
  }
  return { rows, reports, ok: rows.every((r) => r.ok) };
}
