// runScenario: a scenario on `sim` (virtual time, seeded, deterministic) or `tcp` (loopback
// sockets), bounded in time: a run that does not finish within `boundMs` ends with reason
// 'bound' and its unfinished clients' outcome 'hang' — it never hangs itself. Returns what was
// observed (trace, audit log, client outcomes), the invariants and whether expectations were met.

import { SimNetwork, SimStallError, SimTimeoutError } from '../net/sim/sim-network.ts';
import { SeededRandom } from '../net/random.ts';
import { TcpNetwork } from '../net/tcp/tcp-network.ts';
import type { Network } from '../net/types.ts';
import type { Trace } from '../net/trace.ts';
import type { AuditEntry } from '../server/types.ts';
import type { ClientExchange } from '../client/types.ts';
import { evaluateInvariants, inv8, inv8NotApplicable } from '../invariants/index.ts';
import type { ClientRecord, InvariantContext, InvariantResult } from '../invariants/types.ts';
import { ClientRun, driveAll } from './drive.ts';
import { checkExpectations, type ClientSummary } from './expectations.ts';
import type { NormalizedScenario } from './types.ts';
import { buildWorld, type World } from './world.ts';

export interface RunOptions {
  transport?: 'sim' | 'tcp';
  /** Default: the scenario's seed. */
  seed?: number;
  /** Run a second time and compare traces (INV-8). Default true on sim. */
  determinism?: boolean;
}

export type EndReason = 'completed' | 'bound' | 'stalled' | 'setup-error';

export interface ClientResult extends ClientSummary {
  exchanges: readonly ClientExchange[];
  handshakes: number;
}

export interface ScenarioResult {
  scenario: NormalizedScenario;
  transport: 'sim' | 'tcp';
  seed: number;
  trace: Trace;
  audit: readonly AuditEntry[];
  clients: ClientResult[];
  invariants: InvariantResult[];
  ended: { reason: EndReason; detail: string; atMs: number };
  /** Expectations not met, in plain words; empty when the scenario passed. */
  failures: string[];
  passed: boolean;
}

interface OneRun {
  net: Network;
  world?: World;
  runs: ClientRun[];
  ended: ScenarioResult['ended'];
}

async function runOnce(s: NormalizedScenario, transport: 'sim' | 'tcp', seed: number): Promise<OneRun> {
  const net: Network = transport === 'sim' ? new SimNetwork({ seed }) : new TcpNetwork();
  const started = net.clock.now();
  let world: World | undefined;
  try {
    world = await buildWorld(net, s, new SeededRandom(seed));
  } catch (e) {
    await net.shutdown();
    return { net, runs: [], ended: { reason: 'setup-error', detail: (e as Error).message.split('\n')[0], atMs: 0 } };
  }
  const runs = world.clients.map((inst) => new ClientRun(inst, net.clock));
  const main = driveAll(runs, { concurrent: s.concurrent, ...(s.order ? { order: s.order } : {}) });
  let ended: ScenarioResult['ended'];
  try {
    if (net instanceof SimNetwork) {
      await net.runUntilSettled(main, { maxTimeMs: s.boundMs });
    } else {
      await boundedReal(main, s.boundMs);
    }
    ended = { reason: 'completed', detail: 'every client finished its steps or stopped at an error', atMs: Math.round(net.clock.now() - started) };
  } catch (e) {
    const reason: EndReason = e instanceof SimStallError ? 'stalled' : 'bound';
    const waiting = runs.filter((r) => !r.finished);
    for (const r of waiting) {
      r.outcome = 'hang';
      r.error = `still at ${r.current} when the run ended (${reason === 'bound' ? `bound of ${s.boundMs} ms` : 'nothing left to run'})`;
    }
    const detail =
      e instanceof SimTimeoutError || e instanceof BoundError || e instanceof SimStallError
        ? `${reason === 'bound' ? `not finished within ${s.boundMs} ms` : 'deadlock: nothing scheduled'}; waiting: ${waiting.map((r) => `${r.inst.actor} at ${r.current}`).join(', ') || 'none'}`
        : `runner error: ${(e as Error).message}`;
    ended = { reason, detail, atMs: Math.round(net.clock.now() - started) };
  }
  try {
    await world.close();
  } finally {
    await net.shutdown();
  }
  return { net, world, runs, ended };
}

class BoundError extends Error {}

async function boundedReal(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new BoundError(`bound of ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function via(trace: Trace, actor: string, proxyActors: string[]): ClientSummary['via'] {
  const opens = trace.connections().filter((o) => o.initiator === actor);
  if (opens.length === 0) return 'none';
  return opens.some((o) => proxyActors.includes(o.acceptor)) ? 'proxy' : 'direct';
}

function plannedCommands(r: ClientRun): number {
  return r.inst.spec.steps.filter((st) => st.op === 'command' || st.op === 'run').length;
}

export async function runScenario(s: NormalizedScenario, opts: RunOptions = {}): Promise<ScenarioResult> {
  const transport = opts.transport ?? 'sim';
  const seed = opts.seed ?? s.seed;
  const one = await runOnce(s, transport, seed);
  const trace = one.net.trace;
  const audit = one.world ? one.world.server.audit.entries : [];
  const proxyActors = one.world?.proxyActors ?? [];
  const records: ClientRecord[] = one.runs.map((r) => ({
    actor: r.inst.actor,
    group: r.inst.spec.name,
    auth: r.inst.spec.auth,
    ...(r.inst.spec.auth !== 'none' ? { user: r.inst.spec.user } : {}),
    credentials: r.inst.spec.credentials,
    transport: r.inst.spec.transport,
    encryption: r.inst.spec.encryption,
    outcome: r.outcome ?? 'hang',
    ...(r.error ? { error: r.error } : {}),
    exchanges: r.inst.client?.exchanges ?? [],
    handshakes: r.inst.client?.handshakes ?? 0,
    plannedCommands: plannedCommands(r),
  }));
  const ctx: InvariantContext = {
    trace,
    audit,
    clients: records,
    secrets: one.world?.secrets ?? { destination: [], proxy: [] },
    policy: { allowUnencrypted: s.server.allowUnencrypted, serverAuth: s.server.auth, serverActor: 'server', proxyActors },
  };
  const invariants = one.ended.reason === 'setup-error' ? [] : evaluateInvariants(ctx);
  if (one.ended.reason !== 'setup-error') {
    if (transport === 'sim' && opts.determinism !== false) {
      const again = await runOnce(s, transport, seed);
      invariants.push(inv8(trace, again.net.trace));
    } else {
      invariants.push(inv8NotApplicable(transport === 'tcp' ? 'real sockets are not replayable' : 'determinism check turned off'));
    }
  }
  const clients: ClientResult[] = records.map((r) => ({
    actor: r.actor,
    group: r.group,
    outcome: r.outcome,
    ...(r.error ? { error: r.error } : {}),
    via: via(trace, r.actor, proxyActors),
    exchanges: r.exchanges,
    handshakes: r.handshakes,
  }));
  const failures =
    one.ended.reason === 'setup-error' ? [`the scenario could not be set up: ${one.ended.detail}`] : checkExpectations(s, invariants, clients);
  return { scenario: s, transport, seed, trace, audit, clients, invariants, ended: one.ended, failures, passed: failures.length === 0 };
}
