// `wpc certify --image` for real: a private dockerd (host networking, no bridge, no registry),
// a tinyproxy image built from this machine's files with `docker import`, and the CLI as a
// user runs it. The verdicts must be those of the tinyproxy product started here
// (test/certify/products.test.ts), and no container may outlive a run, failed or not.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContainerProxy } from '../../harness/drivers/container.ts';
import { startPrivateDockerd, type PrivateEngine } from '../../harness/drivers/container-engine.ts';
import { buildLocalProxyImage } from '../../harness/drivers/container-image.ts';
import { freePort } from '../../harness/drivers/free-port.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'wpc.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function wpc(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function docker(dockerHost: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { env: { ...process.env, DOCKER_HOST: dockerHost }, timeout: 20_000, encoding: 'utf8' }, (e, out, err) =>
      e ? reject(new Error(`docker ${args.join(' ')}: ${err || e.message}`)) : resolve(out),
    );
  });
}

/** Every container of `image` on the engine, running or not. */
async function containersOf(dockerHost: string, image: string): Promise<string[]> {
  return (await docker(dockerHost, ['ps', '-a', '-q', '--filter', `ancestor=${image}`])).split('\n').filter(Boolean);
}

describe.sequential('certify --image on a private Docker engine (no registry)', () => {
  let engine: PrivateEngine;
  let port: number;
  let tag: string;
  let reports: string;
  const saved = { DOCKER_HOST: process.env.DOCKER_HOST, TESTCONTAINERS_HOST_OVERRIDE: process.env.TESTCONTAINERS_HOST_OVERRIDE };

  beforeAll(async () => {
    engine = await startPrivateDockerd({ root: join(tmpdir(), 'wpc-docker'), timeoutMs: 30_000 });
    port = await freePort();
    tag = `wpc-test/tinyproxy:${port}`;
    await buildLocalProxyImage(tag, { port, dockerHost: engine.dockerHost });
    reports = mkdtempSync(join(tmpdir(), 'wpc-image-reports-'));
    process.env.DOCKER_HOST = engine.dockerHost; // for the in-process driver calls below
  }, 90_000);

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (tag && engine) await docker(engine.dockerHost, ['rmi', '-f', tag]).catch(() => undefined);
    if (reports) rmSync(reports, { recursive: true, force: true });
    await engine?.stop();
  }, 30_000);

  it('gives tinyproxy in a container the verdicts of the tinyproxy product (CONNECT passes, plain-HTTP NTLM fails) and removes the container', async () => {
    const r = await wpc(
      ['certify', '--image', tag, '--image-port', String(port), '--cases', 'https.1,https.2,http.2,http.1', '--report-dir', reports, '--format', 'json'],
      { DOCKER_HOST: engine.dockerHost },
    );
    expect(r.code, r.stderr).toBe(1); // non-conformant
    const report = JSON.parse(readFileSync(join(reports, 'report.json'), 'utf8')) as {
      proxy: { url: string; product?: { name: string; variant?: string } };
      cases: Array<{ id: string; status: string; reason?: string }>;
    };
    const status = Object.fromEntries(report.cases.map((c) => [c.id, c.status]));
    expect(status).toEqual({ 'https.1': 'pass', 'https.2': 'pass', 'http.1': 'fail', 'http.2': 'fail' });
    expect(report.cases.find((c) => c.id === 'http.1')?.reason).toMatch(/Connection: close/i);
    expect(report.proxy).toMatchObject({ url: `http://127.0.0.1:${port}`, product: { name: tag, variant: 'container' } });
    expect(await containersOf(engine.dockerHost, tag)).toEqual([]);
  });

  it('reports a proxy that never listens on the given port with its last log line, bounded, and removes the container', async () => {
    const wrong = await freePort();
    const t0 = Date.now();
    await expect(startContainerProxy(tag, { port: wrong, startupMs: 2_000 })).rejects.toThrow(
      new RegExp(`did not start: nothing listened on 127\\.0\\.0\\.1:${wrong} within 2000 ms .*: \\S`),
    );
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(await containersOf(engine.dockerHost, tag)).toEqual([]);
  });

  it('stops the container it started (stop() is idempotent) and the port is free again', async () => {
    const put = await startContainerProxy(tag, { port });
    expect(await containersOf(engine.dockerHost, tag)).toHaveLength(1);
    expect(put.logs()).toMatch(/tinyproxy|listen/i);
    await Promise.all([put.stop(), put.stop()]);
    expect(await containersOf(engine.dockerHost, tag)).toEqual([]);
  });

  it('never pulls: an image absent from the local store is exit 2 with one line', async () => {
    const absent = `wpc-test/absent:${port}`;
    const r = await wpc(['certify', '--image', absent, '--cases', 'https.1', '--report-dir', reports], { DOCKER_HOST: engine.dockerHost });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not in the container engine's local store; wpc never pulls/);
    expect(await docker(engine.dockerHost, ['images', '-q', absent])).toBe('');
  });
});

describe('certify --image without a container engine', () => {
  it('exits 2 with one line naming the engine it could not reach', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wpc-no-engine-'));
    try {
      const dead = `unix://${join(dir, 'docker.sock')}`;
      const r = await wpc(['certify', '--image', 'wpc-test/any:1', '--cases', 'https.1', '--report-dir', dir], { DOCKER_HOST: dead });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`no container engine available for --image (DOCKER_HOST=${dead}:`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
