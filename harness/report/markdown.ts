// A Markdown summary for CI job pages (e.g. $GITHUB_STEP_SUMMARY): the verdict, per-transport
// verdicts, a table of cases, then each failure's reason and hint.
import { escapeMdCell, escapeMdText } from './escape.ts';
import { productLabel } from './labels.ts';
import type { CaseResult, CaseStatus, Report, Verdict } from './types.ts';

export const STATUS_MARK: Record<CaseStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  'non-strict': 'NON-STRICT',
  skip: 'SKIP',
  error: 'ERROR',
};

const VERDICT_LINE: Record<Verdict, string> = {
  conformant: 'CONFORMANT',
  'conformant-non-strict': 'CONFORMANT (non-strict)',
  'non-conformant': 'NON-CONFORMANT',
  error: 'ERROR (the harness could not run every case)',
};

function failureSection(c: CaseResult): string {
  const lines = [`### ${escapeMdText(`${c.id} (${c.transport}, ${c.level}): ${c.title}`)}`, '', `${STATUS_MARK[c.status]}: ${escapeMdText(c.reason)}`, ''];
  lines.push(`Seed section: ${escapeMdText(c.section)}`, '');
  if (c.hint) lines.push(`> Hint: ${escapeMdText(c.hint).replace(/\r?\n/g, '\n> ')}`, '');
  return lines.join('\n');
}

export function renderMarkdown(report: Report): string {
  const product = productLabel(report);
  const out = [
    `## wpc: ${VERDICT_LINE[report.verdict]}`,
    '',
    `Proxy ${escapeMdText(report.proxy.url)}${product ? ` (${escapeMdText(product)})` : ''}` +
      `${report.proxy.requiresAuth ? ', requires authentication' : ''}. ` +
      `wpc ${escapeMdText(report.version)}, started ${escapeMdText(report.startedAt)}, ${(report.durationMs / 1000).toFixed(1)} s, seed ${report.seed}.`,
    '',
    '| transport | verdict |',
    '| --- | --- |',
    ...(['http', 'https'] as const).flatMap((t) => (report.transports[t] ? [`| ${t} | ${report.transports[t]} |`] : [])),
    '',
    '| case | transport | level | status | title |',
    '| --- | --- | --- | --- | --- |',
    ...report.cases.map((c) => `| ${escapeMdCell(c.id)} | ${c.transport} | ${c.level} | ${STATUS_MARK[c.status]} | ${escapeMdCell(c.title)} |`),
    '',
  ];
  const failures = report.cases.filter((c) => c.status === 'fail' || c.status === 'error' || c.status === 'non-strict');
  if (failures.length) out.push('## Failures, errors and non-strict outcomes', '', ...failures.map(failureSection));
  return out.join('\n');
}
