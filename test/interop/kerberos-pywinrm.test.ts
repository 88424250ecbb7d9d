// pywinrm 0.3.0 `transport='kerberos'` end to end against a minimal Negotiate/Kerberos HTTP
// endpoint built here from the harness acceptor and the ShellService (the real `wpc serve`
// hook is the server's to make; this test shows the exact HTTP behaviour it needs):
//   request with `Authorization: Negotiate <AP-REQ>` → accept → 200 with
//   `WWW-Authenticate: Negotiate <AP-REP>` (mutual auth, required by pywinrm); later requests on
//   the same connection carry no Authorization; a request without it on an unauthenticated
//   connection → 401 `WWW-Authenticate: Negotiate`.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KerberosAcceptor } from '../../harness/auth/kerberos/acceptor.ts';
import { startKdc, type RunningKdc } from '../../harness/drivers/kdc/kdc.ts';
import type { Clock } from '../../harness/net/types.ts';
import { ShellService } from '../../harness/server/shell-service.ts';

const SCRIPT = fileURLToPath(new URL('./kerberos_pywinrm.py', import.meta.url));
const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) };
let timerId = 0;
const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const h = setTimeout(fn, ms);
    return { id: ++timerId, h } as unknown as { id: number };
  },
  clearTimeout: (handle) => clearTimeout((handle as unknown as { h: NodeJS.Timeout }).h),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

function run(cmd: string, args: string[], env: Record<string, string>, input?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = execFile(cmd, args, { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (e, out, err) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err }),
    );
    if (input !== undefined) p.stdin?.end(input);
  });
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

describe('pywinrm transport=kerberos against the harness Kerberos acceptor', () => {
  let kdc: RunningKdc;
  let server: Server;
  let port = 0;
  const log: string[] = [];

  beforeAll(async () => {
    kdc = await startKdc();
    const k = await run('kinit', [kdc.users[0].principal], kdc.env, `${kdc.users[0].password}\n`);
    if (k.code !== 0) throw new Error(`kinit: ${k.err}`);
    const acceptor = new KerberosAcceptor({ keytab: kdc.keytab(), random, now: () => Date.now(), services: ['HTTP/localhost'] });
    const shells = new ShellService({ clock, hostname: 'localhost', maxOperationTimeoutMs: 5_000, seed: 'krb' });
    const authed = new WeakMap<Socket, string>();
    server = createServer(async (req, res) => {
      const xml = (await body(req)).toString('utf8');
      const auth = req.headers.authorization;
      const headers: Record<string, string> = {};
      if (auth?.startsWith('Negotiate ')) {
        const r = acceptor.accept(new Uint8Array(Buffer.from(auth.slice(10), 'base64')));
        log.push(r.ok ? 'negotiate-ok' : `negotiate-fail:${r.reason}`);
        if (!r.ok) {
          res.writeHead(401, { 'WWW-Authenticate': 'Negotiate', 'Content-Length': '0' }).end();
          return;
        }
        authed.set(req.socket, r.client);
        headers['WWW-Authenticate'] = `Negotiate ${Buffer.from(r.reply).toString('base64')}`;
      } else if (!authed.has(req.socket)) {
        log.push('401');
        res.writeHead(401, { 'WWW-Authenticate': 'Negotiate', 'Content-Length': '0' }).end();
        return;
      } else log.push('same-connection');
      const ctype = req.headers['content-type'] ?? '';
      if (ctype.startsWith('multipart/')) throw new Error('encrypted bodies are not expected from pywinrm 0.3.0 + pykerberos 1.1.14');
      const out = await shells.serve(xml, { identity: authed.get(req.socket)!, cancelled: new AbortController().signal });
      const payload = Buffer.from(out?.xml ?? '', 'utf8');
      res.writeHead(out?.status ?? 500, { ...headers, 'Content-Type': 'application/soap+xml;charset=UTF-8', 'Content-Length': String(payload.length) }).end(payload);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server?.closeAllConnections();
    await kdc?.stop();
  });

  it('runs a command: preemptive AP-REQ, AP-REP verified by requests-kerberos, then the same connection', async () => {
    const r = await run('/usr/bin/python3', [SCRIPT, `http://127.0.0.1:${port}/wsman`, kdc.users[0].principal, 'localhost', 'auto', 'echo', 'kerberos-ok'], kdc.env);
    const res = JSON.parse(r.out.trim().split('\n').pop() ?? '{}') as { std_out?: string; status_code?: number; encrypted?: boolean; error?: string; message?: string };
    expect(res.error, `${res.message}\n${r.err}`).toBeUndefined();
    expect(Buffer.from(res.std_out!, 'base64').toString()).toContain('kerberos-ok');
    expect(res.status_code).toBe(0);
    // pykerberos 1.1.14 (Debian) lacks authGSSWinRMEncryptMessage: pywinrm sends plaintext SOAP.
    expect(res.encrypted).toBe(false);
    expect(log[0]).toBe('negotiate-ok');
    expect(log.filter((l) => l.startsWith('negotiate-fail'))).toEqual([]);
    expect(log).toContain('same-connection');
  });

  it("message_encryption='always' is refused by pywinrm itself with this pykerberos", async () => {
    const r = await run('/usr/bin/python3', [SCRIPT, `http://127.0.0.1:${port}/wsman`, kdc.users[0].principal, 'localhost', 'always', 'echo', 'x'], kdc.env);
    const res = JSON.parse(r.out.trim().split('\n').pop() ?? '{}') as { error?: string; message?: string };
    expect(res.error).toBe('WinRMError');
    expect(res.message).toMatch(/does not support it/);
  });
});
