import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPortOpen } from '../port-probe.ts';
import { startKdc, type RunningKdc } from './kdc.ts';

function sh(cmd: string, args: string[], env: Record<string, string>, input?: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = execFile(cmd, args, { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
    if (input !== undefined) p.stdin?.end(input);
  });
}

describe('startKdc (MIT krb5kdc on loopback)', () => {
  let kdc: RunningKdc;
  beforeAll(async () => {
    kdc = await startKdc(); // bounded by KDC_START_TIMEOUT_MS inside startKdc
  });
  afterAll(async () => {
    await kdc?.stop();
  });

  it('listens on 127.0.0.1 with its own realm, config and keytab in one temp directory', async () => {
    expect(kdc.realm).toBe('WPC.TEST');
    expect(kdc.kdcAddress.host).toBe('127.0.0.1');
    expect(await isPortOpen('127.0.0.1', kdc.kdcAddress.port)).toBe(true);
    for (const p of [kdc.krb5ConfPath, kdc.kdcConfPath, kdc.keytabPath]) expect(p.startsWith(kdc.dir)).toBe(true);
    expect(kdc.users[0].principal).toBe('wpc-user@WPC.TEST');
    expect(kdc.service.principal).toBe('HTTP/localhost@WPC.TEST');
  });

  it('exports only AES256/AES128 keys for HTTP/localhost and WSMAN/localhost', async () => {
    const r = await sh('klist', ['-kte', kdc.keytabPath], kdc.env);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n').filter((l) => l.includes('@WPC.TEST'));
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => /aes(256|128)-cts-hmac-sha1-96/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('WSMAN/localhost@WPC.TEST'))).toBe(true);
  });

  it('lets MIT kinit (with PA-ENC-TIMESTAMP preauth) and kvno get a service ticket', async () => {
    const user = kdc.users[0];
    const k = await sh('kinit', [user.principal], kdc.env, `${user.password}\n`);
    expect(k.code, k.out).toBe(0);
    const v = await sh('kvno', ['HTTP/localhost'], kdc.env);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain('HTTP/localhost@WPC.TEST: kvno = 1');
  });

  it('rejects a wrong password', async () => {
    const k = await sh('kinit', [kdc.users[0].principal], kdc.env, 'not-the-password\n');
    expect(k.code).not.toBe(0);
    expect(k.out).toMatch(/Password incorrect|Preauthentication failed/);
  });
});

describe('startKdc lifecycle', () => {
  it('stop() kills the KDC and removes its directory', async () => {
    const kdc = await startKdc({ users: [{ name: 'alice', password: 'alice-pw-1' }], services: ['HTTP/localhost'] });
    expect(kdc.users).toEqual([{ principal: 'alice@WPC.TEST', password: 'alice-pw-1' }]);
    const { port } = kdc.kdcAddress;
    await kdc.stop();
    expect(existsSync(kdc.dir)).toBe(false);
    expect(await isPortOpen('127.0.0.1', port)).toBe(false);
    expect(kdc.logs()).toContain('commencing operation');
    expect(kdc.logs()).not.toContain('alice-pw-1');
  });
});
