import { describe, expect, it } from 'vitest';
import { parseScenario } from './load.ts';
import { runScenario } from './run.ts';

describe('runScenario', () => {
  it('ends a run at its bound with a reason, and marks unfinished clients as hung', async () => {
    const s = parseScenario('name: b\nboundMs: 500\nclients:\n  - name: alice\n    steps: [create, pause 10000, delete]\n');
    const r = await runScenario(s, { determinism: false });
    expect(r.ended.reason).toBe('bound');
    expect(r.ended.detail).toContain("alice#1 at step 2 'pause 10000'");
    expect(r.clients[0].outcome).toBe('hang');
    expect(r.invariants.find((i) => i.id === 'INV-7')!.holds).toBe(false);
    expect(r.passed).toBe(false);
  });

  it('reports a scenario that cannot be set up instead of throwing', async () => {
    const s = parseScenario('name: e\nproxy: { external: "http://127.0.0.1:3128" }\nclients:\n  - name: alice\n    steps: [create]\n');
    const r = await runScenario(s, { transport: 'sim' });
    expect(r.ended.reason).toBe('setup-error');
    expect(r.failures[0]).toContain('needs --transport tcp');
  });

  it('replays a scenario and seed to the same trace, and another seed to another one', async () => {
    const s = parseScenario('name: d\nproxy: { faults: [slicer] }\nclients:\n  - name: alice\n    steps: [run hostname]\n');
    const a = await runScenario(s, { seed: 7, determinism: false });
    const b = await runScenario(s, { seed: 7, determinism: false });
    const c = await runScenario(s, { seed: 8, determinism: false });
    expect(b.trace.serialize()).toBe(a.trace.serialize());
    expect(c.trace.serialize()).not.toBe(a.trace.serialize());
    expect(a.invariants.find((i) => i.id === 'INV-8')!.applies).toBe(false);
  });

  it('runs an explicit interleaving step by step', async () => {
    const s = parseScenario(
      'name: o\nclients:\n  - name: alice\n    steps: [create, delete]\n  - name: bob\n    user: bob\n    steps: [create, delete]\norder: [bob, alice, bob, alice]\n',
    );
    const r = await runScenario(s, { determinism: false });
    expect(r.passed).toBe(true);
    const steps = r.audit.filter((e) => e.action === 'Create' || e.action === 'Delete').map((e) => `${e.identity?.split('\\')[1]}:${e.action}`);
    expect(steps).toEqual(['bob:Create', 'alice:Create', 'bob:Delete', 'alice:Delete']);
  });
});
