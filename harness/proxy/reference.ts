// The reference proxy: an HTTP/1.1 forward proxy that does everything the seed and RFC 9110 /
// 9112 ask (absolute-form forwarding, CONNECT to any port, Basic/Digest/Negotiate/NTLM proxy
// authentication, 1:1 client↔server connection affinity), written once against Network and running on sim and tcp.
// Faults (faults/) turn it into a misbehaving one.

import type { Connection, Endpoint, Listener, Network } from '../net/types.ts';
import { composeFaults } from './faults/index.ts';
import { UpstreamPool } from './pool.ts';
import { ProxyGate } from './proxy-gate.ts';
import { randomBytes } from 'node:crypto';
import { SeededRandom } from '../net/random.ts';
import type { RandomSource } from '../auth/random.ts';
import { ClientSession } from './session.ts';
import { DEFAULT_TIMEOUTS, type ProxyShared } from './shared.ts';
import type { ProxyOptions, RunningProxy } from './types.ts';

// What a proxy without faults composes to: stateless, so built once (proxies start once per scenario).
const NO_FAULTS = composeFaults([]);

export async function startProxy(net: Network, opts: ProxyOptions): Promise<RunningProxy> {
  const faults = opts.faults === undefined || opts.faults.length === 0 ? NO_FAULTS : composeFaults(opts.faults);
  const actor = opts.actor ?? 'proxy';
  if (faults.interceptTls && !opts.identity) {
    throw new Error('tls-intercept needs an identity (opts.identity)');
  }
  // Optional fields written as undefined, not spread in: conditional spreads make fresh hidden
  // classes on every start (readers test them against undefined).
  const shared: ProxyShared = {
    net,
    actor,
    faults,
    gate: opts.proxyAuth ? new ProxyGate(opts.proxyAuth, opts.random ?? defaultRandom(net, actor), net.clock) : undefined,
    identity: opts.identity,
    timeouts: opts.timeouts === undefined ? DEFAULT_TIMEOUTS : { ...DEFAULT_TIMEOUTS, ...stripUndefined(opts.timeouts) },
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
  return new ReferenceProxy(listener.address, listener, sessions, shared.pool);
}

/** What startProxy returns (a class: one hidden class for every proxy, no closure per start). */
class ReferenceProxy implements RunningProxy {
  private closed = false;

  constructor(
    readonly address: Endpoint,
    private readonly listener: Listener,
    private readonly sessions: Set<ClientSession>,
    private readonly pool: UpstreamPool,
  ) {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener.close();
    for (const s of [...this.sessions]) s.close();
    this.sessions.clear();
    this.pool.closeAll();
  }
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
