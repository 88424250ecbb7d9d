// Merges the reports of a sharded run (`wpc merge`) into one.
import type { CaseResult, CaseStatus, Report } from './types.ts';
import { transportVerdicts, verdictOf } from './verdict.ts';

/**
 * How much a result tells about the proxy: an outcome (pass, fail, non-strict) over `error`
 * (the harness could not run it) over `skip` (did not apply).
 */
const INFORMATIVE: Record<CaseStatus, number> = { pass: 2, fail: 2, 'non-strict': 2, error: 1, skip: 0 };

/**
 * Rules:
 * - cases: the union, keyed by id + transport, in order of first appearance. A later duplicate
 *   replaces an earlier one only if it is at least as informative (a re-run's outcome replaces
 *   an earlier outcome or error; a later error or skip never hides an earlier outcome).
 * - verdicts recomputed from the merged cases; durationMs summed; startedAt the earliest;
 *   version, seed and proxy from the first report, with requiresAuth true if any says so and
 *   the first announced product.
 */
export function mergeReports(reports: readonly Report[]): Report {
  if (reports.length === 0) throw new Error('mergeReports: no reports to merge');
  const byKey = new Map<string, CaseResult>();
  for (const r of reports) {
    for (const c of r.cases) {
      const key = `${c.transport}\u0000${c.id}`;
      const prev = byKey.get(key);
      if (!prev || INFORMATIVE[c.status] >= INFORMATIVE[prev.status]) byKey.set(key, c);
    }
  }
  const cases = [...byKey.values()];
  const first = reports[0];
  const product = reports.find((r) => r.proxy.product)?.proxy.product;
  const startedAt = reports.map((r) => r.startedAt).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
  return {
    tool: 'wpc',
    version: first.version,
    startedAt,
    durationMs: reports.reduce((n, r) => n + r.durationMs, 0),
    seed: first.seed,
    proxy: {
      url: first.proxy.url,
      requiresAuth: reports.some((r) => r.proxy.requiresAuth),
      ...(product ? { product } : {}),
    },
    verdict: verdictOf(cases),
    transports: transportVerdicts(cases),
    cases,
  };
}
