// Writes the report formats into a directory. report.json is always written; every format is
// rendered from the same redacted report, so no writer can see a secret.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { redactReport, type Secret } from './redact.ts';
import type { Report, ReportFormat } from './types.ts';

export const REPORT_FILES: Record<ReportFormat, string> = {
  json: 'report.json',
  junit: 'junit.xml',
  html: 'report.html',
  md: 'summary.md',
};

const RENDER: Record<ReportFormat, (r: Report) => string> = {
  json: (r) => `${JSON.stringify(r, null, 2)}\n`,
  junit: renderJunit,
  html: renderHtml,
  md: renderMarkdown,
};

/** Renders every format of `report` (after redaction) without writing anything. */
export function renderReports(report: Report, formats: readonly ReportFormat[], opts: { secrets?: readonly Secret[] } = {}): Map<string, string> {
  const safe = redactReport(report, opts.secrets ?? []);
  const wanted = new Set<ReportFormat>(['json', ...formats]);
  return new Map([...wanted].map((f) => [REPORT_FILES[f], RENDER[f](safe)]));
}

/** Writes the files into `dir` (created if missing); returns their paths. */
export async function writeReports(
  report: Report,
  dir: string,
  formats: readonly ReportFormat[],
  opts: { secrets?: readonly Secret[] } = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const [name, text] of renderReports(report, formats, opts)) {
    const path = join(dir, name);
    await writeFile(path, text, 'utf8');
    paths.push(path);
  }
  return paths;
}
