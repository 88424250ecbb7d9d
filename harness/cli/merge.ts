// `wpc merge REPORT.json… --out DIR`: joins the reports of sharded runs (REQUIREMENTS.md §5).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { exitCodeFor, mergeReports, REPORT_FILES, validateReport, writeReports, type Report, type ReportFormat } from '../report/index.ts';
import { UsageError } from './usage.ts';

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { out: { type: 'string' }, format: { type: 'string', default: 'json,junit,html,md' } } });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (usage: wpc merge REPORT.json… --out DIR)`);
  }
  const { values, positionals } = parsed;
  if (!values.out || positionals.length === 0) throw new UsageError('usage: wpc merge REPORT.json… --out DIR');
  const formats = String(values.format).split(',').map((f) => f.trim()).filter(Boolean) as ReportFormat[];
  for (const f of formats) if (!Object.hasOwn(REPORT_FILES, f)) throw new UsageError(`--format: unknown format '${f}' (json, junit, html, md)`);
  const reports: Report[] = [];
  for (const file of positionals) {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`${file}: not a readable JSON report (${(e as Error).message.split('\n')[0]})`);
    }
    const v = validateReport(data);
    if (!v.ok) throw new UsageError(`${file}: not a wpc report: ${v.errors[0]}`);
    reports.push(data as Report);
  }
  const merged = mergeReports(reports);
  const paths = await writeReports(merged, values.out, formats);
  process.stdout.write(`merged ${reports.length} reports (${merged.cases.length} cases): ${merged.verdict}\n${paths.join('\n')}\n`);
  return exitCodeFor(merged.verdict);
}
