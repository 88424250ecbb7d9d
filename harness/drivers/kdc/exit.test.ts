// A KDC never outlives the process that started it, even when that process exits without stop().
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPortOpen } from '../port-probe.ts';

const KDC = fileURLToPath(new URL('./kdc.ts', import.meta.url));

describe('startKdc exit cleanup', () => {
  it('kills krb5kdc and removes its directory when the owning process exits', async () => {
    const script = `import { startKdc } from ${JSON.stringify(KDC)}; const k = await startKdc(); console.log(JSON.stringify({ port: k.kdcAddress.port, dir: k.dir })); process.exit(0);`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 30_000, cwd: fileURLToPath(new URL('../../..', import.meta.url)) }, (e, stdout, stderr) =>
        e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const { port, dir } = JSON.parse(out.trim().split('\n').pop()!) as { port: number; dir: string };
    expect(port).toBeGreaterThan(0);
    const deadline = Date.now() + 5_000;
    while ((await isPortOpen('127.0.0.1', port, 200)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await isPortOpen('127.0.0.1', port, 200)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});
