// Backend connection reuse is what the `pooled` / `sharing` variants exist for: two client
// connections in a row (each keep-alive, closed by the client after one exchange) must share
// one server connection there, and not in the 1:1 variants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoHttpServer, type RunningServer } from './loopback-servers.ts';
import { getViaProxy } from './proxy-probe.ts';
import { getProduct } from './registry.ts';

let origin: RunningServer;
beforeAll(async () => {
  origin = await startEchoHttpServer();
});
afterAll(async () => {
  await origin?.close();
});

/** Server connections used for two requests, each on its own client connection. */
async function serverConnectionsForTwoClients(product: string, variant: string): Promise<number> {
  const target = `http://127.0.0.1:${origin.port}`;
  const proxy = await getProduct(product).start({ variant, targets: [target] });
  try {
    const before = origin.connections();
    for (const path of ['/first', '/second']) {
      const res = await getViaProxy(proxy.url, `${target}${path}`, { keepAlive: true });
      expect(res.status).toBe(200);
    }
    return origin.connections() - before;
  } finally {
    await proxy.stop();
  }
}

describe('backend connection reuse across client connections', () => {
  it.each([
    ['apache2', 'default', 2], // generic forward worker: Connection: close upstream every time
    ['apache2', 'pooled', 1],
    ['privoxy', 'default', 2],
    ['privoxy', 'sharing', 1],
  ])('%s %s: %i server connection(s) for two client connections', async (product, variant, expected) => {
    expect(await serverConnectionsForTwoClients(product, variant)).toBe(expected);
  });
});
