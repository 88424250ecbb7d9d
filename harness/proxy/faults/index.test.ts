import { describe, expect, it } from 'vitest';
import { composeFaults, faults, listFaults } from './index.ts';

const CATALOGUE = [
  'close-after-2xx', 'close-after-401', 'new-upstream-per-request', 'pooled-upstream', 'pool-after-auth',
  'idle-reconnect', 'http10', 'strip-www-authenticate', 'forward-proxy-authorization', 'mangle-encrypted-body',
  'connect-refused', 'connect-443-only', 'tls-intercept', 'short-timeout', 'reset-mid-response', 'sniff',
  'slicer', 'rechunk', 'latency', 'header-case',
];

describe('fault catalogue', () => {
  it('holds every fault and control of REQUIREMENTS.md §3, each described and classified', () => {
    const names = listFaults().map((f) => f.name);
    for (const n of CATALOGUE) expect(names).toContain(n);
    for (const f of listFaults()) {
      expect(faults[f.name]).toBe(f);
      expect(f.description.length).toBeGreaterThan(10);
      if (f.kind === 'fault') expect(f.caughtBy.length).toBeGreaterThan(0);
      else expect(f.caughtBy).toEqual([]);
    }
    expect(['slicer', 'rechunk', 'latency', 'header-case'].map((n) => faults[n].kind)).toEqual(['control', 'control', 'control', 'control']);
  });

  it('rejects an unknown name with one line naming it and the known ones', () => {
    let msg = '';
    try {
      composeFaults(['slicer', 'no-such-fault']);
    } catch (err) {
      msg = (err as Error).message;
    }
    expect(msg).toMatch(/^unknown fault 'no-such-fault' \(known: .*pooled-upstream.*\)$/);
    expect(msg).not.toContain('\n');
  });

  it('composes: policies from the last that sets one, relay hooks chained', () => {
    const c = composeFaults(['pooled-upstream', 'slicer', 'latency']);
    expect(c.upstreamPolicy).toBe('pool');
    expect(composeFaults([]).upstreamPolicy).toBe('per-client');
    // slicer cuts 5 bytes into 1+3+1, then latency delays each piece.
    const steps = c.relay(new Uint8Array(5), {} as never);
    expect(steps.map((s) => ('delayMs' in s ? 'd' : 'bytes' in s ? s.bytes.length : 'r'))).toEqual(['d', 1, 'd', 3, 'd', 1]);
  });
});
