// The reference proxy: an HTTP/1.1 forward proxy that does everything the seed and RFC 9110 /
// 9112 ask (absolute-form forwarding, CONNECT to any port, Basic/Digest/Negotiate/NTLM proxy
// authentication, 1:1 client↔server connection affinity), written once against Network and running on sim and tcp.
// Faults (faults/) turn it into a misbehaving one.

import type { Connection, Network } from '../net/types.ts';
import { composeFaults } from './faults/index.ts';
import { UpstreamPool } from './pool.ts';
import { ProxyGate } from './proxy-gate.ts';
import { randomBytes } from 'node:crypto';
import { SeededRandom } from '../net/random.ts';
import type { RandomSource } from '../auth/random.ts';
import { ClientSession } from './session.ts';
import { DEFAULT_TIMEOUTS, type ProxyShared } from './shared.ts';
import type { ProxyOptions, RunningProxy } from './types.ts';

export async function startProxy(net: Network, opts: ProxyOptions): Promise<RunningProxy> {
  const faults = composeFaults(opts.faults ?? []);
  const actor = opts.actor ?? 'proxy';
  if (faults.interceptTls && !opts.identity) {
    throw new Error('tls-intercept needs an identity (opts.identity)');
  }
  const shared: ProxyShared = {
    net,
    actor,
    faults,
    ...(opts.proxyAuth ? { gate: new ProxyGate(opts.proxyAuth, opts.random ?? defaultRandom(net, actor), net.clock) } : {}),
    ...(opts.identity ? { identity: opts.identity } : {}),
    timeouts: { ...DEFAULT_TIMEOUTS, ...stripUndefined(opts.timeouts ?? {}) },
    pool: new UpstreamPool(),
  };
  const sessions = new Set<ClientSession>();
  const listener = await net.listen({ host: opts.host, port: opts.port, actor }, (conn: Connection) => {
    try {
      sessions.add(new ClientSession(shared, conn, (s) => sessions.delete(s)));
    } catch (err) {
      net.trace.note(actor, `cannot serve connection: ${String(err).split('\n')[0]}`, conn.id);
      conn.close();
    }
  });
  if (faults.names.length > 0) net.trace.note(actor, `faults: ${faults.names.join(', ')}`);
  let closed = false;
  return {
    address: listener.address,
    async close() {
      if (closed) return;
      closed = true;
      await listener.close();
      for (const s of [...sessions]) s.close();
      sessions.clear();
      shared.pool.closeAll();
    },
  };
}

/** Deterministic on sim (no Math.random, no wall clock), real randomness on tcp. */
function defaultRandom(net: Network, actor: string): RandomSource {
  if (net.kind !== 'sim') return { bytes: (n) => new Uint8Array(randomBytes(n)) };
  let seed = 0x5eed;
  for (const ch of actor) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  return new SeededRandom(seed);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
