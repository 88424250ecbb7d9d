// The in-memory Network: virtual clock, seeded scheduler, deterministic (same seed and same
// scenario → same Trace, byte for byte). Nothing happens until someone drives it:
//   await sim.runUntilSettled(scenarioPromise, { maxTimeMs })   // usual way
//   await sim.run({ until, maxTimeMs, maxEvents })               // lower level
// Connect = one latency (SYN) after which the listener's onConnection runs and connect()
// resolves, in the same event. Refused = one latency. Blackholed = connect timeout.

import { Trace } from '../trace.ts';
import { addr, type ConnBase } from '../conn-base.ts';
import { SeededRandom } from '../random.ts';
import {
  NetError,
  type ConnectOptions,
  type Connection,
  type Endpoint,
  type ListenOptions,
  type Listener,
  type Network,
  type StartTlsOptions,
  type TlsClientOptions,
  type TlsServerOptions,
  type TimerHandle,
} from '../types.ts';
import { Scheduler, SimClock, type RunOptions, type RunOutcome } from './scheduler.ts';
import { SimEnd, type SimLinkEnv } from './sim-connection.ts';
import { startSimTls } from './simtls.ts';

export interface SimNetworkOptions {
  seed: number;
  /** One-way delay of every delivery, in virtual ms. Default 1. */
  latencyMs?: number;
  /** Keep payload bytes in the Trace (default true). */
  keepBytes?: boolean;
  /**
   * Seeded extra delay per delivery: `true` = 0..latencyMs ms (at least 0..1), a number =
   * 0..that many ms. Order within one direction of a connection is always kept.
   */
  jitter?: boolean | number;
  /**
   * Deliver each write in seeded pieces (write boundaries are not preserved): `true` = pieces
   * of 1..16 bytes, a number = 1..that many bytes. The Trace still has one event per write.
   */
  slice?: boolean | number;
}

/** Thrown by runUntilSettled when the promise did not settle within maxTimeMs of virtual time. */
export class SimTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimTimeoutError';
  }
}

/** Thrown by runUntilSettled when nothing is scheduled any more but the promise is pending. */
export class SimStallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimStallError';
  }
}

/** A listening address; it is also the Listener handed out (a class: no closure per listen). */
class SimListener implements Listener {
  open = true;

  constructor(
    private readonly listeners: Map<string, SimListener>,
    private readonly key: string,
    readonly actor: string,
    readonly address: Endpoint,
    readonly tls: TlsServerOptions | undefined,
    readonly onConnection: (conn: Connection) => void,
  ) {}

  async close(): Promise<void> {
    this.open = false;
    if (this.listeners.get(this.key) === this) this.listeners.delete(this.key);
  }
}

export class SimNetwork implements Network {
  readonly kind = 'sim' as const;
  readonly random: SeededRandom;
  readonly clock: SimClock;
  readonly trace: Trace;
  readonly latencyMs: number;
  private readonly sched = new Scheduler();
  private readonly env: SimLinkEnv;
  /** Forked on first use: a fork depends only on the seed and its label, not on when it is made. */
  private tlsRandom?: SeededRandom;
  private readonly listeners = new Map<string, SimListener>();
  private readonly blackholes = new Set<string>();
  private readonly unreachables = new Set<string>();
  private readonly ends: SimEnd[] = [];
  private nextConn = 1;
  private nextListenPort = 40000;
  private nextEphemeral = 50000;

  constructor(opts: SimNetworkOptions) {
    this.random = new SeededRandom(opts.seed);
    this.clock = new SimClock(this.sched);
    this.trace = new Trace(() => this.sched.now(), opts.keepBytes ?? true);
    this.latencyMs = opts.latencyMs ?? 1;
    const jitterMax =
      opts.jitter === true ? Math.max(1, Math.ceil(this.latencyMs)) : typeof opts.jitter === 'number' ? opts.jitter : 0;
    const sliceMax = opts.slice === true ? 16 : typeof opts.slice === 'number' ? opts.slice : 0;
    // Streams only for what is on (a fork depends on its label alone, so others are unchanged).
    const jitterRandom = jitterMax > 0 ? this.random.fork('net/jitter') : undefined;
    const sliceRandom = sliceMax > 0 ? this.random.fork('net/slice') : undefined;
    this.env = {
      sched: this.sched,
      trace: this.trace,
      latencyMs: this.latencyMs,
      jitter: jitterRandom ? () => jitterRandom.int(0, jitterMax) : () => 0,
      slice:
        sliceRandom
          ? (d) => {
              const parts: Uint8Array[] = [];
              for (let i = 0; i < d.length; ) {
                const n = sliceRandom.int(1, sliceMax);
                parts.push(d.subarray(i, i + n));
                i += n;
              }
              return parts;
            }
          : undefined,
    };
  }

  /** Drives the scheduler: see RunOptions. Resolves with why it stopped. */
  run(opts?: RunOptions): Promise<RunOutcome> {
    return this.sched.run(opts);
  }

  /**
   * Drives events until `p` settles, then returns its value (or throws its error). Throws
   * SimTimeoutError when virtual time would pass now + maxTimeMs (default 600000) first, and
   * SimStallError when no event is left while `p` is still pending (a deadlock).
   */
  async runUntilSettled<T>(p: Promise<T>, opts: { maxTimeMs?: number; maxEvents?: number } = {}): Promise<T> {
    const settled = settledCheck(p);
    const start = this.sched.now();
    const maxTimeMs = opts.maxTimeMs ?? 600_000;
    const outcome = await this.sched.run({ until: settled, maxTimeMs, maxEvents: opts.maxEvents });
    if (!settled()) {
      if (outcome === 'idle') {
        throw new SimStallError(`sim: nothing left to run at t=${this.sched.now()} ms but the promise is still pending`);
      }
      throw new SimTimeoutError(
        outcome === 'time'
          ? `sim: promise not settled within ${maxTimeMs} ms of virtual time (started t=${start}, now t=${this.sched.now()})`
          : `sim: promise not settled within ${opts.maxEvents} events`,
      );
    }
    return p;
  }

  /** Events run so far (for statistics). */
  get eventsRun(): number {
    return this.sched.eventsRun;
  }

  /** Connects to host:port get no answer at all: connect() fails with 'timeout'. */
  blackhole(host: string, port: number): void {
    this.blackholes.add(`${host}:${port}`);
  }

  /** Connects to `host` fail with 'unreachable' after one latency (no route). */
  unreachable(host: string): void {
    this.unreachables.add(host);
  }

  async listen(opts: ListenOptions, onConnection: (conn: Connection) => void): Promise<Listener> {
    const port = opts.port === 0 ? this.nextListenPort++ : opts.port;
    const key = `${opts.host}:${port}`;
    if (this.listeners.get(key)?.open) throw new NetError('refused', `sim: ${key} is already in use`);
    const l = new SimListener(this.listeners, key, opts.actor, { host: opts.host, port }, opts.tls, onConnection);
    this.listeners.set(key, l);
    this.trace.add({ kind: 'listen', actor: opts.actor, addr: key, tls: !!opts.tls });
    return l;
  }

  connect(opts: ConnectOptions): Promise<Connection> {
    return new Promise<Connection>((resolve, reject) => {
      const a = new ConnectAttempt(opts, this.sched.now(), resolve, reject);
      a.timer = this.clock.setTimeout(
        () => this.connectFailed(a, 'timeout', a.client === undefined, `no answer within ${a.timeoutMs} ms`),
        a.timeoutMs,
      );
      if (this.blackholes.has(a.to)) return; // the SYN vanishes; only the timer will answer
      this.sched.at(this.sched.now() + this.latencyMs, () => this.synArrived(a));
    });
  }

  /** The SYN of `a` reached the destination, one latency after connect(). */
  private synArrived(a: ConnectAttempt): void {
    if (a.done) return;
    const { opts } = a;
    if (this.unreachables.has(opts.host)) return this.connectFailed(a, 'unreachable', true, 'no route to host');
    const l = this.listeners.get(a.to) ?? this.listeners.get(`0.0.0.0:${opts.port}`);
    if (!l?.open) return this.connectFailed(a, 'refused', true, 'connection refused');
    const id = `c${this.nextConn++}`;
    const from: Endpoint = { host: '127.0.0.1', port: this.nextEphemeral++ };
    const [c, s] = SimEnd.pair(this.env, id, { addr: from, actor: opts.actor }, { addr: l.address, actor: l.actor });
    a.client = c;
    this.ends.push(c, s);
    this.trace.add({
      kind: 'open',
      conn: id,
      hop: opts.hop,
      initiator: opts.actor,
      acceptor: l.actor,
      from: addr(from),
      to: addr(l.address),
    });
    if (l.tls) {
      startSimTls(s, { role: 'server', identity: l.tls.identity }, this.tlsEnv()).then(
        (t) => l.onConnection(t),
        () => {}, // the handshake failure closed the connection; the client sees it
      );
    } else {
      l.onConnection(s);
    }
    if (!opts.tls) {
      a.done = true;
      this.clock.clearTimeout(a.timer!);
      return a.resolve(c);
    }
    const left = Math.max(0, a.deadline - this.sched.now());
    startSimTls(c, { role: 'client', servername: opts.host, ...opts.tls, timeoutMs: left }, this.tlsEnv()).then(
      (t) => {
        if (a.done) return t.reset();
        a.done = true;
        this.clock.clearTimeout(a.timer!);
        a.resolve(t);
      },
      (err: NetError) => {
        if (a.done) return;
        a.done = true;
        this.clock.clearTimeout(a.timer!);
        a.reject(err);
      },
    );
  }

  private connectFailed(a: ConnectAttempt, code: 'refused' | 'timeout' | 'unreachable', traced: boolean, why: string): void {
    if (a.done) return;
    a.done = true;
    this.clock.clearTimeout(a.timer!);
    if (traced) this.trace.add({ kind: 'refused', hop: a.opts.hop, initiator: a.opts.actor, to: a.to, reason: code });
    a.client?.reset();
    a.reject(new NetError(code, `connect to ${a.to} by ${a.opts.actor}: ${why}`));
  }

  startTls(
    conn: Connection,
    opts: (({ role: 'client' } & TlsClientOptions) | ({ role: 'server' } & TlsServerOptions)) & StartTlsOptions,
  ): Promise<Connection> {
    if (!(conn instanceof SimEnd) && !isSimTls(conn)) {
      return Promise.reject(new Error('SimNetwork.startTls: not a connection of a SimNetwork'));
    }
    return startSimTls(conn as ConnBase, opts, this.tlsEnv());
  }

  async shutdown(): Promise<void> {
    for (const l of this.listeners.values()) l.open = false;
    this.listeners.clear();
    for (const e of this.ends) e.abandon();
    this.sched.stop();
  }

  private tlsEnv() {
    return { trace: this.trace, clock: this.clock, random: (this.tlsRandom ??= this.random.fork('net/simtls')) };
  }
}

/**
 * A check that turns true once `p` has settled. The function is returned, not bound to a name
 * or property: under tsx (keepNames) a named function literal costs a defineProperty per call,
 * and the first of a scenario was measured at ~0.5 % of the bench.
 */
function settledCheck(p: Promise<unknown>): () => boolean {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  return () => settled;
}

/**
 * One connect() in progress: data handed to SimNetwork's methods rather than named closures
 * over locals (see settledCheck).
 */
class ConnectAttempt {
  readonly to: string;
  readonly timeoutMs: number;
  readonly deadline: number;
  done = false;
  client: SimEnd | undefined = undefined;
  timer: TimerHandle | undefined = undefined;

  constructor(
    readonly opts: ConnectOptions,
    now: number,
    readonly resolve: (c: Connection) => void,
    readonly reject: (e: unknown) => void,
  ) {
    this.to = `${opts.host}:${opts.port}`;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.deadline = now + this.timeoutMs;
  }
}

function isSimTls(conn: Connection): boolean {
  return (conn as { tls?: { protocol?: string } }).tls?.protocol === 'simtls';
}
