import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { run } from './proxy.ts';

function curlVia(proxyUrl: string, url: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('/usr/bin/curl', ['-sS', '--max-time', '10', '-x', proxyUrl, '-o', '/dev/null', '-w', '%{http_code}', url], { timeout: 15_000 }, (_e, stdout) =>
      resolve(stdout),
    );
  });
}

describe('wpc proxy', () => {
  it('prints one listening line with its address and faults, serves, and returns 0 when stopped', async () => {
    const lines: string[] = [];
    const ctl = new AbortController();
    let resolveLine!: () => void;
    const listening = new Promise<void>((r) => (resolveLine = r));
    const done = run(['--port', '0', '--fault', 'slicer,header-case'], {
      stdout: (l) => {
        lines.push(l);
        resolveLine();
      },
      signal: ctl.signal,
    });
    await listening;
    expect(lines).toHaveLength(1);
    const m = /^listening on (http:\/\/127\.0\.0\.1:\d+) \(faults: slicer,header-case\)$/.exec(lines[0]);
    expect(m).not.toBeNull();
    // A closed port behind it: the proxy itself answers 502.
    expect(await curlVia(m![1], 'http://127.0.0.1:9/')).toBe('502');
    ctl.abort();
    expect(await done).toBe(0);
  });

  it('says "faults: none" without --fault', async () => {
    const lines: string[] = [];
    const ctl = new AbortController();
    ctl.abort();
    expect(await run(['--port', '0'], { stdout: (l) => lines.push(l), signal: ctl.signal })).toBe(0);
    expect(lines[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+ \(faults: none\)$/);
  });

  it('rejects an unknown fault with a one-line usage error naming the known faults', async () => {
    const err = await run(['--port', '0', '--fault', 'pooled-upstream,bogus']).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('UsageError');
    expect((err as Error).message).toMatch(/^--fault: unknown fault 'bogus' \(known: .*pooled-upstream.*\)$/);
    expect((err as Error).message).not.toContain('\n');
  });

  it('rejects bad options with one line: unknown flag, missing port, lone --proxy-user', async () => {
    for (const argv of [['--port', '0', '--nope'], [], ['--port', 'x'], ['--port', '0', '--proxy-user', 'u']]) {
      const err = await run(argv).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('--proxy-auth names the schemes offered; curl authenticates with Digest and NTLM; bad lists are usage errors', async () => {
    const lines: string[] = [];
    const ctl = new AbortController();
    let resolveLine!: () => void;
    const listening = new Promise<void>((r) => (resolveLine = r));
    const done = run(['--port', '0', '--proxy-user', 'pu', '--proxy-password', 'pp', '--proxy-auth', 'basic,digest,ntlm'], {
      stdout: (l) => {
        lines.push(l);
        resolveLine();
      },
      signal: ctl.signal,
    });
    await listening;
    const m = /^listening on (http:\/\/127\.0\.0\.1:\d+) \(faults: none\) proxy-auth=ntlm,digest,basic$/.exec(lines[0]);
    expect(m).not.toBeNull();
    // Authenticated, the request goes on to a closed port: the proxy's own 502, not 407.
    for (const flag of ['--proxy-digest', '--proxy-ntlm', '--proxy-basic']) {
      const code = await new Promise<string>((resolve) =>
        execFile('/usr/bin/curl', ['-sS', '--max-time', '10', '-x', m![1], flag, '-U', 'pu:pp', '-o', '/dev/null', '-w', '%{http_code}', 'http://127.0.0.1:9/'], { timeout: 15_000 }, (_e, out) => resolve(out)),
      );
      expect(code).toBe('502');
    }
    ctl.abort();
    expect(await done).toBe(0);
    for (const argv of [['--port', '0', '--proxy-user', 'u', '--proxy-password', 'p', '--proxy-auth', 'digest,bogus'], ['--port', '0', '--proxy-auth', 'ntlm']]) {
      const err = await run(argv).catch((e: Error) => e);
      expect((err as Error).name).toBe('UsageError');
      expect((err as Error).message).not.toContain('\n');
    }
  });
});
