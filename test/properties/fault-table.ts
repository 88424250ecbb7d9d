// Fault → the property that catches it (REQUIREMENTS.md §3, "caught by"), with a scenario
// template that exercises the fault. Parameters (pauses, counts, seeds, extra controls composed
// with the fault) are generated; the fault must be caught for every one of them.

import type { Scenario } from '../../harness/scenario/index.ts';
import type { ScenarioResult } from '../../harness/scenario/index.ts';

export interface FaultParams {
  /** A pause long enough for idle timers and other clients to act (1500..4000 ms). */
  long: number;
  /** A short pause (200..900 ms). */
  short: number;
  /** Instances of the main client (1..2). */
  n: number;
  allowUnencrypted: boolean;
  /** A size in bytes for large responses (70 KB..300 KB) and a slow command (3..8 s). */
  big: number;
  slow: number;
}

export interface FaultCase {
  fault: string;
  /** What catches it, in words (printed on failure). */
  by: string;
  scenario(p: FaultParams): Omit<Scenario, 'name' | 'proxy'> & { proxyAuth?: boolean };
  caught(r: ScenarioResult, p: FaultParams): boolean;
}

const violated = (r: ScenarioResult, id: string) => r.invariants.some((i) => i.id === id && !i.holds);
const session = ['create', 'command hostname', 'receive', 'delete'];

export const FAULT_TABLE: FaultCase[] = [
  { fault: 'close-after-2xx', by: 'INV-5', scenario: (p) => ({ clients: [{ name: 'alice', count: p.n, steps: session }] }), caught: (r) => violated(r, 'INV-5') },
  { fault: 'close-after-401', by: 'INV-5', scenario: (p) => ({ clients: [{ name: 'alice', count: p.n, steps: session }] }), caught: (r) => violated(r, 'INV-5') },
  {
    fault: 'new-upstream-per-request',
    by: 'INV-5 (access denied)',
    scenario: (p) => ({ clients: [{ name: 'alice', count: p.n, steps: session }] }),
    caught: (r) => violated(r, 'INV-5') && r.clients.every((c) => c.outcome === 'access-denied'),
  },
  {
    fault: 'pooled-upstream',
    // The leak itself needs the rider to find alice's connection idle; when a control's delay
    // makes them miss each other, the shared pool still breaks alice's session (INV-5).
    by: 'INV-1 (the leak, with AllowUnencrypted) or INV-5',
    scenario: (p) => ({
      server: { allowUnencrypted: p.allowUnencrypted },
      clients: [
        { name: 'alice', count: p.n, steps: ['create', `pause ${p.long}`, 'command hostname', 'receive', 'delete'] },
        { name: 'rider', auth: 'none', steps: [`pause ${p.short}`, 'create'] },
      ],
    }),
    caught: (r, p) =>
      p.allowUnencrypted ? violated(r, 'INV-1') || violated(r, 'INV-5') : violated(r, 'INV-5') && r.clients.find((c) => c.group === 'rider')!.outcome === 'access-denied',
  },
  {
    fault: 'pool-after-auth',
    by: 'INV-5',
    scenario: (p) => ({
      clients: [
        { name: 'alice', steps: ['create', 'command hostname', 'receive', `pause ${p.long}`, 'signal', 'delete'] },
        { name: 'bob', user: 'bob', steps: [`pause ${p.short}`, 'run whoami'] },
      ],
    }),
    caught: (r) => violated(r, 'INV-5'),
  },
  {
    fault: 'idle-reconnect',
    by: 'INV-5',
    scenario: (p) => ({ clients: [{ name: 'alice', count: p.n, steps: ['create', `pause ${p.long}`, 'command hostname', 'receive', 'delete'] }] }),
    caught: (r) => violated(r, 'INV-5'),
  },
  { fault: 'http10', by: 'INV-5', scenario: (p) => ({ clients: [{ name: 'alice', count: p.n, steps: session }] }), caught: (r) => violated(r, 'INV-5') },
  { fault: 'strip-www-authenticate', by: 'INV-5', scenario: (p) => ({ clients: [{ name: 'alice', count: p.n, steps: session }] }), caught: (r) => violated(r, 'INV-5') },
  {
    fault: 'forward-proxy-authorization',
    by: 'INV-4',
    scenario: (p) => ({
      proxyAuth: true,
      clients: [{ name: 'alice', count: p.n, proxy: { auth: { user: 'proxyuser', password: 'Proxy-Pw-2468' } }, steps: session }],
    }),
    caught: (r) => violated(r, 'INV-4'),
  },
  { fault: 'mangle-encrypted-body', by: 'INV-5', scenario: (p) => ({ clients: [{ name: 'alice', count: p.n, steps: session }] }), caught: (r) => violated(r, 'INV-5') },
  {
    fault: 'connect-refused',
    by: 'INV-5 (network error)',
    scenario: (p) => ({ clients: [{ name: 'alice', count: p.n, transport: 'https', steps: ['identify'] }] }),
    caught: (r) => violated(r, 'INV-5') && r.clients.every((c) => c.outcome === 'network'),
  },
  {
    fault: 'connect-443-only',
    by: 'INV-5 (network error)',
    scenario: (p) => ({ clients: [{ name: 'alice', count: p.n, transport: 'https', steps: ['identify'] }] }),
    caught: (r) => violated(r, 'INV-5') && r.clients.every((c) => c.outcome === 'network'),
  },
  {
    fault: 'tls-intercept',
    by: 'INV-5 (TLS error: the pinned certificate)',
    scenario: (p) => ({ clients: [{ name: 'alice', count: p.n, transport: 'https', steps: session }] }),
    caught: (r) => violated(r, 'INV-5') && r.clients.every((c) => c.outcome === 'tls'),
  },
  {
    fault: 'short-timeout',
    by: 'INV-5',
    scenario: (p) => ({ clients: [{ name: 'alice', count: p.n, steps: ['create', `command sleep ${p.slow}`, 'receive', 'delete'] }] }),
    caught: (r) => violated(r, 'INV-5'),
  },
  {
    fault: 'reset-mid-response',
    by: 'INV-5',
    scenario: (p) => ({ clients: [{ name: 'alice', count: p.n, steps: ['create', `command gen ${p.big}`, 'receive', 'delete'] }] }),
    caught: (r) => violated(r, 'INV-5'),
  },
];
