// `wpc serve`: argument handling, the one `listening` line, and a real pywinrm session
// against the listener it starts (in-process run()).

import { describe, expect, it } from 'vitest';
import { runPywinrm } from '../../test/interop/pywinrm.ts';
import { createWinrmClient } from '../client/index.ts';
import { SeededRandom, TcpNetwork } from '../net/index.ts';
import { DEFAULT_PASSWORD, DEFAULT_USER, run } from './serve.ts';
import { UsageError } from './usage.ts';

async function started(argv: string[]): Promise<{ line: string; stop: () => Promise<number> }> {
  const ac = new AbortController();
  let resolveLine!: (l: string) => void;
  const lineP = new Promise<string>((r) => (resolveLine = r));
  const lines: string[] = [];
  const done = run(argv, { stdout: (l) => (lines.push(l), resolveLine(l)), signal: ac.signal });
  const line = await Promise.race([lineP, done.then(() => 'exited before listening')]);
  return { line, stop: async () => (ac.abort(), done) };
}

describe('wpc serve', () => {
  it('prints one listening line with both addresses and the certificate fingerprint, never the password', async () => {
    const s = await started(['--http-port', '0', '--https-port', '0']);
    try {
      expect(s.line).toMatch(/^listening http:\/\/127\.0\.0\.1:\d+\/wsman https:\/\/127\.0\.0\.1:\d+\/wsman sha256=[0-9a-f]{64} /);
      expect(s.line).toContain(`user=${DEFAULT_USER}`);
      expect(s.line).not.toContain(DEFAULT_PASSWORD);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('serves a pywinrm NTLM session with the given account', async () => {
    const s = await started(['--http-port', '0', '--https-port', '0', '--user', 'bob', '--password', 'Pw-for-Bob1']);
    try {
      const url = /(http:\/\/\S+)/.exec(s.line)![1];
      const r = await runPywinrm({ url, transport: 'ntlm', encryption: 'auto', user: 'bob', password: 'Pw-for-Bob1', cmd: 'whoami' });
      expect(r.error, r.raw).toBeUndefined();
      expect(r.stdout.toString()).toBe('winrm-sim\\bob\r\n');
    } finally {
      await s.stop();
    }
  });

  it('refuses unknown options, bad ports, a lone --user, and --auth kerberos without a keytab, with a usage error', async () => {
    await expect(run(['--bogus'])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['--http-port', 'x'])).rejects.toThrow(/not a port/);
    await expect(run(['--user', 'u'])).rejects.toThrow(/go together/);
    await expect(run(['--auth', 'negotiate,kerberos'])).rejects.toThrow(/needs --kerberos-keytab/);
  });

  it('offers CredSSP with --auth negotiate,credssp and serves a CredSSP session (node TLS, five legs)', async () => {
    const s = await started(['--http-port', '0', '--auth', 'negotiate,credssp']);
    const net = new TcpNetwork();
    try {
      expect(s.line).toContain('auth=negotiate,credssp');
      const url = /(http:\/\/\S+)/.exec(s.line)![1];
      const c = createWinrmClient(net, { endpoint: url, user: DEFAULT_USER, password: DEFAULT_PASSWORD, auth: 'credssp', random: new SeededRandom(1), timeoutMs: 10_000 });
      const r = await c.runCommand('whoami');
      expect(Buffer.from(r.stdout).toString()).toBe(`winrm-sim\\${DEFAULT_USER}\r\n`);
      expect(c.exchanges.filter((x) => x.step.startsWith('credssp')).map((x) => x.status)).toEqual([401, 401, 401, 401, 200]);
      c.close();
    } finally {
      await net.shutdown();
      await s.stop();
    }
  });

  it('documents the demo password in --help', async () => {
    const out: string[] = [];
    expect(await run(['--help'], { stdout: (l) => out.push(l) })).toBe(0);
    expect(out.join('\n')).toContain(DEFAULT_PASSWORD);
    expect(out.join('\n')).toContain('--allow-unencrypted');
  });
});
