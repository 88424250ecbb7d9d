// Verdicts and exit codes (REQUIREMENTS.md §1 outcomes, §5 exit codes).
import type { CaseResult, Transport, Verdict } from './types.ts';

/**
 * The verdict over a set of cases (optionally one transport's), worst first:
 * 1. a MUST case `fail`                       → non-conformant
 * 2. any `error` (harness could not run it)   → error: the MUSTs were not all checked
 * 3. a SHOULD `fail`, or any `non-strict`     → conformant-non-strict
 * 4. otherwise (all pass/skip, or no case)    → conformant
 * INFO cases never influence the verdict: they report, they do not fail (§1, http.10).
 */
export function verdictOf(cases: readonly Pick<CaseResult, 'level' | 'status' | 'transport'>[], transport?: Transport): Verdict {
  const counted = cases.filter((c) => c.level !== 'INFO' && (transport === undefined || c.transport === transport));
  if (counted.some((c) => c.level === 'MUST' && c.status === 'fail')) return 'non-conformant';
  if (counted.some((c) => c.status === 'error')) return 'error';
  if (counted.some((c) => c.status === 'fail' || c.status === 'non-strict')) return 'conformant-non-strict';
  return 'conformant';
}

/** Per-transport verdicts, for the transports that have at least one case. */
export function transportVerdicts(cases: readonly CaseResult[]): { http?: Verdict; https?: Verdict } {
  const out: { http?: Verdict; https?: Verdict } = {};
  for (const t of ['http', 'https'] as const) {
    if (cases.some((c) => c.transport === t)) out[t] = verdictOf(cases, t);
  }
  return out;
}

/**
 * Process exit code (§5): 0 conformant (non-strict counts as conformant unless `strict`),
 * 1 non-conformant (and non-strict under --strict), 2 error.
 */
export function exitCodeFor(verdict: Verdict, opts: { strict?: boolean } = {}): 0 | 1 | 2 {
  switch (verdict) {
    case 'conformant':
      return 0;
    case 'conformant-non-strict':
      return opts.strict ? 1 : 0;
    case 'non-conformant':
      return 1;
    case 'error':
      return 2;
  }
}
