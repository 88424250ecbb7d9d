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
  /** CPU time of the whole process over the timed runs (user + system, every thread). */
  cpuMs: number;
  /** The warm-up: how many runs it took and how long (slower: the JIT is still compiling). */
  warmRuns: number;
  warmMs: number;
  /** Whether the warm-up ended because the rate had settled (false: it hit its time cap). */
  settled: boolean;
}

/** A warm-up batch lasts this long; settling is judged batch against batch. */
const BATCH_MS = 400;
/** Two batches' rates within this fraction of each other count as settled. */
const SETTLE_RATE = 0.03;
/** Process CPU above wall time by more than this means background threads still work (V8's optimizing compiler). */
const SETTLE_CPU = 0.05;
/** The warm-up stops here even when unsettled (the timing then says so). */
const WARM_CAP_MS = 20_000;

interface Batch {
  runs: number;
  wallMs: number;
  cpuMs: number;
}

async function batch(fn: (i: number) => Promise<unknown> | unknown, first: number, ms: number): Promise<Batch> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let runs = 0;
  while (performance.now() - t0 < ms) {
    for (let k = 0; k < 10; k++) await fn(first + runs++);
  }
  const cpu = process.cpuUsage(c0);
  return { runs, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * Runs `fn` repeatedly for about `ms` milliseconds and returns runs, elapsed and CPU ms. Before,
 * a warm-up of at least `warm` runs and `warmMs` milliseconds that goes on until the code has
 * settled: V8 keeps tiering a scenario's code up (in background compiler threads) for a few
 * thousand runs, so a fixed short warm-up measures the JIT, not the harness. Settled means two
 * consecutive batches ran at rates within 3 % and the process used no more CPU than wall time
 * (+5 %), i.e. no compiler thread was busy beside the main one.
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
  let settled = false;
  let last: Batch | undefined;
  while (performance.now() - w0 < WARM_CAP_MS) {
    const b = await batch(fn, warmRuns, BATCH_MS);
    warmRuns += b.runs;
    const rate = b.runs / b.wallMs;
    if (last && Math.abs(rate - last.runs / last.wallMs) <= SETTLE_RATE * rate && b.cpuMs <= (1 + SETTLE_CPU) * b.wallMs) {
      settled = true;
      break;
    }
    last = b;
  }
  const warmElapsed = performance.now() - w0;
  const m = await batch(fn, warmRuns, ms);
  return { runs: m.runs, elapsedMs: m.wallMs, cpuMs: m.cpuMs, warmRuns, warmMs: warmElapsed, settled };
}
