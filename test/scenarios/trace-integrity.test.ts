// The Trace's data events and the chunks the simulated network delivers share one copy of the
// bytes (net/sim/sim-connection.ts: receivers only read). This guards that sharing: through
// every scenario under scenarios/ (faults included), no endpoint alters bytes after they were
// traced — otherwise a verdict would read what a receiver made of the bytes, not what was sent.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Trace, type TraceInput } from '../../harness/net/trace.ts';
import { loadScenario, runScenario } from '../../harness/scenario/index.ts';

const dir = join(import.meta.dirname, '..', '..', 'scenarios');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();

let checked = 0;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('trace integrity on sim', () => {
  it.each(files)('%s: every traced byte is still what was written when the run ends', async (file) => {
    const recorded: Array<{ event: Extract<TraceInput, { kind: 'data' }>; copy: Uint8Array }> = [];
    const add = Trace.prototype.add;
    vi.spyOn(Trace.prototype, 'add').mockImplementation(function (this: Trace, e: TraceInput) {
      if (e.kind === 'data') recorded.push({ event: e, copy: Uint8Array.from(e.bytes) });
      add.call(this, e);
    });
    const r = await runScenario(await loadScenario(join(dir, file)), { transport: 'sim' });
    expect(r.ended.reason, r.ended.detail).toBe('completed');
    checked += recorded.length;
    const altered = recorded.filter((x) => Buffer.compare(x.event.bytes, x.copy) !== 0);
    expect(altered.map((x) => `${x.event.conn} from ${x.event.from}`)).toEqual([]);
  });

  it('looked at the bytes of every scenario (a blackhole or refused one may write none)', () => {
    expect(checked).toBeGreaterThan(10 * files.length);
  });
});
