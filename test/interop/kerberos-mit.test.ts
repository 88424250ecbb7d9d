// MIT Kerberos interop: kinit + pykerberos (GSS-API over MIT libkrb5, what requests-kerberos
// 0.12 and pywinrm use) as initiator against the harness acceptor, and as acceptor of the
// harness client's AP-REQ; RFC 4121 wrap tokens both ways.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64, utf8 } from '../../harness/auth/bytes.ts';
import { KerberosAcceptor } from '../../harness/auth/kerberos/acceptor.ts';
import { KerberosClient } from '../../harness/auth/kerberos/client.ts';
import { startKdc, type RunningKdc } from '../../harness/drivers/kdc/kdc.ts';

const SCRIPT = fileURLToPath(new URL('./kerberos_gss.py', import.meta.url));
const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) };
const now = () => Date.now();
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** One pykerberos process, driven by JSON lines; every answer awaited at most 10 s. */
class Gss {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private waiter?: () => void;
  constructor(env: Record<string, string>) {
    this.proc = spawn('/usr/bin/python3', [SCRIPT], { env: { PATH: process.env.PATH ?? '', ...env } });
    createInterface({ input: this.proc.stdout }).on('line', (l) => {
      this.lines.push(l);
      this.waiter?.();
    });
  }
  async call(cmd: Record<string, string>): Promise<Record<string, unknown>> {
    this.proc.stdin.write(JSON.stringify(cmd) + '\n');
    const deadline = Date.now() + 10_000;
    while (this.lines.length === 0) {
      if (Date.now() > deadline) throw new Error(`no answer from pykerberos to ${cmd.op}`);
      await new Promise<void>((r) => {
        this.waiter = r;
        setTimeout(r, 200);
      });
    }
    return JSON.parse(this.lines.shift()!) as Record<string, unknown>;
  }
  close(): void {
    this.proc.kill('SIGKILL');
  }
}

function kinit(kdc: RunningKdc): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = execFile('kinit', [kdc.users[0].principal], { env: { PATH: process.env.PATH ?? '', ...kdc.env }, timeout: 10_000 }, (err, _o, stderr) =>
      err ? reject(new Error(`kinit failed: ${stderr}`)) : resolve(),
    );
    p.stdin?.end(`${kdc.users[0].password}\n`);
  });
}

describe('MIT GSS-API (pykerberos) against the harness Kerberos code', () => {
  let kdc: RunningKdc;
  const procs: Gss[] = [];
  const gss = () => {
    const g = new Gss(kdc.env);
    procs.push(g);
    return g;
  };
  beforeAll(async () => {
    kdc = await startKdc();
    await kinit(kdc);
  });
  afterAll(async () => {
    for (const p of procs) p.close();
    await kdc?.stop();
  });

  it('MIT initiator → harness acceptor: AP-REQ accepted, AP-REP accepted by MIT, wrap tokens both ways', async () => {
    const g = gss();
    const init = await g.call({ op: 'init', spn: 'HTTP@localhost' });
    expect(init.error).toBeUndefined();
    const acceptor = new KerberosAcceptor({ keytab: kdc.keytab(), random, now });
    const r = acceptor.accept(b64(init.token as string));
    if (!r.ok) throw new Error(r.reason);
    expect(r.client).toBe('wpc-user@WPC.TEST');
    expect(r.mutual).toBe(true);
    const step = await g.call({ op: 'step', token: base64(r.reply) });
    expect(step).toEqual({ complete: true });

    // MIT gss_wrap (sealed) → harness unwrap.
    const msg = '<s:Envelope>from MIT</s:Envelope>';
    const w = await g.call({ op: 'wrap', data: Buffer.from(msg).toString('base64') });
    expect(Buffer.from(r.session.unwrap(b64(w.token as string))).toString()).toBe(msg);
    // Harness wrap (sealed, then rotated as WinRM does) → MIT gss_unwrap.
    for (const rrc of [0, 28]) {
      const back = `<s:Envelope>from the harness, rrc ${rrc}</s:Envelope>`;
      const u = await g.call({ op: 'unwrap', token: base64(r.session.wrap(utf8(back), { rrc })) });
      expect(Buffer.from(u.data as string, 'base64').toString()).toBe(back);
    }
    // The WinRM header/data split is the same token.
    const split = r.session.wrapWinrm(utf8('winrm body'));
    const u2 = await g.call({ op: 'unwrap', token: Buffer.concat([split.header, split.data]).toString('base64') });
    expect(Buffer.from(u2.data as string, 'base64').toString()).toBe('winrm body');
  });

  it('the harness acceptor refuses a replay of the MIT AP-REQ', async () => {
    const g = gss();
    const token = b64((await g.call({ op: 'init', spn: 'HTTP@localhost' })).token as string);
    const acceptor = new KerberosAcceptor({ keytab: kdc.keytab(), random, now });
    expect(acceptor.accept(token).ok).toBe(true);
    expect(acceptor.accept(token)).toMatchObject({ ok: false, code: 'replay' });
  });

  it('harness initiator → MIT acceptor (keytab): AP-REQ accepted, MIT AP-REP verified by the harness', async () => {
    const c = new KerberosClient({ principal: kdc.users[0].principal, password: kdc.users[0].password, kdc: kdc.kdcAddress, service: 'HTTP/localhost', random, now });
    const token = await c.initSecContext();
    const a = await gss().call({ op: 'accept', spn: 'HTTP@localhost', token: base64(token) });
    expect(a.error).toBeUndefined();
    expect(a.user).toBe('wpc-user@WPC.TEST');
    c.acceptReply(b64(a.token as string));
    expect(c.complete).toBe(true);
    expect(c.session.acceptorSubkey).toBe(true);
  });

  it('the MIT acceptor rejects a harness AP-REQ whose authenticator was tampered with', async () => {
    const c = new KerberosClient({ principal: kdc.users[0].principal, password: kdc.users[0].password, kdc: kdc.kdcAddress, service: 'HTTP/localhost', random, now });
    const token = await c.initSecContext();
    token[token.length - 5] ^= 0x40;
    const a = await gss().call({ op: 'accept', spn: 'HTTP@localhost', token: base64(token) });
    expect(String(a.error)).toMatch(/GSSError/);
  });
});
