// Interop with the real client library on this machine: ntlm-auth 1.4.0 under /usr/bin/python3
// (the NTLM behind pywinrm 0.3.0 / requests-ntlm 1.1.0) against our NtlmServer.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXED_FILETIME, seededRandom } from '../test-support.ts';
import { decodeAuthenticate } from './authenticate-message.ts';
import { decodeNegotiate } from './negotiate-message.ts';
import { NtlmServer } from './server.ts';
import { userDb } from './user-db.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./interop_ntlm_auth.py', import.meta.url));
const OPENSSL_CONF = fileURLToPath(new URL('../openssl-legacy.cnf', import.meta.url));

interface Run {
  type1: Uint8Array;
  type3: Uint8Array;
  serverResult: ReturnType<NtlmServer['acceptAuthenticate']>;
  clientUnsealed?: string;
  serverUnsealed?: string;
}

function runPython(user: string, password: string, domain: string, server: NtlmServer, reply: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, user, password, domain, '<s:Envelope/>'], {
      env: { PATH: '/usr/bin:/bin', OPENSSL_CONF },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('python interop timed out'));
    }, 15_000);
    let buf = '';
    let stderr = '';
    const run: Partial<Run> = {};
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const [kind, b64] = buf.slice(0, nl).split(' ');
        buf = buf.slice(nl + 1);
        const data = new Uint8Array(Buffer.from(b64, 'base64'));
        if (kind === 'type1') {
          run.type1 = data;
          child.stdin.write(Buffer.from(server.acceptNegotiate(data)).toString('base64') + '\n');
        } else if (kind === 'type3') {
          run.type3 = data;
          run.serverResult = server.acceptAuthenticate(data);
          if (!run.serverResult.ok) {
            child.kill();
            clearTimeout(timer);
            resolve(run as Run);
            return;
          }
        } else if (kind === 'sealed' && run.serverResult?.ok) {
          const session = run.serverResult.session;
          run.serverUnsealed = new TextDecoder().decode(session.unseal(data.subarray(16), data.subarray(0, 16)));
          const w = session.seal(new TextEncoder().encode(reply));
          child.stdin.write(Buffer.concat([w.signature, w.sealed]).toString('base64') + '\n');
        } else if (kind === 'plain') {
          run.clientUnsealed = new TextDecoder().decode(data);
        }
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (run.serverResult && (!run.serverResult.ok || run.clientUnsealed !== undefined)) resolve(run as Run);
      else reject(new Error(`python exited ${code}: ${stderr.slice(-500)}`));
    });
  });
}

// python3-ntlm-auth is installed on this machine kind (PROTOCOL.md "Real clients").
describe('interop with ntlm-auth 1.4.0 (pywinrm’s NTLM)', () => {
  const users = userDb([{ user: 'vagrant', password: 'Pa55w.rd', domain: 'WINRM-SIM' }, { user: 'admin', password: 'xyzzy' }]);
  const newServer = () => new NtlmServer({ users, random: seededRandom('interop'), nowFiletime: () => FIXED_FILETIME });

  it('accepts the OEM handshake requests-ntlm sends (Type 1 flags 0xe2889032) and both sides seal/unseal', async () => {
    const run = await runPython('vagrant', 'Pa55w.rd', 'WINRM-SIM', newServer(), '<s:Envelope>reply</s:Envelope>');
    expect(decodeNegotiate(run.type1).flags >>> 0).toBe(0xe2889032);
    expect(run.serverResult).toMatchObject({ ok: true, user: 'vagrant', domain: 'WINRM-SIM' });
    expect(decodeAuthenticate(run.type3).mic).toBeDefined();
    expect(run.serverUnsealed).toBe('<s:Envelope/>');
    expect(run.clientUnsealed).toBe('<s:Envelope>reply</s:Envelope>');
  });

  it('accepts an empty domain (user without DOMAIN\\ prefix)', async () => {
    const run = await runPython('admin', 'xyzzy', '', newServer(), 'ok');
    expect(run.serverResult).toMatchObject({ ok: true, user: 'admin', domain: '' });
    expect(run.clientUnsealed).toBe('ok');
  });

  it('rejects ntlm-auth with a wrong password', async () => {
    const run = await runPython('vagrant', 'wrong', 'WINRM-SIM', newServer(), '');
    expect(run.serverResult).toMatchObject({ ok: false, reason: 'wrong-response' });
  });
});
