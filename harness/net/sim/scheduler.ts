// The simulated network's event queue and virtual clock. Events run in (virtual time,
// insertion sequence) order, so the same inputs always give the same interleaving. Between
// two events every pending promise continuation is allowed to run: a process.nextTick
// callback queued after an event runs only once the microtask queue is drained (Node runs
// ticks between microtask checkpoints), and reads no clock. Simulated endpoints use promises
// and the SimClock only, never macrotasks, so that is a full settle. Every YIELD_EVERY events
// the loop takes one setImmediate turn instead, so that real timers (the wall-clock bounds of
// scenario runs and certify cases) and I/O still get their turn during a long simulation.
// Measured: a setImmediate turn per event cost ~1.3 µs plus the event loop's poll, ~100 µs
// of a ~1.3 ms bench scenario (22 events) on this 2-core VM, and far more under load.

import type { Clock, TimerHandle } from '../types.ts';

/**
 * One scheduled call, `fn(arg)` at `time`: a function and its argument rather than a closure per
 * event (deliveries and timers are most of a scenario's events). It is also the TimerHandle of a
 * SimClock timer: its id is its sequence number, unique per scheduler.
 */
class SimEvent implements TimerHandle {
  cancelled = false;

  constructor(
    readonly time: number,
    /** Insertion sequence: orders events of the same time. */
    readonly id: number,
    readonly fn: (arg: any) => void,
    readonly arg: unknown,
  ) {}
}

function before(x: SimEvent, y: SimEvent): boolean {
  return x.time < y.time || (x.time === y.time && x.id < y.id);
}

/** Swaps two items in place (a destructuring swap allocates a temporary array per step). */
function swap(a: SimEvent[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** A binary min-heap of events. */
class EventHeap {
  private items: SimEvent[] = [];

  get size(): number {
    return this.items.length;
  }

  push(e: SimEvent): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      swap(a, i, p);
      i = p;
    }
  }

  peek(): SimEvent | undefined {
    return this.items[0];
  }

  pop(): SimEvent | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        swap(a, i, m);
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.items = [];
  }
}

export interface RunOptions {
  /** Stop (resolve) as soon as this returns true; checked after every settled event. */
  until?: () => boolean;
  /** Stop before running an event later than now + maxTimeMs (virtual). */
  maxTimeMs?: number;
  /** Stop after this many events. */
  maxEvents?: number;
}

export type RunOutcome = 'until' | 'idle' | 'time' | 'events';

const YIELD_EVERY = 64;
const RESOLVED = Promise.resolve();

/**
 * The state of one run(). The run is a loop driven by callbacks rather than an async function:
 * each turn waits for a process.nextTick (every YIELD_EVERY turns a setImmediate) and then takes
 * its step in a microtask, exactly where `await new Promise((r) => process.nextTick(r))` resumed,
 * so the interleaving with endpoint code is unchanged. That saves a promise, its two resolvers,
 * a closure and the async function's suspension per event (~45 of a scenario's ~190 promises).
 */
class RunLoop {
  turn = 0;
  n = 0;
  readonly deadline: number;
  readonly maxEvents: number;
  /** Scheduler.step for this run, made once (RESOLVED.then needs a function). */
  readonly step: () => void;
  /** stepInMicrotask for this run, made once: nextTick/setImmediate without an argument list per turn. */
  readonly tick: () => void;

  constructor(
    sched: Scheduler,
    readonly opts: RunOptions,
    readonly resolve: (o: RunOutcome) => void,
    readonly reject: (e: unknown) => void,
  ) {
    this.deadline = sched.now() + (opts.maxTimeMs ?? Infinity);
    this.maxEvents = opts.maxEvents ?? Infinity;
    this.step = sched.step.bind(sched, this);
    this.tick = stepInMicrotask.bind(undefined, this);
  }

  /** Waits for the next turn: its step runs once the microtask queue has drained. */
  next(): void {
    this.turn++;
    if (this.turn % YIELD_EVERY === 0) setImmediate(this.tick);
    else process.nextTick(this.tick);
  }
}

function stepInMicrotask(loop: RunLoop): void {
  void RESOLVED.then(loop.step);
}

export class Scheduler {
  private heap = new EventHeap();
  private seq = 0;
  private t = 0;
  private running = false;
  private stopped = false;
  /** Events run so far, for statistics. */
  eventsRun = 0;

  now(): number {
    return this.t;
  }

  /** Runs `fn(arg)` at virtual time `time` (never earlier than now). */
  at<T>(time: number, fn: (arg: T) => void, arg: T): SimEvent;
  at(time: number, fn: () => void): SimEvent;
  at(time: number, fn: (arg: unknown) => void, arg?: unknown): SimEvent {
    const e = new SimEvent(Math.max(time, this.t), this.seq++, fn, arg);
    if (!this.stopped) this.heap.push(e);
    return e;
  }

  get pending(): number {
    return this.heap.size;
  }

  /** Drops every pending event; later `at` calls are ignored (network shut down). */
  stop(): void {
    this.stopped = true;
    this.heap.clear();
  }

  /** Runs events, each after every pending promise continuation has run (see above), until `opts` says stop. */
  run(opts: RunOptions = {}): Promise<RunOutcome> {
    if (this.running) return Promise.reject(new Error('sim: run() is already driving this network'));
    this.running = true;
    return new Promise<RunOutcome>((resolve, reject) => new RunLoop(this, opts, resolve, reject).next());
  }

  /** @internal One turn of `loop`: at most one event, then the next turn or the run's end. */
  step(loop: RunLoop): void {
    let outcome: RunOutcome | undefined;
    try {
      outcome = this.turn(loop);
    } catch (err) {
      this.running = false;
      loop.reject(err);
      return;
    }
    if (outcome === undefined) return loop.next();
    this.running = false;
    loop.resolve(outcome);
  }

  private turn(loop: RunLoop): RunOutcome | undefined {
    if (loop.opts.until?.()) return 'until';
    const e = this.heap.peek();
    if (!e) return 'idle';
    if (e.time > loop.deadline) {
      this.t = loop.deadline;
      return 'time';
    }
    if (loop.n >= loop.maxEvents) return 'events';
    this.heap.pop();
    if (e.cancelled) return undefined;
    this.t = e.time;
    loop.n++;
    this.eventsRun++;
    e.fn(e.arg);
    return undefined;
  }
}

/** Clock on virtual time: timers are scheduler events, and their handles are those events. */
export class SimClock implements Clock {
  constructor(private readonly sched: Scheduler) {}

  now(): number {
    return this.sched.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.sched.at(this.sched.now() + Math.max(0, ms), fn);
  }

  /** Cancels the timer; a no-op once it ran (or for a handle not from a SimClock). */
  clearTimeout(handle: TimerHandle): void {
    if (handle instanceof SimEvent) handle.cancelled = true;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }
}
