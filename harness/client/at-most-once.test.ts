import { describe, expect, it } from 'vitest';
import type { Network } from '../net/types.ts';
import { onSim, relay } from './test-support.ts';
import { WinrmClientError } from './types.ts';

/** Swallows the `dropAt`-th response (once) and resets the client's connection: the request ran, its answer never came. */
function lossyRelay(net: Network, to: { host: string; port: number }, dropAt: number) {
  return relay(net, 6000, to, (n, bytes) => (n === dropAt ? 'drop' : bytes));
}

describe('at most once (INV-6)', () => {
  it('does not re-send a Command whose connection died after it was written', async () => {
    const r = await onSim(async (w) => {
      // Responses: 1 = 401 Type2, 2 = 200 Type3, 3 = Create, 4 = Command.
      const relay = await lossyRelay(w.net, w.server.http!, 4);
      const c = w.client({ endpoint: `http://127.0.0.1:${relay.port}/wsman` });
      const shell = await c.createShell();
      let err: unknown;
      try {
        await c.command(shell, 'whoami');
      } catch (e) {
        err = e;
      }
      return { err, c, audit: w.server.audit.entries };
    });
    expect(r.err).toBeInstanceOf(WinrmClientError);
    expect((r.err as WinrmClientError).code).toBe('network');
    expect(r.c.exchanges.filter((e) => e.step === 'Command')).toHaveLength(1);
    expect(r.audit.filter((a) => a.commandId !== undefined)).toHaveLength(1);
  });

  it('does re-send an Identify lost the same way, on a new authenticated connection', async () => {
    const r = await onSim(async (w) => {
      const relay = await lossyRelay(w.net, w.server.http!, 3);
      const c = w.client({ endpoint: `http://127.0.0.1:${relay.port}/wsman` });
      const id = await c.identify();
      return { id, c };
    });
    expect(r.id.productVendor).toBe('Microsoft Corporation');
    expect(r.c.handshakes).toBe(2);
    expect(r.c.exchanges.map((e) => `${e.step} ${e.status}`)).toEqual([
      'negotiate-1 401',
      'negotiate-3 200',
      'Identify 0',
      'negotiate-1 401',
      'negotiate-3 200',
      'Identify 200',
    ]);
  });
});
