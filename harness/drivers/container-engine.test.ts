import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engineAddress, pingEngine } from './container-engine.ts';

describe('container engine address and ping', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  async function fakeEngine(status: number): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'wpc-fake-engine-'));
    const socketPath = join(dir, 'docker.sock');
    const server: Server = createServer((req, res) => {
      res.writeHead(req.url === '/_ping' ? status : 404).end(status === 200 ? 'OK' : 'down');
    });
    await new Promise<void>((r) => server.listen(socketPath, r));
    cleanups.push(() => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return `unix://${socketPath}`;
  }

  it('reads unix:// and tcp:// DOCKER_HOST values and refuses other schemes', () => {
    expect(engineAddress('unix:///run/x/docker.sock')).toEqual({ socketPath: '/run/x/docker.sock' });
    expect(engineAddress('tcp://127.0.0.1:2375')).toEqual({ host: '127.0.0.1', port: 2375 });
    expect(engineAddress('ssh://user@host')).toBeUndefined();
  });

  it('accepts an engine that answers /_ping with 200', async () => {
    expect(await pingEngine(await fakeEngine(200))).toBeUndefined();
  });

  it('gives a one-line reason for an engine that answers an error, or for no engine at all', async () => {
    expect(await pingEngine(await fakeEngine(500))).toMatch(/^\/_ping answered 500 down$/);
    const missing = `unix://${join(tmpdir(), 'wpc-no-such-dir', 'docker.sock')}`;
    expect(await pingEngine(missing)).toMatch(/ENOENT/);
    expect(await pingEngine('ssh://host')).toMatch(/unsupported DOCKER_HOST scheme/);
  });
});
