import { describe, expect, it } from 'vitest';
import { clientError, onSim, relay } from './test-support.ts';

describe('client errors on sim', () => {
  it('turns a WS-Man fault into wsman-fault with the subcode', async () => {
    const e = await onSim(async (w) => clientError(w.client().deleteShell('00000000-0000-4000-8000-000000000000')));
    expect(e.code).toBe('wsman-fault');
    expect(e.detail).toMatchObject({ subcode: 'InvalidSelectors', wsmanCode: 2150858843 });
  });

  it('bounds a request by timeoutMs on the network clock when nothing answers', async () => {
    const r = await onSim(async (w) => {
      await w.net.listen({ host: '127.0.0.1', port: 7000, actor: 'silent' }, () => undefined);
      const start = w.net.clock.now();
      const e = await clientError(w.client({ endpoint: 'http://127.0.0.1:7000/wsman', timeoutMs: 4000 }).identify());
      return { e, elapsed: w.net.clock.now() - start };
    });
    expect(r.e.code).toBe('timeout');
    expect(r.elapsed).toBeGreaterThanOrEqual(4000);
    expect(r.elapsed).toBeLessThan(4100);
  });

  it('fails with network when the server refuses the connection', async () => {
    const e = await onSim(async (w) => clientError(w.client({ endpoint: 'http://127.0.0.1:7001/wsman' }).identify()));
    expect(e.code).toBe('network');
  });

  it('fails with protocol when an encrypted response cannot be decrypted', async () => {
    const e = await onSim(async (w) => {
      // Responses: 1 = 401 Type2, 2 = 200 Type3, 3 = Identify (sealed): flip a bit in its payload.
      const r = await relay(w.net, 6001, w.server.http!, (n, bytes) => {
        if (n !== 3) return bytes;
        const out = new Uint8Array(bytes);
        out[out.length - 40] ^= 0x01; // inside the sealed payload, before the closing boundary
        return out;
      });
      return clientError(w.client({ endpoint: `http://127.0.0.1:${r.port}/wsman` }).identify());
    });
    expect(e.code).toBe('protocol');
    expect(e.message).toMatch(/decrypt/);
  });

  it('closes after a response with Connection: close, so an HTTP/1.0 proxy makes Negotiate fail closed', async () => {
    const r = await onSim(
      async (w) => {
        const c = w.client({ winhttp: { proxyServer: w.proxyServer } });
        return { e: await clientError(c.identify()), c };
      },
      { proxy: { faults: ['http10'] } },
    );
    expect(r.e.code).toBe('access-denied');
    expect(r.c.handshakes).toBe(3);
    // Every handshake started on a new connection, and none sent a Type 3.
    expect(r.c.exchanges.map((e) => e.step)).toEqual(['negotiate-1', 'negotiate-1', 'negotiate-1']);
    expect(new Set(r.c.exchanges.map((e) => e.conn)).size).toBe(3);
  });
});
