// Spawns the real pywinrm 0.3.0 (/usr/bin/python3) against a URL and returns what run_cmd got.
// Every spawn is bounded (timeout, then SIGKILL of that one child).

import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, 'pywinrm_run.py');
/** Activates OpenSSL's default + legacy providers so that hashlib MD4 (NTLM) works. */
export const OPENSSL_CONF = join(import.meta.dirname, '..', '..', 'harness', 'auth', 'openssl-legacy.cnf');

export interface PywinrmResult {
  stdout: Buffer;
  stderr: Buffer;
  status: number;
  error?: string;
  /** Raw process output, for failure messages. */
  raw: string;
}

export interface PywinrmRun {
  url: string;
  transport: 'ntlm' | 'basic';
  encryption: 'auto' | 'always' | 'never';
  user: string;
  password: string;
  cmd: string;
  args?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

export function runPywinrm(o: PywinrmRun): Promise<PywinrmResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    OPENSSL_CONF,
    WPC_USER: o.user,
    WPC_PASSWORD: o.password,
    // No proxy unless the case sets one; loopback must not be bypassed by NO_PROXY defaults.
    NO_PROXY: '',
    no_proxy: '',
    ...o.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, o.url, o.transport, o.encryption, o.cmd, ...(o.args ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 20_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      const raw = `exit=${code} signal=${sig} stdout=${Buffer.concat(out).toString().slice(0, 2000)} stderr=${Buffer.concat(err).toString().slice(-2000)}`;
      const line = Buffer.concat(out).toString().trim().split('\n').at(-1) ?? '';
      let j: { std_out?: string; std_err?: string; status_code?: number; error?: string; message?: string };
      try {
        j = JSON.parse(line);
      } catch {
        resolve({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), status: -1, error: 'no JSON output', raw });
        return;
      }
      if (j.error) {
        resolve({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), status: -1, error: `${j.error}: ${j.message}`, raw });
        return;
      }
      resolve({ stdout: Buffer.from(j.std_out ?? '', 'base64'), stderr: Buffer.from(j.std_err ?? '', 'base64'), status: j.status_code ?? -1, raw });
    });
  });
}
