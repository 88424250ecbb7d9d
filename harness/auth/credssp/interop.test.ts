// Interop: our CredSspServer against a CredSSP client made of independent parts on this
// machine (pyOpenSSL TLS, ntlm-auth 1.4.0 NTLM, pyasn1 DER, pywinrm 0.3.0 encryption.py); see
// interop_credssp_client.py. requests-credssp itself is not packaged by Debian.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TlsIdentity } from '../../net/types.ts';
import { decryptCredSspMessage, encryptCredSspMessage } from '../../encryption/credssp.ts';
import type { CredSspServer } from './server.ts';
import { makeServer, testIdentities } from './test-support.ts';

const SCRIPT = fileURLToPath(new URL('./interop_credssp_client.py', import.meta.url));
const OPENSSL_CONF = fileURLToPath(new URL('../openssl-legacy.cnf', import.meta.url));

interface Run {
  legs: number;
  result?: CredSspServer['result'];
  decrypted?: Uint8Array;
  cipher?: string;
  echoed?: Uint8Array;
  stderr: string;
}

/** Serves one Python client run; every line exchange is bounded by the 20 s kill timer. */
function serve(server: CredSspServer, args: string[], response: Uint8Array): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', [SCRIPT, ...args], { env: { PATH: '/usr/bin:/bin', OPENSSL_CONF } });
    const run: Run = { legs: 0, stderr: '' };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('python CredSSP client timed out'));
    }, 20_000);
    child.stderr.on('data', (d) => (run.stderr += d));
    const lines = createInterface({ input: child.stdout });
    let chain = Promise.resolve();
    lines.on('line', (line) => {
      chain = chain.then(async () => {
        const [kind, payload] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
        if (kind === 'token') {
          run.legs++;
          const r = await server.step(new Uint8Array(Buffer.from(payload, 'base64')));
          run.result = r.result;
          // A refusal with a token (TSRequest.errorCode) goes to the client like any answer.
          if (r.done && !r.token) child.stdin.write(r.result?.ok ? 'done ok\n' : `done fail ${r.result?.ok === false ? r.result.reason : ''}\n`);
          else child.stdin.write(`token ${Buffer.from(r.token!).toString('base64')}\n`);
        } else if (kind === 'body') {
          const m = JSON.parse(payload) as { contentType: string; body: string; cipher: string };
          run.cipher = m.cipher;
          run.decrypted = await decryptCredSspMessage(server.tls, m.contentType, new Uint8Array(Buffer.from(m.body, 'base64')));
          const enc = await encryptCredSspMessage(server.tls, response);
          child.stdin.write(`body ${JSON.stringify({ contentType: enc.contentType, body: Buffer.from(enc.body).toString('base64') })}\n`);
        } else if (kind === 'plain') {
          run.echoed = new Uint8Array(Buffer.from(payload, 'base64'));
        }
      }).catch((e: unknown) => {
        child.kill('SIGKILL');
        reject(e instanceof Error ? e : new Error(String(e)));
      });
    });
    child.on('close', () => {
      clearTimeout(timer);
      void chain.then(() => resolve(run));
    });
  });
}

let ids: { server: TlsIdentity };
beforeAll(async () => {
  ids = await testIdentities();
});

const body = (n: number) => new TextEncoder().encode(('<s:Envelope>' + 'x'.repeat(n)).slice(0, n));

describe('interop with a pyOpenSSL + ntlm-auth + pyasn1 CredSSP client and pywinrm encryption', () => {
  it('version 6: five legs, the server learns the user, and 16 KiB+ bodies cross both ways', async () => {
    const server = makeServer(ids.server);
    const response = body(20_000);
    const run = await serve(server, ['vagrant', 'Vagrant!2024', 'WORKGROUP', '6', '40000'], response);
    expect(run.stderr).toBe('');
    expect(run.legs).toBe(5);
    expect(server.result).toEqual({ ok: true, user: 'vagrant', domain: 'WORKGROUP' });
    expect(run.cipher).toMatch(/GCM/);
    expect(run.decrypted).toEqual(body(40_000));
    expect(run.echoed).toEqual(response);
    server.close();
  });

  it('version 3 (requests-credssp 0.x style: the key itself as binding, key+1 back)', async () => {
    const server = makeServer(ids.server);
    const run = await serve(server, ['vagrant', 'Vagrant!2024', '.', '3', '100'], body(50));
    expect(run.stderr).toBe('');
    expect(server.result).toMatchObject({ ok: true, user: 'vagrant' });
    expect(run.echoed).toEqual(body(50));
    server.close();
  });

  it('a wrong password is refused at the NTLM leg and the client is told', async () => {
    const server = makeServer(ids.server);
    const run = await serve(server, ['vagrant', 'nope', 'WORKGROUP', '6', '10'], body(10));
    expect(server.result).toMatchObject({ ok: false, reason: 'logon-failure', ntlm: 'wrong-response' });
    expect(run.legs).toBe(4);
    expect(run.stderr).toContain('server error 0xc000006d');
    server.close();
  });
});
