// Schema validation (schema.json, via ajv) plus the checks a schema cannot express (names that
// must exist, step order, fault names), then defaults filled in: a NormalizedScenario.
// Errors are one line each: where (a JSON pointer) and what is wrong.

import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { faults as faultCatalogue } from '../proxy/faults/index.ts';
import { parseStep, stepOrderProblem } from './steps.ts';
import {
  DEFAULT_BOUND_MS,
  DEFAULT_SEED,
  DEFAULT_USERS,
  INVARIANT_IDS,
  type ClientExpectation,
  type InvariantId,
  type NormalizedClient,
  type NormalizedProxy,
  type NormalizedScenario,
  type OutcomeExpectation,
  type Scenario,
  type ScenarioClient,
} from './types.ts';

export class ScenarioError extends Error {
  constructor(
    readonly errors: string[],
    readonly file?: string,
  ) {
    super(`${file ? file + ': ' : ''}${errors[0] ?? 'invalid scenario'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`);
    this.name = 'ScenarioError';
  }
}

let compiled: ValidateFunction | undefined;

export function scenarioSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(scenarioSchema());
  return compiled;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || '/';
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `${where}: unexpected property '${String(p.additionalProperty)}'`;
  if (e.keyword === 'enum') return `${where}: must be one of ${(p.allowedValues as unknown[]).join(', ')}`;
  if (e.keyword === 'const') return `${where}: must be ${JSON.stringify(p.allowedValue)}`;
  if (e.keyword === 'pattern' && /\/steps\/\d+$/.test(where)) {
    return `${where}: not a step (identify, create, command <cmdline>, receive, signal, delete, run <cmdline>, pause <ms>)`;
  }
  return `${where}: ${e.message ?? e.keyword}`;
}

/** oneOf failures repeat every branch's complaint; keep the most specific ones. */
function schemaErrors(errs: ErrorObject[]): string[] {
  const specific = errs.filter((e) => e.keyword !== 'oneOf');
  const lines = (specific.length ? specific : errs).map(describe);
  return [...new Set(lines)];
}

export type ValidationResult = { ok: true; scenario: NormalizedScenario } | { ok: false; errors: string[] };

export function validateScenario(x: unknown): ValidationResult {
  const validate = validator();
  if (!validate(x)) return { ok: false, errors: schemaErrors(validate.errors ?? []) };
  const s = x as Scenario;
  const errors: string[] = [];
  const users = s.server?.users ?? DEFAULT_USERS.map((u) => ({ ...u }));

  const names = new Set<string>();
  const instances = new Map<string, number>(); // instance → steps
  const clients: NormalizedClient[] = [];
  for (const [i, c] of s.clients.entries()) {
    const where = `/clients/${i}`;
    if (names.has(c.name)) errors.push(`${where}/name: client name '${c.name}' is used twice`);
    names.add(c.name);
    const n = normalizeClient(c, users[0].user, where, errors);
    if (!users.some((u) => u.user === n.user)) {
      errors.push(`${where}/user: '${n.user}' is not a server user (${users.map((u) => u.user).join(', ')})`);
    }
    for (let k = 1; k <= n.count; k++) instances.set(`${n.name}#${k}`, n.steps.length);
    clients.push(n);
  }

  const proxy = normalizeProxy(s, errors);
  const hasProxy = proxy.kind !== 'none';
  for (const [i, c] of clients.entries()) {
    if (c.auth === 'none' && c.transport !== 'http') errors.push(`/clients/${i}/transport: an unauthenticated client (auth: none) speaks plain HTTP only`);
    if (!hasProxy && typeof c.proxy === 'object' && (c.proxy.auth || c.proxy.winhttp?.proxyServer?.includes('{proxy}'))) {
      errors.push(`/clients/${i}/proxy: refers to the scenario's proxy, but the scenario has proxy: none`);
    }
  }

  const resolveRef = (ref: string): string | undefined => (ref.includes('#') ? ref : `${ref}#1`);
  if (s.order) {
    const used = new Map<string, number>();
    for (const [i, ref] of s.order.entries()) {
      const inst = resolveRef(ref)!;
      if (!instances.has(inst)) {
        errors.push(`/order/${i}: no client instance '${ref}' (${[...instances.keys()].join(', ')})`);
        continue;
      }
      used.set(inst, (used.get(inst) ?? 0) + 1);
      if (used.get(inst)! > instances.get(inst)!) errors.push(`/order/${i}: '${ref}' has only ${instances.get(inst)} steps`);
    }
    if (s.concurrent === true) errors.push(`/order: an explicit order runs steps one at a time; drop 'concurrent: true'`);
  }

  const hold: InvariantId[] = s.expect?.hold === undefined || s.expect.hold === 'all' ? [...INVARIANT_IDS] : [...s.expect.hold];
  const violated = [...(s.expect?.violated ?? [])];
  const explicitHold = Array.isArray(s.expect?.hold) ? s.expect.hold : [];
  for (const v of violated) if (explicitHold.includes(v)) errors.push(`/expect: ${v} cannot both hold and be violated`);
  const expectClients: Record<string, ClientExpectation> = {};
  for (const [ref, e] of Object.entries(s.expect?.clients ?? {})) {
    const known = ref.includes('#') ? instances.has(ref) : names.has(ref);
    if (!known) errors.push(`/expect/clients/${ref}: no client or instance named '${ref}'`);
    expectClients[ref] = isOutcomeExpectation(e) ? { outcome: e } : e;
  }

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    scenario: {
      name: s.name,
      ...(s.description !== undefined ? { description: s.description } : {}),
      seed: s.seed ?? DEFAULT_SEED,
      boundMs: s.boundMs ?? DEFAULT_BOUND_MS,
      transports: s.transports ?? ['sim', 'tcp'],
      server: {
        allowUnencrypted: s.server?.allowUnencrypted ?? false,
        auth: s.server?.auth ?? ['negotiate'],
        users,
      },
      proxy,
      clients,
      concurrent: s.order ? false : (s.concurrent ?? true),
      ...(s.order ? { order: s.order.map((r) => resolveRef(r)!) } : {}),
      expect: { hold: hold.filter((h) => !violated.includes(h)), violated, clients: expectClients },
      source: s,
    },
  };
}

function isOutcomeExpectation(e: OutcomeExpectation | ClientExpectation): e is OutcomeExpectation {
  return typeof e === 'string' || Array.isArray(e);
}

function normalizeClient(c: ScenarioClient, firstUser: string, where: string, errors: string[]): NormalizedClient {
  const auth = c.auth ?? 'negotiate';
  const steps = [];
  for (const [k, text] of c.steps.entries()) {
    try {
      steps.push(parseStep(text));
    } catch (e) {
      errors.push(`${where}/steps/${k}: ${(e as Error).message}`);
    }
  }
  const order = stepOrderProblem(steps);
  if (order) errors.push(`${where}/steps: ${order}`);
  if (auth === 'basic' && c.encryption === 'always') {
    errors.push(`${where}/encryption: Basic cannot encrypt WS-Man messages over HTTP (WinRM encrypts only with Negotiate, Kerberos, CredSSP): use 'never'`);
  }
  return {
    name: c.name,
    count: c.count ?? 1,
    user: c.user ?? firstUser,
    auth,
    credentials: c.credentials ?? 'right',
    encryption: c.encryption ?? (auth === 'negotiate' ? 'always' : 'never'),
    transport: c.transport ?? 'http',
    profile: c.profile ?? 'winrm2',
    proxy: c.proxy ?? 'default',
    unsafeAllowUnencryptedThroughProxy: c.unsafeAllowUnencryptedThroughProxy ?? false,
    steps,
  };
}

function normalizeProxy(s: Scenario, errors: string[]): NormalizedProxy {
  const p = s.proxy ?? 'reference';
  if (p === 'none') return { kind: 'none' };
  if (p === 'reference') return { kind: 'sim', faults: [] };
  if (p.external !== undefined) {
    if (p.faults || p.auth || p.hostile) errors.push(`/proxy: 'external' takes no faults, auth or hostile (configure the external proxy itself)`);
    return { kind: 'external', url: p.external };
  }
  if (p.hostile !== undefined) {
    if (p.faults || p.auth) errors.push(`/proxy: 'hostile' takes no faults or auth`);
    return { kind: 'hostile', behaviour: p.hostile };
  }
  const names = p.faults ?? [];
  for (const [i, f] of names.entries()) {
    if (!Object.hasOwn(faultCatalogue, f)) {
      errors.push(`/proxy/faults/${i}: unknown fault '${f}' (known: ${Object.keys(faultCatalogue).join(', ')})`);
    }
  }
  return { kind: 'sim', faults: names, ...(p.auth ? { auth: p.auth } : {}) };
}
