// JUnit XML for CI: one <testsuite> per transport, one <testcase> per case, in the shape most
// consumers read (Jenkins, GitLab, GitHub test reporters: testsuites/testsuite/testcase with
// failure, error, skipped, system-out).
import { escapeXml, escapeXmlAttr } from './escape.ts';
import { productLabel } from './labels.ts';
import type { CaseResult, Report, Transport } from './types.ts';

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

function detail(c: CaseResult): string {
  const lines = [c.reason];
  if (c.hint) lines.push(`hint: ${c.hint}`);
  lines.push(`section: ${c.section}`, `evidence: ${JSON.stringify(c.evidence, null, 2)}`);
  return lines.join('\n');
}

/**
 * `fail` at MUST or SHOULD → <failure> (type = level); INFO cases never fail (§1), so an INFO
 * `fail` is a pass with a note. `error` → <error>, `skip` → <skipped>, `non-strict` → a pass
 * with a <system-out> note.
 */
function testcase(c: CaseResult): string {
  const open = `    <testcase classname="wpc.${c.transport}" name="${escapeXmlAttr(`${c.id} ${c.title}`)}" time="${seconds(c.durationMs)}"`;
  const note = (label: string) => `      <system-out>${escapeXml(`${label}: ${detail(c)}`)}</system-out>\n`;
  switch (c.status) {
    case 'pass':
      return `${open}/>\n`;
    case 'fail':
      if (c.level === 'INFO') return `${open}>\n${note('INFO (never a failure)')}    </testcase>\n`;
      return `${open}>\n      <failure message="${escapeXmlAttr(`[${c.level}] ${c.reason}`)}" type="${c.level}">${escapeXml(detail(c))}</failure>\n    </testcase>\n`;
    case 'error':
      return `${open}>\n      <error message="${escapeXmlAttr(c.reason)}" type="harness-error">${escapeXml(detail(c))}</error>\n    </testcase>\n`;
    case 'skip':
      return `${open}>\n      <skipped message="${escapeXmlAttr(c.reason)}"/>\n    </testcase>\n`;
    case 'non-strict':
      return `${open}>\n${note('non-strict (passes the MUST, misses a stricter reading)')}    </testcase>\n`;
  }
}

function counts(cases: CaseResult[]) {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.status === 'fail' && c.level !== 'INFO').length,
    errors: cases.filter((c) => c.status === 'error').length,
    skipped: cases.filter((c) => c.status === 'skip').length,
    time: seconds(cases.reduce((n, c) => n + c.durationMs, 0)),
  };
}

const attrs = (o: Record<string, string | number>): string =>
  Object.entries(o)
    .map(([k, v]) => `${k}="${escapeXmlAttr(String(v))}"`)
    .join(' ');

export function renderJunit(report: Report): string {
  const suites = (['http', 'https'] as Transport[])
    .filter((t) => report.cases.some((c) => c.transport === t))
    .map((t) => {
      const cases = report.cases.filter((c) => c.transport === t);
      const props: Array<[string, string]> = [
        ['verdict', report.transports[t] ?? ''],
        ['proxy', report.proxy.url],
        ['seed', String(report.seed)],
        ...(report.proxy.product ? ([['product', productLabel(report)]] as Array<[string, string]>) : []),
      ];
      return (
        `  <testsuite ${attrs({ name: `wpc.${t}`, ...counts(cases), timestamp: report.startedAt })}>\n` +
        `    <properties>\n${props.map(([k, v]) => `      <property ${attrs({ name: k, value: v })}/>\n`).join('')}    </properties>\n` +
        cases.map(testcase).join('') +
        `  </testsuite>\n`
      );
    });
  const total = counts(report.cases);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${attrs({ name: 'wpc', ...total, time: seconds(report.durationMs) })}>\n${suites.join('')}</testsuites>\n`;
}
