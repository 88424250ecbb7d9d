import { describe, expect, it } from 'vitest';
import { onSim, text } from './test-support.ts';
import { WinrmClientError } from './types.ts';

describe('client ↔ server on sim, direct HTTP with Negotiate and encryption', () => {
  it('runs a whole session: Identify, Create, Command, Receive, Signal, Delete', async () => {
    const r = await onSim(async (w) => {
      const c = w.client();
      const id = await c.identify();
      const shell = await c.createShell();
      const cmd = await c.command(shell, 'whoami');
      let res = await c.receive(shell, cmd);
      while (!res.done) res = await c.receive(shell, cmd);
      await c.signal(shell, cmd);
      await c.deleteShell(shell);
      return { id, res, steps: c.exchanges.map((e) => e.step), conns: new Set(c.exchanges.map((e) => e.conn)), hs: c.handshakes };
    });
    expect(r.id.productVendor).toBe('Microsoft Corporation');
    expect(text(r.res.stdout).toLowerCase()).toContain('alice');
    expect(r.res.exitCode).toBe(0);
    expect(r.steps).toEqual(['negotiate-1', 'negotiate-3', 'Identify', 'Create', 'Command', 'Receive', 'Signal', 'Delete']);
    expect(r.conns.size).toBe(1);
    expect(r.hs).toBe(1);
  });
});
