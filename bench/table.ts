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

export interface Timing {
  runs: number;
  elapsedMs: number;
  /** CPU time of the whole process over the timed runs (user + system, every thread: GC helpers too). */
  cpuMs: number;
  /** The warm-up: how many runs it took and how long (slower: the JIT is still compiling). */
  warmRuns: number;
  warmMs: number;
}

/**
 * Runs `fn` repeatedly for about `ms` milliseconds and returns runs and elapsed ms. Before, a
 * warm-up of at least `warm` runs and, with `warmMs`, at least that long: V8 keeps optimizing a
 * scenario's code for a few thousand runs, so a short warm-up understates the steady rate.
 */
export async function timeFor(
  fn: (i: number) => Promise<unknown> | unknown,
  ms: number,
  warm = 50,
  warmMs = 0,
): Promise<Timing> {
  const w0 = performance.now();
  let warmRuns = 0;
  while (warmRuns < warm || performance.now() - w0 < warmMs) await fn(warmRuns++);
  const warmElapsed = performance.now() - w0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let runs = 0;
  while (performance.now() - t0 < ms) {
    for (let k = 0; k < 10; k++) await fn(warmRuns + runs++);
  }
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { runs, elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000, warmRuns, warmMs: warmElapsed };
}
