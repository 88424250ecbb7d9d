// pywinrm 0.3.0's own Protocol code (Debian python3-winrm under /usr/bin/python3) against the
// ShellHost: its requests go through parseRequest, our responses through its ElementTree parsing,
// its RelatesTo asserts on Signal and Delete, and its TimedOut retry loop.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ShellHost } from './shell.ts';
import { parseRequest } from './parse.ts';
import { ACTION } from './namespaces.ts';
import { genBytes } from './output.ts';

const PYTHON = '/usr/bin/python3';
const BRIDGE = fileURLToPath(new URL('./pywinrm_bridge.py', import.meta.url));

interface BridgeResult {
  result: { shellId: string; commandId: string; stdout: Buffer; stderr: Buffer; exitCode: number };
  actions: string[];
  faults: number;
  virtualMs: number;
}

/** Run one pywinrm session (open, run, receive until Done, cleanup, close) against a ShellHost. */
function session(argv: string[]): Promise<BridgeResult> {
  const clock = { t: 0 };
  const host = new ShellHost({ hostname: 'WIN-PY', now: () => clock.t, seed: 'py' });
  const child = spawn(PYTHON, [BRIDGE, ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
  const actions: string[] = [];
  let faults = 0;
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`pywinrm bridge timed out; stderr: ${stderr}`));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`pywinrm bridge exited ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const msg = JSON.parse(line) as { request?: string; result?: Record<string, string | number> };
      if (msg.result) {
        const r = msg.result;
        resolve({
          result: {
            shellId: String(r['shellId']),
            commandId: String(r['commandId']),
            stdout: Buffer.from(String(r['stdout']), 'base64'),
            stderr: Buffer.from(String(r['stderr']), 'base64'),
            exitCode: Number(r['exitCode']),
          },
          actions,
          faults,
          virtualMs: clock.t,
        });
        return;
      }
      actions.push(parseRequest(msg.request!).action);
      let res = host.handleXml(msg.request!, { user: 'CORP\\py' });
      // The endpoint's long poll, on a virtual clock: jump to the hold's wake-up time.
      while (res.kind === 'hold') {
        clock.t = Math.max(clock.t, res.untilMs);
        res = res.resume();
      }
      if (res.status !== 200) faults++;
      child.stdin.write(JSON.stringify({ status: res.status, xml: res.xml }) + '\n');
    });
  });
}

// pywinrm is part of this machine kind (PROTOCOL.md, "Real clients"): its absence is a failure.
describe('pywinrm 0.3.0 accepts the simulated server', () => {
  it('echo: ShellId, CommandId, stdout and exit code read by pywinrm; Signal and Delete RelatesTo asserts pass', async () => {
    const s = await session(['echo', 'hello', '<&>']);
    expect(s.result.stdout.toString()).toBe('hello <&>\r\n');
    expect(s.result.exitCode).toBe(0);
    expect(s.result.shellId).toMatch(/^[0-9A-F-]{36}$/);
    expect(s.actions).toEqual([ACTION.Create, ACTION.Command, ACTION.Receive, ACTION.Signal, ACTION.Delete]);
  });

  it('stderr and a non-zero exit code', async () => {
    const s = await session(['nosuchcmd']);
    expect(s.result.stderr.toString()).toBe("'nosuchcmd' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n");
    expect(s.result.exitCode).toBe(1);
  });

  it('gen 2.5 MB arrives whole over three Receives', async () => {
    const s = await session(['gen', '2500000']);
    expect(s.result.stdout.equals(Buffer.from(genBytes(0, 2_500_000)))).toBe(true);
    expect(s.actions.filter((a) => a === ACTION.Receive)).toHaveLength(3);
  });

  it('sleep 45 with OperationTimeout PT20S: two TimedOut faults retried silently, then Done', async () => {
    const s = await session(['sleep', '45']);
    expect(s.result.exitCode).toBe(0);
    expect(s.faults).toBe(2);
    expect(s.actions.filter((a) => a === ACTION.Receive)).toHaveLength(3);
    expect(s.virtualMs).toBe(45_000);
  });
});
