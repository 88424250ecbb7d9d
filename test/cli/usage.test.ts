// Usage errors of every sub-command: exit 2 with a one-line reason on stderr (REQUIREMENTS.md §5).
import { describe, expect, it } from 'vitest';
import { wpc } from './run-wpc.ts';

describe('wpc usage errors', () => {
  it('exits 2 with one line on stderr for a missing, unknown or misused command', async () => {
    const cases = [
      { args: [], says: /no command given/ },
      { args: ['no-such-command'], says: /unknown command 'no-such-command'/ },
      { args: ['list', 'bogus'], says: /wpc list \[cases/ },
      { args: ['explain', 'http.99'], says: /unknown case 'http\.99'/ },
      { args: ['run', '--transport', 'udp', 'x.yaml'], says: /--transport must be sim or tcp/ },
      { args: ['serve', '--auth', 'ntlmv1'], says: /--auth: unknown scheme 'ntlmv1'/ },
      { args: ['proxy'], says: /--port is required/ },
      { args: ['merge', 'package.json', '--out', 'unused', '--format', 'pdf'], says: /--format: unknown format 'pdf'/ },
      { args: ['certify', '--sim', '--pause-ms', '500'], says: /--pause-ms: expected an integer from 2000/ },
      { args: ['certify', '--sim', '--server-ports', '5985,5986'], says: /apply to real proxies/ },
      { args: ['certify', '--proxy', 'http://127.0.0.1:1', '--image-port', '3128'], says: /--image-port goes with --image/ },
    ];
    const results = await Promise.all(cases.map((c) => wpc(c.args, 30_000)));
    results.forEach((r, i) => {
      const what = cases[i].args.join(' ') || '(no arguments)';
      expect(r.code, what).toBe(2);
      expect(r.stderr.trim().split('\n'), what).toHaveLength(1);
      expect(r.stderr, what).toMatch(cases[i].says);
      expect(r.stdout, what).toBe('');
    });
  }, 60_000);

  it('prints the usage on stdout and exits 0 for --help', async () => {
    const r = await wpc(['--help'], 30_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage:/);
    for (const cmd of ['certify', 'run', 'list', 'explain', 'serve', 'proxy', 'merge']) expect(r.stdout).toContain(`wpc ${cmd}`);
  }, 30_000);

  it('prints each sub-command its usage on stdout and exits 0 for SUB --help', async () => {
    const cmds = ['certify', 'run', 'list', 'explain', 'serve', 'proxy', 'merge'];
    const results = await Promise.all(cmds.map((c) => wpc([c, '--help'], 30_000)));
    results.forEach((r, i) => {
      expect(r.code, cmds[i]).toBe(0);
      expect(r.stdout, cmds[i]).toMatch(new RegExp(`usage:\\s+wpc ${cmds[i]}`));
      expect(r.stderr, cmds[i]).toBe('');
    });
  }, 60_000);

  it('explains an invariant as REQUIREMENTS.md §2 states it', async () => {
    const r = await wpc(['explain', 'INV-7'], 30_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^INV-7: Fail closed: when a proxy breaks affinity/);
  }, 30_000);
});
