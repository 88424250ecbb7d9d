import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, portRanges, serverPortPair, stablePortRanges, stablePorts } from './free-port.ts';
import { isPortOpen } from './port-probe.ts';

function listenOn(port: number): Promise<ReturnType<typeof createServer>> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('freePort', () => {
  it('returns a port in the ephemeral range that is closed and can be bound', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(1023);
    expect(port).toBeLessThan(65536);
    expect(await isPortOpen('127.0.0.1', port, 300)).toBe(false);
    const server = await listenOn(port);
    expect(await isPortOpen('127.0.0.1', port, 300)).toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('stablePorts (fixed server ports, bound again case after case)', () => {
  it('reads the ephemeral and reserved ranges, and the Linux defaults when there is no /proc', () => {
    const files: Record<string, string> = {
      '/proc/sys/net/ipv4/ip_local_port_range': '32768\t60999\n',
      '/proc/sys/net/ipv4/ip_local_reserved_ports': '5985-5986,12000\n',
    };
    expect(portRanges((p) => files[p])).toEqual({ ephemeral: [32768, 60999], reserved: [[5985, 5986], [12000, 12000]] });
    expect(portRanges(() => { throw new Error('ENOENT'); })).toEqual({ ephemeral: [32768, 60999], reserved: [] });
  });

  it('leaves out the ephemeral range, the reserved ports and everything below 10000', () => {
    expect(stablePortRanges({ ephemeral: [32768, 60999], reserved: [[12000, 12000], [5985, 5986]] })).toEqual([
      [10000, 11999],
      [12001, 32767],
      [61000, 65535],
    ]);
    expect(stablePortRanges({ ephemeral: [1024, 65535], reserved: [] })).toEqual([]);
  });

  it('returns distinct bindable ports outside the ephemeral range', async () => {
    const ranges = portRanges();
    const [lo, hi] = ranges.ephemeral;
    const ports = await stablePorts(4);
    expect(new Set(ports).size).toBe(4);
    for (const p of ports) {
      expect(p < lo || p > hi, `${p} outside ${lo}-${hi}`).toBe(true);
      expect(p).toBeGreaterThanOrEqual(10000);
      const server = await listenOn(p);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const pair = await serverPortPair();
    expect(pair.http).not.toBe(pair.https);
  });

  it('skips a port someone holds, and falls back to freePort when there is no room outside the ephemeral range', async () => {
    const held = await listenOn(0);
    const busy = (held.address() as { port: number }).port;
    const [free] = await stablePorts(1); // outside the ephemeral range: nobody else takes it meanwhile
    try {
      // Only two candidates: the held port and a free one.
      const [a, b] = [Math.min(busy, free), Math.max(busy, free)];
      const reserved = [[a + 1, b - 1], [b + 1, 65535]].filter(([x, y]) => x <= y) as Array<[number, number]>;
      for (let i = 0; i < 5; i++) expect(await stablePorts(1, '127.0.0.1', { ephemeral: [10000, a - 1], reserved })).toEqual([free]);
      const fallback = await stablePorts(2, '127.0.0.1', { ephemeral: [1024, 65535], reserved: [] });
      expect(new Set(fallback).size).toBe(2);
      expect(fallback).not.toContain(busy);
    } finally {
      await new Promise<void>((resolve) => held.close(() => resolve()));
    }
  });
});
