// `wpc serve`: argument handling, the one `listening` line, and a real pywinrm session
// against the listener it starts (in-process run()).

import { describe, expect, it } from 'vitest';
import { runPywinrm } from '../../test/interop/pywinrm.ts';
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

  it('refuses unknown options, bad ports, and the schemes not implemented yet with a one-line usage error', async () => {
    await expect(run(['--bogus'])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['--http-port', 'x'])).rejects.toThrow(/not a port/);
    await expect(run(['--user', 'u'])).rejects.toThrow(/go together/);
    await expect(run(['--auth', 'negotiate,kerberos'])).rejects.toThrow(/kerberos: not implemented/);
    await expect(run(['--auth', 'credssp'])).rejects.toThrow(/^--auth credssp: not implemented[^\n]*$/);
  });

  it('documents the demo password in --help', async () => {
    const out: string[] = [];
    expect(await run(['--help'], { stdout: (l) => out.push(l) })).toBe(0);
    expect(out.join('\n')).toContain(DEFAULT_PASSWORD);
    expect(out.join('\n')).toContain('--allow-unencrypted');
  });
});
