import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { launchProduct } from './launch.ts';
import { isPortOpen } from './port-probe.ts';
import { getProduct } from './registry.ts';
import { WorkDir } from './work-dir.ts';

const scratch = mkdtempSync(join(tmpdir(), 'wpc-launch-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('launchProduct', () => {
  it('rejects with the exit status and the output tail when the product dies at start', async () => {
    const dir = new WorkDir('fake');
    const port = await freePort();
    const attempt = launchProduct({
      product: { name: 'fake', variant: 'broken' },
      command: '/bin/sh',
      args: ['-c', 'echo "bad directive on line 3" >&2; exit 3'],
      dir,
      host: '127.0.0.1',
      port,
      logFiles: [],
    });
    await expect(attempt).rejects.toThrow(/fake \(broken\) exited \(code 3[\s\S]*bad directive on line 3/);
  });

  it('gives up after the start timeout and kills the product', async () => {
    const pidFile = join(scratch, 'sleeper.pid');
    const dir = new WorkDir('fake');
    const port = await freePort();
    const started = Date.now();
    const attempt = launchProduct({
      product: { name: 'fake' },
      command: '/bin/sh',
      args: ['-c', `echo $$ > ${pidFile}; exec sleep 30`],
      dir,
      host: '127.0.0.1',
      port,
      logFiles: [],
      startTimeoutMs: 600,
    });
    await expect(attempt).rejects.toThrow(/did not accept connections within 600 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('refuses a caller-chosen port that something else already answers on', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    try {
      await expect(getProduct('tinyproxy').start({ port })).rejects.toThrow(/already in use/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('stops a product left running when the process exits', async () => {
    const script = join(scratch, 'leave-running.mts');
    const driver = new URL('./tinyproxy.ts', import.meta.url).pathname;
    writeFileSync(
      script,
      `const { tinyproxy } = await import(${JSON.stringify(driver)});\n` +
        `const p = await tinyproxy.start({});\nconsole.log(p.url);\nprocess.exit(0);\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code, err).toBe(0);
    const url = new URL(out.trim());
    // SIGKILL was sent synchronously at exit; the kernel closes the listener once it lands.
    const deadline = Date.now() + 3_000;
    let open = true;
    while (open && Date.now() < deadline) {
      open = await isPortOpen(url.hostname, Number(url.port), 300);
      if (open) await new Promise((r) => setTimeout(r, 100));
    }
    expect(open).toBe(false);
  });
});
