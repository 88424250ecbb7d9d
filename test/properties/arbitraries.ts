// Generators for the property suites: clients (count, interleaving, pauses, credentials right
// or wrong, encryption on or off, an unauthenticated rider), server policies, proxies (random
// compositions of controls, or of a fault with controls) and seeds — all as `Scenario` data, so
// that a counterexample shrinks to a scenario `formatScenario` prints and `runScenario` replays.

import fc from 'fast-check';
import { formatScenario, runScenario, validateScenario, type RunOptions, type Scenario, type ScenarioClient, type ScenarioResult } from '../../harness/scenario/index.ts';

export const CONTROLS = ['slicer', 'rechunk', 'latency', 'header-case', 'sniff'] as const;

const command = fc.constantFrom('hostname', 'whoami', 'echo hello world', 'exit 3', 'gen 3000');
const pause = fc.integer({ min: 0, max: 4000 });

/** One block of steps: an Identify, a pause, a run, or a whole shell session. */
const block = fc.oneof(
  fc.constant(['identify']),
  pause.map((ms) => [`pause ${ms}`]),
  command.map((c) => [`run ${c}`]),
  fc.tuple(command, fc.boolean(), pause).map(([c, signal, ms]) => ['create', `command ${c}`, `pause ${ms}`, 'receive', ...(signal ? ['signal'] : []), 'delete']),
);
export const steps = fc.array(block, { minLength: 1, maxLength: 3 }).map((bs) => bs.flat());

const authenticated = (name: string) =>
  fc
    .record({
      count: fc.integer({ min: 1, max: 2 }),
      user: fc.constantFrom('alice', 'bob'),
      auth: fc.constantFrom('negotiate', 'negotiate', 'negotiate', 'basic'),
      credentials: fc.constantFrom('right', 'right', 'right', 'wrong'),
      encryption: fc.constantFrom('always', 'always', 'always', 'never'),
      transport: fc.constantFrom('http', 'http', 'https'),
      steps,
    })
    .map((c): ScenarioClient => ({
      name,
      count: c.count,
      user: c.user,
      auth: c.auth as 'negotiate' | 'basic',
      credentials: c.credentials as 'right' | 'wrong',
      ...(c.auth === 'negotiate' ? { encryption: c.encryption as 'always' | 'never' } : {}),
      transport: c.transport as 'http' | 'https',
      steps: c.steps,
    }));

const rider = fc.tuple(pause, fc.constantFrom(['create'], ['identify'], ['run hostname'])).map(([ms, s]): ScenarioClient => ({ name: 'rider', auth: 'none', steps: [`pause ${ms}`, ...s] }));

/** 1–4 client instances, maybe a rider among them. */
export const clients = fc
  .tuple(fc.array(fc.constantFrom('alice', 'bob', 'carol'), { minLength: 1, maxLength: 3 }), fc.option(rider, { nil: undefined }))
  .chain(([names, r]) => fc.tuple(...[...new Set(names)].map((n) => authenticated(`c-${n}`))).map((cs) => [...cs, ...(r ? [r] : [])]))
  .map((cs) => {
    let budget = 4;
    const out: ScenarioClient[] = [];
    for (const c of cs) {
      const n = Math.min(c.count ?? 1, budget);
      if (n <= 0) break;
      out.push({ ...c, count: n });
      budget -= n;
    }
    return out;
  });

export const server = fc.record({
  allowUnencrypted: fc.boolean(),
  auth: fc.constantFrom<Array<'negotiate' | 'basic'>>(['negotiate'], ['negotiate', 'basic']),
});

/** Sequential, concurrent, or an explicit step interleaving. */
export function withSchedule(cs: ScenarioClient[]): fc.Arbitrary<Pick<Scenario, 'concurrent' | 'order'>> {
  const instances = cs.flatMap((c) => Array.from({ length: c.count ?? 1 }, (_, k) => ({ ref: `${c.name}#${k + 1}`, n: c.steps.length })));
  return fc.oneof(
    fc.boolean().map((concurrent) => ({ concurrent })),
    fc.array(fc.nat({ max: instances.length - 1 }), { maxLength: 12 }).map((picks) => {
      const used = new Map<string, number>();
      const order: string[] = [];
      for (const i of picks) {
        const { ref, n } = instances[i];
        if ((used.get(ref) ?? 0) < n) {
          used.set(ref, (used.get(ref) ?? 0) + 1);
          order.push(ref);
        }
      }
      return order.length ? { order } : { concurrent: true };
    }),
  );
}

export const seed = fc.integer({ min: 0, max: 0xffffffff });

/** A scenario through the given proxy with generated clients, policy and schedule. */
export function scenarioWith(proxy: fc.Arbitrary<Scenario['proxy']>, name: string): fc.Arbitrary<Scenario> {
  return fc
    .tuple(clients, server, proxy)
    .chain(([cs, srv, p]) => withSchedule(cs).map((sched): Scenario => ({ name, server: srv, proxy: p, clients: cs, ...sched })));
}

/** Runs a generated scenario; a scenario that does not validate is a generator bug. */
export async function runGenerated(s: Scenario, opts: RunOptions): Promise<ScenarioResult> {
  const v = validateScenario(s);
  if (!v.ok) throw new Error(`generated scenario does not validate: ${v.errors.join('; ')}\n${formatScenario(s)}`);
  return runScenario(v.scenario, { determinism: false, ...opts });
}

/** The failure message a property gives: the scenario as YAML, its seed, and what went wrong. */
export function counterexample(s: Scenario, seedValue: number, what: string[]): Error {
  return new Error(`${what.join('\n')}\n--- replay: save as scenarios/x.yaml and run \`wpc run scenarios/x.yaml --seed ${seedValue}\`\n${formatScenario(s)}`);
}

export const describeInvariants = (r: ScenarioResult, ids?: string[]) =>
  r.invariants.filter((i) => !i.holds && (!ids || ids.includes(i.id))).map((i) => `${i.id} violated: ${i.explanation}`);
