import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { isPortOpen } from './port-probe.ts';

describe('freePort', () => {
  it('returns a port in the ephemeral range that is closed and can be bound', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(1023);
    expect(port).toBeLessThan(65536);
    expect(await isPortOpen('127.0.0.1', port, 300)).toBe(false);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    expect(await isPortOpen('127.0.0.1', port, 300)).toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
