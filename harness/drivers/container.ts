// `certify --image IMAGE`: a proxy in a container, started through testcontainers 11 (the last
// major on Node 20) with host networking, so the proxy listens on loopback like a product
// started here. Without a Docker engine the driver says so: an infrastructure error (exit 2).

import type { ProxyUnderTest } from './types.ts';

export async function startContainerProxy(image: string, opts: { port: number; startupMs?: number }): Promise<ProxyUnderTest> {
  const tc = await import('testcontainers');
  try {
    await tc.getContainerRuntimeClient();
  } catch (e) {
    throw new Error(`no container engine available for --image (${firstLine(e)}): start a Docker engine or use --product/--proxy`);
  }
  const container = await new tc.GenericContainer(image)
    .withNetworkMode('host')
    .withWaitStrategy(tc.Wait.forListeningPorts())
    .withStartupTimeout(opts.startupMs ?? 60_000)
    .start()
    .catch((e: unknown) => {
      throw new Error(`container ${image} did not start: ${firstLine(e)}`);
    });
  let logs = '';
  const stream = await container.logs().catch(() => undefined);
  stream?.on('data', (d: Buffer | string) => {
    logs = (logs + d.toString()).slice(-8000);
  });
  let stopped = false;
  return {
    url: `http://127.0.0.1:${opts.port}`,
    product: { name: image },
    async stop() {
      if (stopped) return;
      stopped = true;
      await container.stop({ timeout: 3_000 }).catch(() => undefined);
    },
    logs: () => logs,
  };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
