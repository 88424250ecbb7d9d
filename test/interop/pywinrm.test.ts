// Interop with the real pywinrm 0.3.0 (Debian python3-winrm, requests-ntlm 1.1.0) against the
// simulated WinRM server on real TCP: NTLM with message encryption over HTTP, NTLM over HTTPS,
// both through the reference proxy (HTTP_PROXY / HTTPS_PROXY), and Basic. The output and the
// exit code pywinrm reports must be the simulated command's.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpNetwork, generateIdentity } from '../../harness/net/index.ts';
import { startProxy } from '../../harness/proxy/index.ts';
import type { RunningProxy } from '../../harness/proxy/index.ts';
import { startWinrmServer } from '../../harness/server/index.ts';
import type { AuditEntry, WinrmServer } from '../../harness/server/index.ts';
import { genBytes } from '../../harness/wsman/index.ts';
import { runPywinrm, type PywinrmRun } from './pywinrm.ts';

const USER = 'wpc';
const PASSWORD = 'Interop-Pw-1!';
const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) };

let net: TcpNetwork;
let server: WinrmServer; // negotiate + basic, AllowUnencrypted=false
let clear: WinrmServer; // basic, AllowUnencrypted=true
let proxy: RunningProxy;
let httpUrl: string;
let httpsUrl: string;

beforeAll(async () => {
  net = new TcpNetwork({ keepBytes: false });
  const identity = await generateIdentity('localhost');
  server = await startWinrmServer(net, {
    httpPort: 0,
    httpsPort: 0,
    identity,
    users: [{ user: USER, password: PASSWORD }],
    auth: ['negotiate', 'basic'],
    random,
  });
  clear = await startWinrmServer(net, { httpPort: 0, users: [{ user: USER, password: PASSWORD }], auth: ['basic'], allowUnencrypted: true, random, actor: 'server-clear' });
  proxy = await startProxy(net, { host: '127.0.0.1', port: 0 });
  httpUrl = `http://127.0.0.1:${server.http!.port}/wsman`;
  httpsUrl = `https://127.0.0.1:${server.https!.port}/wsman`;
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  await clear?.close();
  await net?.shutdown();
});

const run = (o: Partial<PywinrmRun> & { cmd: string }) =>
  runPywinrm({ url: httpUrl, transport: 'ntlm', encryption: 'auto', user: USER, password: PASSWORD, ...o });

/** Audit entries added while `fn` ran. */
async function audited<T>(s: WinrmServer, fn: () => Promise<T>): Promise<{ r: T; entries: AuditEntry[] }> {
  const before = s.audit.entries.length;
  const r = await fn();
  return { r, entries: s.audit.entries.slice(before) };
}

const ok = (r: { error?: string; raw: string }) => expect(r.error, r.raw).toBeUndefined();

describe('pywinrm 0.3.0 against the simulated server', () => {
  it('runs hostname, whoami, echo over HTTP with NTLM and message encryption, every WS-Man body sealed', async () => {
    const { r, entries } = await audited(server, async () => ({
      hostname: await run({ cmd: 'hostname' }),
      whoami: await run({ cmd: 'whoami' }),
      echo: await run({ cmd: 'echo', args: ['hello'] }),
    }));
    for (const x of Object.values(r)) ok(x);
    expect(r.hostname.stdout.toString()).toBe('WINRM-SIM\r\n');
    expect(r.whoami.stdout.toString()).toBe(`winrm-sim\\${USER}\r\n`);
    expect(r.echo.stdout.toString()).toBe('hello\r\n');
    expect(r.echo.status).toBe(0);
    // pywinrm's context POSTs: challenge, Type1 leg, Type3 leg with an empty body, then sealed SOAP.
    expect(entries.slice(0, 3).map((e) => e.kind)).toEqual(['challenge', 'auth-leg', 'auth-complete']);
    const wsman = entries.filter((e) => e.kind === 'wsman');
    expect(wsman.map((e) => e.action).slice(0, 5)).toEqual(['Create', 'Command', 'Receive', 'Signal', 'Delete']);
    for (const e of wsman) expect(e).toMatchObject({ encrypted: true, identity: `WINRM-SIM\\${USER}`, listener: 'http' });
    expect(wsman.filter((e) => e.commandLine !== undefined).map((e) => e.commandLine)).toEqual(['hostname', 'whoami', 'echo hello']);
  });

  it('reports the exit code (exit 3) and a 3 000 000-byte output exactly', async () => {
    const exit = await run({ cmd: 'exit', args: ['3'] });
    ok(exit);
    expect(exit.status).toBe(3);
    const gen = await run({ cmd: 'gen', args: ['3000000'], timeoutMs: 20_000 });
    ok(gen);
    expect(gen.stdout.length).toBe(3_000_000);
    expect(gen.stdout.equals(Buffer.from(genBytes(0, 3_000_000)))).toBe(true);
    expect(gen.status).toBe(0);
  });

  it('runs over HTTPS with NTLM (no message encryption inside TLS)', async () => {
    const { r, entries } = await audited(server, () => run({ url: httpsUrl, cmd: 'whoami' }));
    ok(r);
    expect(r.stdout.toString()).toBe(`winrm-sim\\${USER}\r\n`);
    const wsman = entries.filter((e) => e.kind === 'wsman' || e.kind === 'auth-complete');
    expect(wsman.length).toBeGreaterThan(0);
    for (const e of wsman) expect(e.listener).toBe('https');
    expect(entries.some((e) => e.encrypted === true)).toBe(false);
  });

  it('runs through the reference proxy over HTTP (HTTP_PROXY) and HTTPS (HTTPS_PROXY, CONNECT)', async () => {
    const proxyUrl = `http://127.0.0.1:${proxy.address.port}`;
    const viaHttp = await run({ cmd: 'echo', args: ['via-proxy'], env: { HTTP_PROXY: proxyUrl, http_proxy: proxyUrl } });
    ok(viaHttp);
    expect(viaHttp.stdout.toString()).toBe('via-proxy\r\n');
    const viaHttps = await run({ url: httpsUrl, cmd: 'exit', args: ['7'], env: { HTTPS_PROXY: proxyUrl, https_proxy: proxyUrl } });
    ok(viaHttps);
    expect(viaHttps.status).toBe(7);
    // The proxy's hops are in the trace: the client reached the server through it.
    const hops = new Set(net.trace.connections().map((c) => `${c.initiator}>${c.acceptor}`));
    expect(hops.has('proxy>server')).toBe(true);
  });

  it('takes Basic over HTTPS, and over HTTP only when AllowUnencrypted is set', async () => {
    const https = await run({ url: httpsUrl, transport: 'basic', cmd: 'whoami' });
    ok(https);
    expect(https.stdout.toString()).toBe(`winrm-sim\\${USER}\r\n`);
    const refused = await run({ transport: 'basic', encryption: 'never', cmd: 'whoami' });
    expect(refused.error).toMatch(/InvalidCredentialsError/);
    const { r: allowed, entries } = await audited(clear, () =>
      run({ url: `http://127.0.0.1:${clear.http!.port}/wsman`, transport: 'basic', encryption: 'never', cmd: 'echo', args: ['clear'] }),
    );
    ok(allowed);
    expect(allowed.stdout.toString()).toBe('clear\r\n');
    expect(entries.filter((e) => e.kind === 'wsman').every((e) => e.scheme === 'basic' && e.encrypted === false)).toBe(true);
  });
});
