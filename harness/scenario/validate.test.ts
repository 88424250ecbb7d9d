import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatScenario } from './format.ts';
import { parseScenario } from './load.ts';
import { ScenarioError, validateScenario } from './validate.ts';

const errorsOf = (x: unknown): string[] => {
  const r = validateScenario(x);
  if (r.ok) throw new Error('expected invalid');
  return r.errors;
};

describe('validateScenario', () => {
  it('fills the documented defaults', () => {
    const r = validateScenario({ name: 'x', clients: [{ name: 'alice', steps: ['create'] }] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario).toMatchObject({
      seed: 1,
      boundMs: 300000,
      server: { allowUnencrypted: false, auth: ['negotiate'] },
      proxy: { kind: 'sim', faults: [] },
      concurrent: true,
      expect: { violated: [], hold: ['INV-1', 'INV-2', 'INV-3', 'INV-4', 'INV-5', 'INV-6', 'INV-7', 'INV-8'] },
    });
    expect(r.scenario.clients[0]).toMatchObject({ count: 1, user: 'alice', auth: 'negotiate', credentials: 'right', encryption: 'always', transport: 'http', profile: 'winrm2' });
  });

  it('names the place and the problem of a schema error', () => {
    expect(errorsOf({ name: 'x', clients: [{ name: 'alice', steps: ['dance'] }] })).toContain(
      '/clients/0/steps/0: not a step (identify, create, command <cmdline>, receive, signal, delete, run <cmdline>, pause <ms>)',
    );
    expect(errorsOf({ name: 'x', clients: [{ name: 'alice', steps: [], colour: 'red' }] })).toContain("/clients/0: unexpected property 'colour'");
    expect(errorsOf({ name: 'x', clients: [{ name: 'alice', auth: 'ntlm', steps: [] }] })[0]).toMatch(/^\/clients\/0\/auth: must be one of negotiate, basic, none$/);
  });

  it('checks what a schema cannot: step order, names, faults, contradictions', () => {
    expect(errorsOf({ name: 'x', clients: [{ name: 'a', steps: ['command hostname'] }] })).toEqual(["/clients/0/steps: step 1 'command hostname' needs a shell: put 'create' before it"]);
    expect(errorsOf({ name: 'x', proxy: { faults: ['teleport'] }, clients: [{ name: 'a', steps: [] }] })[0]).toMatch(/^\/proxy\/faults\/0: unknown fault 'teleport' \(known: close-after-2xx, /);
    expect(errorsOf({ name: 'x', clients: [{ name: 'a', user: 'mallory', steps: [] }] })[0]).toContain("'mallory' is not a server user");
    expect(errorsOf({ name: 'x', clients: [{ name: 'a', auth: 'basic', encryption: 'always', steps: [] }] })[0]).toContain('Basic cannot encrypt');
    expect(errorsOf({ name: 'x', order: ['b'], clients: [{ name: 'a', steps: [] }] })[0]).toContain("/order/0: no client instance 'b'");
    expect(errorsOf({ name: 'x', clients: [{ name: 'a', steps: [] }], expect: { hold: ['INV-1'], violated: ['INV-1'] } })[0]).toContain('cannot both hold and be violated');
    expect(errorsOf({ name: 'x', clients: [{ name: 'a', auth: 'none', transport: 'https', steps: [] }] })[0]).toContain('plain HTTP only');
  });

  it('parseScenario reports YAML and schema errors as one ScenarioError line', () => {
    expect(() => parseScenario('name: [', 'f.yaml')).toThrow(ScenarioError);
    expect(() => parseScenario('name: [', 'f.yaml')).toThrow(/^f\.yaml: not valid YAML/);
    expect(() => parseScenario('name: x\nclients: []\n', 'f.yaml')).toThrow('f.yaml: /clients: must NOT have fewer than 1 items');
  });
});

describe('formatScenario', () => {
  it('prints a scenario that parses back to the same scenario', () => {
    const text = `name: t\nproxy: { faults: [slicer] }\nclients:\n  - name: alice\n    count: 2\n    steps: [create, "command echo hi", pause 10, delete]\n  - name: rider\n    auth: none\n    steps: [identify]\nexpect:\n  clients:\n    rider: [ok, access-denied]\n`;
    const s = parseScenario(text);
    const printed = formatScenario(s);
    expect(parse(printed)).toEqual(parse(text));
    expect(parseScenario(printed)).toEqual(s);
    expect(printed.indexOf('name: t')).toBe(0);
  });
});
