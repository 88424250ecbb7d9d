// pywinrm 0.3.0 `transport='kerberos'` (requests-kerberos over MIT GSS-API, kinit ccache) runs a
// command against `wpc serve --auth negotiate,kerberos --kerberos-keytab FILE` with the loopback
// MIT KDC (harness/drivers/kdc): directly, and through the reference proxy (HTTP_PROXY).
// Debian's pykerberos lacks WinRM message encryption, so the server allows clear SOAP.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../harness/cli/serve.ts';
import { startKdc, type RunningKdc } from '../../harness/drivers/kdc/kdc.ts';
import { TcpNetwork } from '../../harness/net/index.ts';
import { startProxy } from '../../harness/proxy/index.ts';
import type { RunningProxy } from '../../harness/proxy/types.ts';

const SCRIPT = fileURLToPath(new URL('./kerberos_pywinrm.py', import.meta.url));
const SPAWN_TIMEOUT_MS = 30_000;

function spawnBounded(cmd: string, args: string[], env: Record<string, string>, input?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = execFile(cmd, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: SPAWN_TIMEOUT_MS, killSignal: 'SIGKILL' }, (e, out, err) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err }),
    );
    if (input !== undefined) p.stdin?.end(input);
  });
}

interface PyResult {
  std_out?: string;
  status_code?: number;
  encrypted?: boolean;
  error?: string;
  message?: string;
}

describe('pywinrm transport=kerberos against wpc serve --auth negotiate,kerberos (MIT KDC)', () => {
  let kdc: RunningKdc;
  let url = '';
  let listening = '';
  const stopServe = new AbortController();
  let served: Promise<number> | undefined;
  const proxyNet = new TcpNetwork();
  let proxy: RunningProxy;

  beforeAll(async () => {
    kdc = await startKdc();
    const k = await spawnBounded('kinit', [kdc.users[0].principal], kdc.env, `${kdc.users[0].password}\n`);
    if (k.code !== 0) throw new Error(`kinit: ${k.err}`);
    let resolveLine!: (l: string) => void;
    const line = new Promise<string>((r) => (resolveLine = r));
    served = run(
      ['--http-port', '0', '--https-port', '0', '--auth', 'negotiate,kerberos', '--kerberos-keytab', kdc.keytabPath, '--kerberos-service', 'HTTP/localhost', '--allow-unencrypted'],
      { stdout: resolveLine, signal: stopServe.signal },
    );
    listening = await Promise.race([line, served.then(() => 'exited before listening')]);
    url = /(http:\/\/\S+)/.exec(listening)?.[1] ?? '';
    proxy = await startProxy(proxyNet, { host: '127.0.0.1', port: 0, faults: [] });
  }, 60_000);

  afterAll(async () => {
    stopServe.abort();
    await served;
    await proxy?.close();
    await proxyNet.shutdown();
    await kdc?.stop();
  });

  const pywinrm = async (extraEnv: Record<string, string>, word: string): Promise<{ res: PyResult; err: string }> => {
    const r = await spawnBounded('/usr/bin/python3', [SCRIPT, url, kdc.users[0].principal, 'localhost', 'auto', 'echo', word], {
      ...kdc.env,
      NO_PROXY: '',
      no_proxy: '',
      ...extraEnv,
    });
    return { res: JSON.parse(r.out.trim().split('\n').pop() || '{}') as PyResult, err: r.err };
  };

  it('names the keytab principal in the listening line', () => {
    expect(listening).toMatch(/auth=negotiate,kerberos .*kerberos=HTTP\/localhost@WPC\.TEST/);
  });

  it('runs a command directly: AP-REQ accepted, AP-REP verified by requests-kerberos', async () => {
    const { res, err } = await pywinrm({}, 'kerberos-direct');
    expect(res.error, `${res.message}\n${err}`).toBeUndefined();
    expect(Buffer.from(res.std_out!, 'base64').toString()).toContain('kerberos-direct');
    expect(res.status_code).toBe(0);
    expect(res.encrypted).toBe(false);
  });

  it('runs a command through the reference proxy (HTTP_PROXY), which forwarded the Kerberos leg', async () => {
    const { res, err } = await pywinrm({ HTTP_PROXY: `http://127.0.0.1:${proxy.address.port}`, http_proxy: `http://127.0.0.1:${proxy.address.port}` }, 'kerberos-proxied');
    expect(res.error, `${res.message}\n${err}`).toBeUndefined();
    expect(Buffer.from(res.std_out!, 'base64').toString()).toContain('kerberos-proxied');
    // The proxy's own trace: pywinrm's requests went through it, the first with the AP-REQ.
    const viaProxy = proxyNet.trace.events.filter((e) => e.kind === 'message' && e.dir === 'in' && e.startLine.startsWith('POST http://'));
    expect(viaProxy.length).toBeGreaterThanOrEqual(4);
    const first = viaProxy[0] as Extract<(typeof viaProxy)[number], { kind: 'message' }>;
    expect(first.headers.some(([k, v]) => k.toLowerCase() === 'authorization' && /^Negotiate \S{100,}/.test(v))).toBe(true);
  });

  it('refuses a keytab-less --auth kerberos with a usage error', async () => {
    await expect(run(['--auth', 'negotiate,kerberos'])).rejects.toThrow(/needs --kerberos-keytab/);
  });
});
