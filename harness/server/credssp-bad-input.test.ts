// Bad CredSSP input through the WinRM server over HTTP (MS-CSSP §3.1.5, PROTOCOL.md): a TLS
// handshake cut mid-way or played out of order, a pubKeyAuth that is not over the server's key
// (an intercepting proxy that terminates the client's inner TLS with its own certificate), and
// tokens that are not base64 or not TLS. Each is answered 401 as WinRM answers, audited as
// auth-failed with the CredSSP reason, leaves the connection unauthenticated, and the server
// keeps serving. On sim (deterministic TLS stand-in) and on tcp (node:tls).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredSspClient } from '../auth/credssp/client.ts';
import { CredSspError, NtStatus } from '../auth/credssp/errors.ts';
import { nodeTls } from '../auth/credssp/node-tls.ts';
import { simTlsEngines } from '../auth/credssp/sim-tls.ts';
import { CredSspTls } from '../auth/credssp/tls-channel.ts';
import type { TlsEngineFactory } from '../auth/credssp/tls-engine.ts';
import { decodeTsRequest, encodeTsRequest } from '../auth/credssp/ts-request.ts';
import { CREDSSP_ENCRYPTED_CONTENT_TYPE, decryptCredSspMessage, encryptCredSspMessage } from '../encryption/credssp.ts';
import { SeededRandom, TcpNetwork } from '../net/index.ts';
import { simIdentity } from '../net/sim/identity.ts';
import { generateIdentity } from '../net/tcp/identity.ts';
import type { TlsIdentity } from '../net/types.ts';
import { getHeader, getHeaders, type HttpResponse } from '../wire/index.ts';
import { identify } from '../wsman/index.ts';
import { startWinrmServer } from './server.ts';
import type { RawHttp } from './test-http.ts';
import { HOST, USER, fixtureOn, onSim, type Fixture } from './test-fixture.ts';
import { SOAP_CT, b64 } from './test-winrm.ts';
import type { AuditEntry, WinrmServer } from './types.ts';

const CREDSSP = { auth: ['negotiate', 'credssp'] as Array<'negotiate' | 'credssp'> };
const CHALLENGES = ['Negotiate', 'CredSSP'];

function credSspToken(res: HttpResponse): Uint8Array | undefined {
  const v = getHeaders(res.headers, 'www-authenticate').find((h) => /^CredSSP\s+\S/i.test(h));
  return v ? new Uint8Array(Buffer.from(v.split(/\s+/)[1], 'base64')) : undefined;
}

const credSspLeg = (http: RawHttp, token: Uint8Array): Promise<HttpResponse> => http.post([['Authorization', `CredSSP ${b64(token)}`]]);

function clientOf(f: Fixture, tls: TlsEngineFactory): CredSspClient {
  return new CredSspClient({ user: USER.user, password: USER.password, random: f.random, tls });
}

/** A whole CredSSP handshake (empty POSTs, as pywinrm), then an encrypted Identify: the server still serves. */
async function servesAnother(f: Fixture, tls: TlsEngineFactory): Promise<{ statuses: number[]; identify: string }> {
  const http = await f.open();
  const client = clientOf(f, tls);
  const statuses: number[] = [];
  let inToken: Uint8Array | undefined;
  for (let i = 0; i < 8 && !client.done; i++) {
    const step = await client.step(inToken);
    const res = await credSspLeg(http, step.token!);
    statuses.push(res.status);
    if (res.status !== 401) break;
    inToken = credSspToken(res);
  }
  const sealed = await encryptCredSspMessage(client.tls, new TextEncoder().encode(identify()));
  const res = await http.post([['Content-Type', sealed.contentType]], sealed.body);
  const xml = new TextDecoder().decode(await decryptCredSspMessage(client.tls, getHeader(res.headers, 'content-type'), res.body));
  http.close();
  return { statuses, identify: `${res.status} ${xml.includes('IdentifyResponse') ? 'IdentifyResponse' : xml.slice(0, 80)}` };
}

/** A clear and a "sealed" body without Authorization: an unauthenticated connection is challenged (401, the scheme list). */
async function afterwards(http: RawHttp, sealedWith?: CredSspTls): Promise<HttpResponse[]> {
  const plain = await http.post([['Content-Type', SOAP_CT]], identify());
  let sealed: HttpResponse;
  if (sealedWith) {
    const s = await encryptCredSspMessage(sealedWith, new TextEncoder().encode(identify()));
    sealed = await http.post([['Content-Type', s.contentType]], s.body);
  } else {
    const junk = `--Encrypted Boundary\r\n\tContent-Type: application/HTTP-CredSSP-session-encrypted\r\n\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=10\r\n--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n${'\u0017'.repeat(40)}--Encrypted Boundary--\r\n`;
    sealed = await http.post([['Content-Type', CREDSSP_ENCRYPTED_CONTENT_TYPE]], junk);
  }
  return [plain, sealed];
}

function expectChallenged(responses: HttpResponse[]): void {
  for (const r of responses) {
    expect(r.status).toBe(401);
    expect(getHeaders(r.headers, 'www-authenticate')).toEqual(CHALLENGES);
    expect(r.body.length).toBe(0);
  }
}

/** No request on the audit log was served or completed authentication, and no entry carries an identity. */
function expectNothingServed(audit: readonly AuditEntry[]): void {
  expect(audit.filter((e) => e.kind === 'wsman' || e.kind === 'auth-complete' || e.kind === 'anonymous-identify')).toEqual([]);
  expect(audit.filter((e) => e.identity !== undefined)).toEqual([]);
}

/** A refusal (MS-CSSP §3.1.5 over HTTP): 401, empty, still naming CredSSP (the challenge list or the server's error token). */
function expectRefused(r: HttpResponse): void {
  expect(r.status).toBe(401);
  expect(r.body.length).toBe(0);
  expect(getHeaders(r.headers, 'www-authenticate').some((h) => /^CredSSP\b/i.test(h))).toBe(true);
}

const since = (f: Fixture, from: number): AuditEntry[] => f.server.audit.entries.slice(from);

// ---- 1. The TLS handshake cut mid-way, or played out of order ------------------------------

/** One audited CredSSP refusal: auth-failed, 401, scheme credssp, with the reason it names. */
function expectAuthFailed(e: AuditEntry | undefined, reason: RegExp): void {
  expect(e).toMatchObject({ kind: 'auth-failed', status: 401, scheme: 'credssp' });
  expect(e!.reason).toMatch(reason);
}

/** Leg 1 whole, leg 2 (the client's Finished flight) cut in half; then the rest of the flight. */
async function cutMidway(f: Fixture, tls: TlsEngineFactory) {
  const from = f.server.audit.entries.length;
  const http = await f.open();
  const client = clientOf(f, tls);
  const r1 = await credSspLeg(http, (await client.step()).token!);
  const flight = (await client.step(credSspToken(r1))).token!;
  const half = Math.floor(flight.length / 2);
  const cut = await credSspLeg(http, flight.subarray(0, half));
  // The rest of the flight reaches a fresh acceptor: the failed one died (credssp-context.ts).
  const rest = await credSspLeg(http, flight.subarray(half));
  const after = await afterwards(http);
  const audit = since(f, from);
  return { r1, cut, rest, after, audit, other: await servesAnother(f, tls) };
}

function checkCutMidway(o: Awaited<ReturnType<typeof cutMidway>>, restReason: RegExp): void {
  expect(o.r1.status).toBe(401);
  expectRefused(o.cut);
  expectRefused(o.rest);
  expect(o.audit.map((e) => e.kind)).toEqual(['auth-leg', 'auth-failed', 'auth-failed', 'challenge', 'challenge']);
  expectAuthFailed(o.audit[1], /^CredSSP tls-incomplete: /);
  expectAuthFailed(o.audit[2], restReason);
  expect(new Set(o.audit.map((e) => e.conn)).size).toBe(1);
  expectChallenged(o.after);
  expectNothingServed(o.audit);
  expect(o.other).toEqual({ statuses: [401, 401, 401, 401, 200], identify: '200 IdentifyResponse' });
}

/** The client stops after leg 1, sends an encrypted WS-Man body, then its ClientHello again. */
async function stopAfterLeg1(f: Fixture, tls: TlsEngineFactory) {
  const from = f.server.audit.entries.length;
  const http = await f.open();
  const client = clientOf(f, tls);
  const hello = (await client.step()).token!;
  const r1 = await credSspLeg(http, hello);
  const [, encrypted] = await afterwards(http);
  const again = await credSspLeg(http, hello);
  const after = await afterwards(http);
  const audit = since(f, from);
  return { r1, encrypted, again, after, audit, other: await servesAnother(f, tls) };
}

function checkStopAfterLeg1(o: Awaited<ReturnType<typeof stopAfterLeg1>>): void {
  expect(o.r1.status).toBe(401);
  expect(credSspToken(o.r1)).toBeDefined();
  // A body on a connection that has not finished authenticating is challenged, never decrypted.
  expectChallenged([o.encrypted]);
  expectRefused(o.again);
  expect(o.audit.map((e) => e.kind)).toEqual(['auth-leg', 'challenge', 'challenge', 'auth-failed', 'challenge', 'challenge']);
  expectAuthFailed(o.audit[3], /^CredSSP tls-failed: /);
  expectChallenged(o.after);
  expectNothingServed(o.audit);
  expect(o.other).toEqual({ statuses: [401, 401, 401, 401, 200], identify: '200 IdentifyResponse' });
}

/** TLS completes, then the first TSRequest carries TSCredentials (authInfo) instead of the NTLM NEGOTIATE. */
async function credentialsFirst(f: Fixture, tls: TlsEngineFactory) {
  const from = f.server.audit.entries.length;
  const http = await f.open();
  const client = clientOf(f, tls);
  const r1 = await credSspLeg(http, (await client.step()).token!);
  const r2 = await credSspLeg(http, (await client.step(credSspToken(r1))).token!);
  // Take the server's Finished below the client's state machine, to write our own first TSRequest.
  await client.tls.engine.receive(credSspToken(r2)!);
  const established = client.tls.established;
  const early = await client.tls.wrap(encodeTsRequest({ version: 6, authInfo: new Uint8Array(48).fill(0x41) }));
  const r3 = await credSspLeg(http, early);
  const answer = credSspToken(r3);
  const errorCode = answer ? decodeTsRequest(await client.tls.unwrap(answer)).errorCode : undefined;
  const after = await afterwards(http, client.tls);
  const audit = since(f, from);
  return { established, r3, errorCode, after, audit, other: await servesAnother(f, tls) };
}

function checkCredentialsFirst(o: Awaited<ReturnType<typeof credentialsFirst>>): void {
  expect(o.established).toBe(true);
  expectRefused(o.r3);
  // MS-CSSP §2.2.1: the refusal is a TSRequest with errorCode inside the TLS session.
  expect(o.errorCode).toBe(NtStatus.OUT_OF_SEQUENCE);
  expect(o.audit.map((e) => e.kind)).toEqual(['auth-leg', 'auth-leg', 'auth-failed', 'challenge', 'challenge']);
  expectAuthFailed(o.audit[2], /^CredSSP out-of-order: /);
  // Even a body sealed in the (client's still established) CredSSP TLS session is challenged.
  expectChallenged(o.after);
  expectNothingServed(o.audit);
  expect(o.other).toEqual({ statuses: [401, 401, 401, 401, 200], identify: '200 IdentifyResponse' });
}

// ---- 2. pubKeyAuth that does not match the certificate: an intercepting proxy --------------

/**
 * An HTTP-level interceptor (as mitm.test.ts's, over the server's HTTP): it terminates the
 * client's inner CredSSP TLS with its own identity, runs its own CredSSP TLS to the server in
 * `Authorization: CredSSP` legs on one connection, and relays the plaintext TSRequests.
 */
class HttpInterceptor {
  readonly front: CredSspTls;
  readonly back: CredSspTls;
  relayed = 0;
  readonly responses: HttpResponse[] = [];

  constructor(
    private readonly http: RawHttp,
    front: TlsEngineFactory,
    back: TlsEngineFactory,
    identity: TlsIdentity,
  ) {
    this.front = new CredSspTls(front.server(identity));
    this.back = new CredSspTls(back.client());
  }

  async post(token: Uint8Array): Promise<HttpResponse> {
    const res = await credSspLeg(this.http, token);
    this.responses.push(res);
    return res;
  }

  async connectBack(): Promise<void> {
    await this.back.engine.start();
    let t = this.back.engine.takeOutput();
    for (let leg = 0; !this.back.established && leg < 4; leg++) {
      await this.back.engine.receive(credSspToken(await this.post(t))!);
      t = this.back.engine.takeOutput();
    }
  }

  /** One client leg; the token for the client, or none when the server's answer carried none. */
  async leg(token: Uint8Array): Promise<Uint8Array | undefined> {
    if (!this.front.established) {
      await this.front.engine.receive(token);
      return this.front.engine.takeOutput();
    }
    const plain = await this.front.unwrap(token);
    this.relayed++;
    const answer = credSspToken(await this.post(await this.back.wrap(plain)));
    return answer ? this.front.wrap(await this.back.unwrap(answer)) : undefined;
  }

  close(): void {
    this.front.close();
    this.back.close();
  }
}

async function intercepted(f: Fixture, tls: { client: TlsEngineFactory; front: TlsEngineFactory; back: TlsEngineFactory }, mitmIdentity: TlsIdentity) {
  const from = f.server.audit.entries.length;
  const http = await f.open();
  const mitm = new HttpInterceptor(http, tls.front, tls.back, mitmIdentity);
  try {
    await mitm.connectBack();
    const client = clientOf(f, tls.client);
    let step = await client.step();
    let error: unknown;
    let credentialsSent = false;
    for (let leg = 0; leg < 8 && !error; leg++) {
      const t = await mitm.leg(step.token!);
      if (!t) break;
      try {
        step = await client.step(t);
        if (step.done) credentialsSent = true; // leg 5: TSCredentials
      } catch (e) {
        error = e;
      }
    }
    const failedAt = mitm.responses.length;
    // The interceptor pushes on with a TSRequest in its own TLS session: the server's acceptor
    // died with the failure, so the token reaches a fresh one and is refused.
    const pushOn = await mitm.post(await mitm.back.wrap(encodeTsRequest({ version: 6, authInfo: new Uint8Array(48).fill(0x41) })));
    const after = await afterwards(http, mitm.back);
    const audit = since(f, from);
    return { statuses: mitm.responses.slice(0, failedAt).map((r) => r.status), relayed: mitm.relayed, error, credentialsSent, pushOn, after, audit };
  } finally {
    mitm.close();
  }
}

function checkIntercepted(o: Awaited<ReturnType<typeof intercepted>>): void {
  // Two legs of the interceptor's own TLS, NEGOTIATE, then AUTHENTICATE + pubKeyAuth: refused.
  expect(o.statuses).toEqual([401, 401, 401, 401]);
  expect(o.relayed).toBe(2);
  expect(o.audit.slice(0, 4).map((e) => [e.kind, e.scheme, e.status])).toEqual([
    ['auth-leg', 'credssp', 401],
    ['auth-leg', 'credssp', 401],
    ['auth-leg', 'credssp', 401],
    ['auth-failed', 'credssp', 401],
  ]);
  expect(o.audit[3].reason).toMatch(/^CredSSP pubkey-mismatch: /);
  expect(o.audit[3].mechanism).toBe('ntlm');
  // The server's errorCode reached the client (relayed): it stops before delegating anything.
  expect(o.error).toBeInstanceOf(CredSspError);
  expect((o.error as CredSspError).reason).toBe('peer-error');
  expect((o.error as CredSspError).detail.status).toBe(NtStatus.BAD_BINDINGS);
  expect(o.credentialsSent).toBe(false);
  expectRefused(o.pushOn);
  expect(o.audit[4]).toMatchObject({ kind: 'auth-failed', scheme: 'credssp', status: 401 });
  expect(o.audit[4].reason).toMatch(/^CredSSP tls-failed: /);
  expectChallenged(o.after);
  expect(o.audit.slice(5).map((e) => e.kind)).toEqual(['challenge', 'challenge']);
  expectNothingServed(o.audit);
}

// ---- 3. Tokens that are not base64, or not TLS ---------------------------------------------

/** Bad `Authorization: CredSSP` values on one connection; then a whole handshake on that same connection. */
async function garbage(f: Fixture, tls: TlsEngineFactory) {
  const from = f.server.audit.entries.length;
  const http = await f.open();
  const values = [
    'CredSSP !!not*base64!!',
    'CredSSP',
    'CredSSP QUJDRA', // unpadded base64 of 4 bytes ("ABCD"): decodes, but is less than a TLS record header
    `CredSSP ${b64(new TextEncoder().encode('GET /wsman HTTP/1.1\r\nHost: x\r\n\r\n'))}`,
    `CredSSP ${b64(new Uint8Array([0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0, 1, 0, 0, 0, 0x97, 0x82, 0x08, 0xe2]))}`, // an NTLM NEGOTIATE under CredSSP
  ];
  const responses: HttpResponse[] = [];
  for (const v of values) responses.push(await http.post([['Authorization', v]]));
  const after = await afterwards(http);
  const audit = since(f, from);
  // The same connection can still authenticate from the start.
  const fresh = clientOf(f, tls);
  const statuses: number[] = [];
  let inToken: Uint8Array | undefined;
  for (let i = 0; i < 8 && !fresh.done; i++) {
    const res = await credSspLeg(http, (await fresh.step(inToken)).token!);
    statuses.push(res.status);
    if (res.status !== 401) break;
    inToken = credSspToken(res);
  }
  return { responses, after, audit, statuses, other: await servesAnother(f, tls) };
}

function checkGarbage(o: Awaited<ReturnType<typeof garbage>>): void {
  expect(o.responses.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
  o.responses.forEach(expectRefused);
  const failed = o.audit.slice(0, 5);
  for (const e of failed) expect(e).toMatchObject({ kind: 'auth-failed', status: 401, scheme: 'credssp' });
  expect(failed[0].reason).toBe('CredSSP token is not base64');
  expect(failed[1].reason).toBe('CredSSP token is not base64');
  // 'QUJDRA' is 4 bytes ("ABCD"): too short for a record header, it waits for the rest.
  expect(failed[2].reason).toMatch(/^CredSSP tls-(incomplete|failed): /);
  expect(failed[3].reason).toMatch(/^CredSSP tls-failed: /);
  expect(failed[4].reason).toMatch(/^CredSSP tls-failed: /);
  expectChallenged(o.after);
  expectNothingServed(o.audit);
  expect(o.statuses).toEqual([401, 401, 401, 401, 200]);
  expect(o.other).toEqual({ statuses: [401, 401, 401, 401, 200], identify: '200 IdentifyResponse' });
}

// ---- sim ------------------------------------------------------------------------------------

const simTls = (f: Fixture, label: string) => simTlsEngines(f.random.fork(label));

describe('server CredSSP bad input (sim)', () => {
  it('a TLS flight cut mid-way: 401, audited tls-incomplete; the rest of it tls-failed; never served; the server keeps serving', async () => {
    checkCutMidway(await onSim((f) => cutMidway(f, simTls(f, 'tls')), CREDSSP), /^CredSSP tls-failed: /);
  });

  it('a client that stops after leg 1: its encrypted body is challenged, its ClientHello again is tls-failed (401, audited)', async () => {
    checkStopAfterLeg1(await onSim((f) => stopAfterLeg1(f, simTls(f, 'tls')), CREDSSP));
  });

  it('TSCredentials before the NTLM exchange: 401 with errorCode OUT_OF_SEQUENCE, audited out-of-order; a sealed body is then challenged', async () => {
    checkCredentialsFirst(await onSim((f) => credentialsFirst(f, simTls(f, 'tls')), CREDSSP));
  });

  it('an intercepting proxy with its own identity: 401, audited pubkey-mismatch, nothing delegated or served', async () => {
    const o = await onSim(
      (f) => intercepted(f, { client: simTls(f, 'tls'), front: simTls(f, 'mitm-front'), back: simTls(f, 'mitm-back') }, simIdentity('intercepting-proxy')),
      CREDSSP,
    );
    checkIntercepted(o);
  });

  it('garbage base64 and non-TLS bytes in Authorization: CredSSP: 401 each, audited; the connection and the server go on', async () => {
    checkGarbage(await onSim((f) => garbage(f, simTls(f, 'tls')), CREDSSP));
  });
});

// ---- tcp (node:tls) -------------------------------------------------------------------------

describe('server CredSSP bad input (tcp, node:tls)', () => {
  let net: TcpNetwork;
  let server: WinrmServer;
  let mitmIdentity: TlsIdentity;
  let seed = 100;
  const fixture = () => fixtureOn(net, server, new SeededRandom(++seed));

  beforeAll(async () => {
    const [identity, mitm] = await Promise.all([generateIdentity('winrm-tcp'), generateIdentity('intercepting-proxy')]);
    mitmIdentity = mitm;
    net = new TcpNetwork();
    server = await startWinrmServer(net, { host: HOST, httpPort: 0, identity, users: [USER], random: new SeededRandom(5), ...CREDSSP });
  });
  afterAll(async () => {
    await server?.close();
    await net?.shutdown();
  });

  it('a TLS flight cut mid-way: 401, audited tls-incomplete, never served; the server keeps serving', async () => {
    checkCutMidway(await cutMidway(fixture(), nodeTls()), /^CredSSP tls-(failed|incomplete): /);
  });

  it('a client that stops after leg 1, then sends its ClientHello again: 401, audited tls-failed', async () => {
    checkStopAfterLeg1(await stopAfterLeg1(fixture(), nodeTls()));
  });

  it('TSCredentials before the NTLM exchange: 401 with errorCode, audited out-of-order', async () => {
    checkCredentialsFirst(await credentialsFirst(fixture(), nodeTls()));
  });

  it('an intercepting proxy with its own certificate: 401, audited pubkey-mismatch, nothing delegated or served', async () => {
    checkIntercepted(await intercepted(fixture(), { client: nodeTls(), front: nodeTls(), back: nodeTls() }, mitmIdentity));
  });

  it('garbage in Authorization: CredSSP: 401 each, audited; the connection and the server go on', async () => {
    checkGarbage(await garbage(fixture(), nodeTls()));
  });
});
