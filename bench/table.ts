// A small text table for the benchmark's sections.

export interface Section {
  title: string;
  /** First row is the header. */
  rows: string[][];
  notes?: string[];
}

export function renderTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function renderSection(s: Section): string {
  return [`## ${s.title}`, '', renderTable(s.rows), ...(s.notes?.length ? ['', ...s.notes] : []), ''].join('\n');
}

/** Runs `fn` repeatedly for about `ms` milliseconds (after `warm` runs); returns runs and elapsed ms. */
export async function timeFor(fn: (i: number) => Promise<unknown> | unknown, ms: number, warm = 50): Promise<{ runs: number; elapsedMs: number }> {
  for (let i = 0; i < warm; i++) await fn(i);
  const t0 = performance.now();
  let runs = 0;
  while (performance.now() - t0 < ms) {
    for (let k = 0; k < 10; k++) await fn(warm + runs++);
  }
  return { runs, elapsedMs: performance.now() - t0 };
}
