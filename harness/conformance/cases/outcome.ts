// How a case states its outcome. A failure always says what was expected, what was observed
// (connection ids on both hops, status lines, first differing bytes) and the seed sentence.

import { errorText } from '../observe.ts';
import type { CaseContext, CaseOutcome } from '../types.ts';

type Evidence = Record<string, unknown>;

export function pass(reason: string, evidence: Evidence = {}): CaseOutcome {
  return { status: 'pass', reason, evidence };
}

export function fail(ctx: CaseContext, expected: string, observed: string, evidence: Evidence = {}): CaseOutcome {
  return {
    status: 'fail',
    reason: `expected: ${expected}. observed: ${observed}. seed (${ctx.info.section}): "${ctx.info.seedSentence}"`,
    evidence,
  };
}

export function nonStrict(reason: string, evidence: Evidence = {}): CaseOutcome {
  return { status: 'non-strict', reason, evidence };
}

export function skip(reason: string, evidence: Evidence = {}): CaseOutcome {
  return { status: 'skip', reason, evidence };
}

export function error(reason: string, evidence: Evidence = {}): CaseOutcome {
  return { status: 'error', reason, evidence };
}

/** Runs one step of a case; the client's error, as one line, when it failed. */
export async function attempt(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
    return undefined;
  } catch (e) {
    return errorText(e);
  }
}
