// Section 1: complete simulated scenarios per second on one core — a fresh SimNetwork, the
// WinRM server, the reference proxy and a client; an NTLM handshake and three encrypted WS-Man
// requests (Create, Command, Receive) through the proxy — and where the time goes.
//
// Per-phase cost without a profiler: each phase's functions are timed on the same inputs one
// scenario feeds them (the HTTP messages of its trace; its SOAP envelopes; its NTLM handshake
// and sealing), and the scheduler (with everything else: endpoints' state machines, the Trace,
// promise glue) is the remainder.

import { createWinrmClient } from '../harness/client/index.ts';
import { NtlmClient } from '../harness/auth/ntlm/client.ts';
import { NtlmServer } from '../harness/auth/ntlm/server.ts';
import { userDb } from '../harness/auth/ntlm/user-db.ts';
import { decryptMessage, encryptMessage } from '../harness/encryption/index.ts';
import { conversations } from '../harness/invariants/conversations.ts';
import { SeededRandom } from '../harness/net/random.ts';
import { SimNetwork } from '../harness/net/sim/sim-network.ts';
import { startProxy } from '../harness/proxy/index.ts';
import { parseScenario, runScenario } from '../harness/scenario/index.ts';
import { startWinrmServer } from '../harness/server/index.ts';
import { MessageParser, serialize } from '../harness/wire/index.ts';
import * as wsman from '../harness/wsman/index.ts';
import { timeFor, type Section } from './table.ts';

export const TARGET_PER_SECOND = 2000;
const WARM_RUNS = 500;
const WARM_MS = 1000;
const USER = { user: 'alice', password: 'Alice-Pw-4711!' };
const ENDPOINT = 'http://127.0.0.1:5985/wsman';

/** One complete scenario; returns its network (for the trace). */
export async function oneScenario(seed: number): Promise<SimNetwork> {
  const net = new SimNetwork({ seed });
  await startWinrmServer(net, { host: '127.0.0.1', httpPort: 5985, users: [USER], random: net.random.fork('server') });
  await startProxy(net, { host: '127.0.0.1', port: 3128 });
  const c = createWinrmClient(net, { endpoint: ENDPOINT, ...USER, winhttp: { proxyServer: '127.0.0.1:3128' }, actor: 'alice#1', random: net.random.fork('alice#1') });
  const work = (async () => {
    const shell = await c.createShell();
    const cmd = await c.command(shell, 'hostname');
    const r = await c.receive(shell, cmd);
    if (!r.done) throw new Error('bench: hostname did not finish in one Receive');
  })();
  await net.runUntilSettled(work, { maxTimeMs: 60_000 });
  await net.shutdown();
  return net;
}

const perRun = (t: { runs: number; elapsedMs: number }) => (t.elapsedMs * 1000) / t.runs; // µs

/** Codec: every HTTP message of the scenario, parsed once and serialized once (as each hop does). */
function codecPhase(net: SimNetwork): () => void {
  const streams = [...conversations(net.trace).values()].map((c) => ({ req: c.raw.fromInitiator, res: c.raw.fromAcceptor }));
  return () => {
    for (const s of streams) {
      const rp = new MessageParser('request');
      const reqs = rp.push(s.req);
      const sp = new MessageParser('response');
      for (const r of reqs) sp.expectResponseTo((r as { method: string }).method);
      const res = sp.push(s.res);
      for (const m of [...reqs, ...res]) serialize(m);
    }
  };
}

interface Envelopes {
  requests: string[];
  responses: string[];
}

/** XML: the three requests built and parsed by the server, the three responses built and parsed by the client. */
function xmlPhase(): { run: () => void; envelopes: Envelopes } {
  const to = ENDPOINT;
  const build = (): Envelopes => {
    const shellId = '4C1A0F3E-6E1B-4F63-9A8C-1D2E3F405162';
    const commandId = '9F2B1C3D-4E5F-4061-8273-849506172839';
    const requests = [
      wsman.createShell({ to, messageId: 'uuid:00000000-0000-4000-8000-000000000001' }),
      wsman.command(shellId, 'hostname', [], { to, messageId: 'uuid:00000000-0000-4000-8000-000000000002' }),
      wsman.receive(shellId, commandId, { to, messageId: 'uuid:00000000-0000-4000-8000-000000000003' }),
    ];
    const h = (n: number) => ({ messageId: `uuid:00000000-0000-4000-9000-00000000000${n}`, relatesTo: `uuid:00000000-0000-4000-8000-00000000000${n}` });
    const responses = [
      wsman.createResponse(h(1), { shellId, address: to }),
      wsman.commandResponse(h(2), commandId),
      wsman.receiveResponse(h(3), { commandId, streams: [{ name: 'stdout', data: Buffer.from('WINRM-SIM\r\n'), end: true }, { name: 'stderr', data: new Uint8Array(0), end: true }], state: 'Done', exitCode: 0 }),
    ];
    return { requests, responses };
  };
  const envelopes = build();
  return {
    envelopes,
    run: () => {
      const e = build();
      for (const x of e.requests) wsman.parseRequest(x);
      for (const x of e.responses) wsman.parseResponse(x);
    },
  };
}

/** Crypto: the NTLM handshake (both sides) and sealing/unsealing of the three requests and responses. */
function cryptoPhase(envelopes: Envelopes): () => void {
  const users = userDb([USER]);
  const enc = new TextEncoder();
  const reqs = envelopes.requests.map((x) => enc.encode(x));
  const ress = envelopes.responses.map((x) => enc.encode(x));
  let n = 0;
  return () => {
    const rnd = new SeededRandom(n++);
    const server = new NtlmServer({ users, random: rnd, nowFiletime: () => 133000000000000000n, computerName: 'WINRM-SIM' });
    const client = new NtlmClient({ ...USER, random: rnd });
    const done = server.acceptAuthenticate(client.authenticate(server.acceptNegotiate(client.negotiate())));
    if (!done.ok) throw new Error('bench: NTLM handshake failed');
    for (let i = 0; i < 3; i++) {
      const q = encryptMessage(client.session, reqs[i]);
      decryptMessage(done.session, q.contentType, q.body);
      const a = encryptMessage(done.session, ress[i]);
      decryptMessage(client.session, a.contentType, a.body);
    }
  };
}

/** The scheduler alone: as many empty events as the scenario ran, through SimNetwork.run. */
function schedulerPhase(events: number): () => Promise<void> {
  return async () => {
    const net = new SimNetwork({ seed: 1 });
    for (let i = 0; i < events; i++) net.clock.setTimeout(() => {}, i);
    await net.run();
  };
}

export async function scenarioRate(opts: { seconds?: number } = {}): Promise<Section & { perSecond: number }> {
  const ms = (opts.seconds ?? 3) * 1000;
  // Steady state: at least 500 runs and 1 s of warm-up, then on until the rate has settled (bench/table.ts);
  // the rate over the warm-up is reported too.
  const whole = await timeFor((i) => oneScenario(i), ms, WARM_RUNS, WARM_MS);
  const perSecond = (whole.runs * 1000) / whole.elapsedMs;
  const totalUs = perRun(whole);

  const sample = await oneScenario(1);
  const codec = codecPhase(sample);
  const xml = xmlPhase();
  const crypto = cryptoPhase(xml.envelopes);
  const phaseMs = Math.max(500, ms / 4);
  const codecUs = perRun(await timeFor(codec, phaseMs, 200, 300));
  const xmlUs = perRun(await timeFor(xml.run, phaseMs, 200, 300));
  const cryptoUs = perRun(await timeFor(crypto, phaseMs, 200, 300));
  const restUs = Math.max(0, totalUs - codecUs - xmlUs - cryptoUs);
  const schedUs = perRun(await timeFor(schedulerPhase(sample.eventsRun), phaseMs, 200, 300));

  const runner = parseScenario(
    'name: bench\nproxy: reference\nclients:\n  - name: alice\n    steps: [create, command hostname, receive]\n',
  );
  const full = await timeFor((i) => runScenario(runner, { seed: i, determinism: false }), Math.max(1000, ms / 3), 100, 500);

  const pct = (us: number) => `${((100 * us) / totalUs).toFixed(0)}%`;
  const us = (x: number) => x.toFixed(0);
  return {
    title: 'Simulated scenarios per second (one core)',
    perSecond,
    rows: [
      ['phase', 'µs / scenario', 'share'],
      ['codec (HTTP parse + serialize, every hop)', us(codecUs), pct(codecUs)],
      ['crypto (NTLM handshake, seal/unseal ×6)', us(cryptoUs), pct(cryptoUs)],
      ['XML (3 requests + 3 responses, build + parse)', us(xmlUs), pct(xmlUs)],
      ['scheduler, endpoints, trace (remainder)', us(restUs), pct(restUs)],
      [`  of which the bare scheduler (${sample.eventsRun} empty events)`, us(schedUs), pct(schedUs)],
      ['total', us(totalUs), '100%'],
    ],
    notes: [
      `scenario: fresh SimNetwork + WinRM server + reference proxy + client; NTLM handshake and 3 encrypted requests (Create, Command, Receive): ${sample.trace.events.length} trace events, ${sample.eventsRun} scheduler events`,
      `CPU: ${((whole.cpuMs * 1000) / whole.runs).toFixed(0)} µs per scenario, every thread of the process (about the wall time once the JIT has settled; more while V8's optimizing compiler still runs beside the main thread)`,
      `rate: ${perSecond.toFixed(0)} scenarios/s (${whole.runs} runs in ${(whole.elapsedMs / 1000).toFixed(1)} s, after a warm-up of ${whole.warmRuns} runs in ${(whole.warmMs / 1000).toFixed(1)} s at ${((whole.warmRuns * 1000) / whole.warmMs).toFixed(0)}/s, ${whole.settled ? 'settled' : 'NOT settled: the JIT was still at work when the warm-up cap ran out'}) — target ≥ ${TARGET_PER_SECOND}/s: ${perSecond >= TARGET_PER_SECOND ? 'MET' : 'NOT MET'}`,
      `through runScenario (validated scenario, 7 invariants, no INV-8 rerun): ${((full.runs * 1000) / full.elapsedMs).toFixed(0)} scenarios/s`,
    ],
  };
}
