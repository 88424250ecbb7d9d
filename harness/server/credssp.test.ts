// The server's CredSSP (MS-CSSP §3.1.5 over HTTP, PROTOCOL.md; MS-WSMV §2.2.9.1.3 encryption)
// driven by raw HTTP and the harness's CredSspClient: on sim (deterministic TLS stand-in) and
// on tcp (node:tls).

import { describe, expect, it } from 'vitest';
import { CredSspClient } from '../auth/credssp/client.ts';
import { nodeTls } from '../auth/credssp/node-tls.ts';
import { simTlsEngines } from '../auth/credssp/sim-tls.ts';
import type { TlsEngineFactory } from '../auth/credssp/tls-engine.ts';
import { decryptCredSspMessage, encryptCredSspMessage } from '../encryption/credssp.ts';
import { SeededRandom, TcpNetwork } from '../net/index.ts';
import { generateIdentity } from '../net/tcp/identity.ts';
import { getHeader, getHeaders, type HttpResponse } from '../wire/index.ts';
import { command, createShell, identify, parseResponse, receive } from '../wsman/index.ts';
import { startWinrmServer } from './server.ts';
import type { RawHttp } from './test-http.ts';
import { HOST, USER, fixtureOn, onSim, type Fixture } from './test-fixture.ts';
import { SOAP_CT, b64 } from './test-winrm.ts';

const TO = 'http://127.0.0.1:5985/wsman';
const CREDSSP = { auth: ['negotiate', 'credssp'] as Array<'negotiate' | 'credssp'> };

function credSspToken(res: HttpResponse): Uint8Array | undefined {
  const v = getHeaders(res.headers, 'www-authenticate').find((h) => /^CredSSP\s+\S/i.test(h));
  return v ? new Uint8Array(Buffer.from(v.split(/\s+/)[1], 'base64')) : undefined;
}

/** pywinrm's CredSSP handshake: empty POSTs carrying `Authorization: CredSSP`, until the 200. */
async function credSspHandshake(http: RawHttp, client: CredSspClient): Promise<HttpResponse[]> {
  const legs: HttpResponse[] = [];
  let inToken: Uint8Array | undefined;
  for (let i = 0; i < 8; i++) {
    let step;
    try {
      step = await client.step(inToken);
    } catch {
      return legs; // the client read the server's refusal (errorCode) and gave up
    }
    const res = await http.post([['Authorization', `CredSSP ${b64(step.token!)}`]]);
    legs.push(res);
    if (res.status !== 401) return legs;
    inToken = credSspToken(res);
    if (!inToken || step.done) return legs;
  }
  return legs;
}

function clientOf(f: Fixture, tls: TlsEngineFactory, password = USER.password): CredSspClient {
  return new CredSspClient({ user: USER.user, password, random: f.random, tls });
}

async function sealedCall(http: RawHttp, client: CredSspClient, xml: string): Promise<{ res: HttpResponse; sentType: string; xml: string }> {
  const sealed = await encryptCredSspMessage(client.tls, new TextEncoder().encode(xml));
  const res = await http.post([['Content-Type', sealed.contentType]], sealed.body);
  const ct = getHeader(res.headers, 'content-type');
  const text = res.body.length ? new TextDecoder().decode(await decryptCredSspMessage(client.tls, ct, res.body)) : '';
  return { res, sentType: sealed.contentType, xml: text };
}

/** Challenge, handshake, an encrypted Identify, then a 40 KB command echoed back (multi-encrypted both ways). */
async function session(f: Fixture, tls: TlsEngineFactory) {
  const http = await f.open();
  const challenge = await http.post([]);
  const client = clientOf(f, tls);
  const legs = await credSspHandshake(http, client);
  const id = await sealedCall(http, client, identify({ to: TO, messageId: 'uuid:00000000-0000-4000-8000-000000000001' }));
  let n = 1;
  const o = () => ({ to: TO, messageId: `uuid:00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
  const shellId = parseResponse((await sealedCall(http, client, createShell(o()))).xml).shellId!;
  const big = 'x'.repeat(40 * 1024);
  const cmd = await sealedCall(http, client, command(shellId, 'echo', [big], o()));
  const rcv = await sealedCall(http, client, receive(shellId, parseResponse(cmd.xml).commandId!, o()));
  const stdout = Buffer.concat(
    (parseResponse(rcv.xml).streams ?? []).filter((s) => s.name === 'stdout').map((s) => Buffer.from(s.data)),
  ).toString();
  return { challenge, legs, id, cmd, rcv, stdout, big, audit: [...f.server.audit.entries] };
}

describe('server CredSSP', () => {
  it('offers CredSSP in the 401 and completes five legs on one connection, each audited, then serves encrypted bodies (40 KB round trip) on sim', async () => {
    const out = await onSim((f) => session(f, simTlsEngines(f.random.fork('tls'))), CREDSSP);
    expect(getHeaders(out.challenge.headers, 'www-authenticate')).toEqual(['Negotiate', 'CredSSP']);
    expect(out.legs.map((r) => r.status)).toEqual([401, 401, 401, 401, 200]);
    const auth = out.audit.slice(1, 6);
    expect(auth.map((e) => [e.kind, e.scheme, e.status])).toEqual([
      ['auth-leg', 'credssp', 401],
      ['auth-leg', 'credssp', 401],
      ['auth-leg', 'credssp', 401],
      ['auth-leg', 'credssp', 401],
      ['auth-complete', 'credssp', 200],
    ]);
    expect(auth[4].identity).toBe('WINRM-SIM\\alice');
    expect(new Set(out.audit.map((e) => e.conn)).size).toBe(1);
    expect(out.id.res.status).toBe(200);
    expect(getHeader(out.id.res.headers, 'content-type')).toContain('protocol="application/HTTP-CredSSP-session-encrypted"');
    expect(out.id.xml).toContain('IdentifyResponse');
    expect(out.cmd.sentType).toMatch(/^multipart\/x-multi-encrypted;/);
    expect(getHeader(out.rcv.res.headers, 'content-type')).toMatch(/^multipart\/x-multi-encrypted;/);
    expect(out.stdout).toBe(`${out.big}\r\n`);
    expect(out.audit.slice(6).every((e) => e.kind === 'wsman' && e.encrypted === true && e.scheme === 'credssp')).toBe(true);
  });

  it('runs the same session over node:tls on tcp, with the same audit shape', async () => {
    const identity = await generateIdentity('winrm-tcp');
    const net = new TcpNetwork();
    const server = await startWinrmServer(net, { host: HOST, httpPort: 0, identity, users: [USER], random: new SeededRandom(5), ...CREDSSP });
    try {
      const out = await session(fixtureOn(net, server, new SeededRandom(6)), nodeTls());
      expect(out.legs.map((r) => r.status)).toEqual([401, 401, 401, 401, 200]);
      expect(out.audit.map((e) => e.kind)).toEqual(['challenge', 'auth-leg', 'auth-leg', 'auth-leg', 'auth-leg', 'auth-complete', 'wsman', 'wsman', 'wsman', 'wsman']);
      expect(out.stdout).toBe(`${out.big}\r\n`);
    } finally {
      await server.close();
      await net.shutdown();
    }
  });

  it('answers a wrong password with 401 and audits auth-failed with the reason', async () => {
    const { legs, audit } = await onSim(async (f) => {
      const http = await f.open();
      const legs = await credSspHandshake(http, clientOf(f, simTlsEngines(f.random.fork('tls')), 'not-the-password'));
      return { legs, audit: [...f.server.audit.entries] };
    }, CREDSSP);
    expect(legs.at(-1)!.status).toBe(401);
    const last = audit.at(-1)!;
    expect(last).toMatchObject({ kind: 'auth-failed', scheme: 'credssp', status: 401 });
    expect(last.reason).toMatch(/logon-failure/);
    expect(last.reason).not.toContain('not-the-password');
  });

  it('refuses (401) a CredSSP token on another connection than the one that started the exchange', async () => {
    const { res, audit } = await onSim(async (f) => {
      const a = await f.open();
      const client = clientOf(f, simTlsEngines(f.random.fork('tls')));
      const hello = await client.step();
      const r1 = await a.post([['Authorization', `CredSSP ${b64(hello.token!)}`]]);
      const leg2 = await client.step(credSspToken(r1));
      const b = await f.open();
      const res = await b.post([['Authorization', `CredSSP ${b64(leg2.token!)}`]]);
      return { res, audit: [...f.server.audit.entries] };
    }, CREDSSP);
    expect(res.status).toBe(401);
    expect(audit.map((e) => e.kind)).toEqual(['auth-leg', 'auth-failed']);
    expect(audit[0].conn).not.toBe(audit[1].conn);
    expect(audit[1].reason).toMatch(/tls-failed/);
  });

  it('answers a clear body after CredSSP with 500 and Connection: close (AllowUnencrypted=false)', async () => {
    const { res, closed } = await onSim(async (f) => {
      const http = await f.open();
      await credSspHandshake(http, clientOf(f, simTlsEngines(f.random.fork('tls'))));
      const res = await http.post([['Content-Type', SOAP_CT]], identify());
      await http.closedP;
      return { res, closed: http.closed };
    }, CREDSSP);
    expect(res.status).toBe(500);
    expect(getHeader(res.headers, 'connection')).toBe('close');
    expect(closed).toBe(true);
  });

  it('does not offer or accept CredSSP unless configured', async () => {
    const { challenge, res } = await onSim(async (f) => {
      const http = await f.open();
      const challenge = await http.post([]);
      const hello = await clientOf(f, simTlsEngines(f.random.fork('tls'))).step();
      const res = await http.post([['Authorization', `CredSSP ${b64(hello.token!)}`]]);
      return { challenge, res };
    });
    expect(getHeaders(challenge.headers, 'www-authenticate')).toEqual(['Negotiate']);
    expect(res.status).toBe(401);
    expect(credSspToken(res)).toBeUndefined();
  });
});
