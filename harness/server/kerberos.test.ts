// The server's Kerberos (issue 6; PROTOCOL.md "Kerberos (pywinrm)") on sim: one leg with the
// AP-REQ, AP-REP on the answer, the connection authenticated afterwards, Kerberos message
// encryption, and the failures the audit log names.

import { describe, expect, it } from 'vitest';
import { KerberosClient } from '../auth/kerberos/client.ts';
import { createSimKdc, type SimKdc } from '../auth/kerberos/sim-kdc.ts';
import { SPNEGO_ENCRYPTED_PROTOCOL } from '../encryption/content-type.ts';
import { decryptKerberosMessage, encryptKerberosMessage, KERBEROS_ENCRYPTED_PROTOCOL, kerberosProtocolOf } from '../encryption/kerberos.ts';
import { SeededRandom } from '../net/random.ts';
import type { Network } from '../net/types.ts';
import { getHeader, getHeaders, type HttpResponse } from '../wire/index.ts';
import { identify } from '../wsman/index.ts';
import { EPOCH_MS } from './negotiate-deps.ts';
import { USER, onSim, type Fixture } from './test-fixture.ts';
import type { RawHttp } from './test-http.ts';
import { SOAP_CT, b64 } from './test-winrm.ts';
import type { WinrmServerOptions } from './types.ts';

const REALM = 'WPC.TEST';
const SERVICE = { name: 'HTTP/localhost', password: 'svc-Pw-1' };
const KRB: Partial<WinrmServerOptions> = {
  auth: ['negotiate', 'kerberos'],
  kerberos: { principal: SERVICE.name, password: SERVICE.password, realm: REALM, services: [SERVICE.name] },
};

function kdcOn(net: Network, seed = 5, ticketLifetimeMs?: number): SimKdc {
  return createSimKdc({
    realm: REALM,
    users: [{ name: USER.user, password: USER.password }],
    services: [SERVICE, { name: 'WSMAN/localhost', password: 'other-Pw' }],
    random: new SeededRandom(seed),
    now: () => EPOCH_MS + net.clock.now(),
    ...(ticketLifetimeMs ? { ticketLifetimeMs } : {}),
  });
}

function clientOn(f: Fixture, kdc: SimKdc, o: { service?: string; spnego?: boolean } = {}): KerberosClient {
  return new KerberosClient({
    principal: `${USER.user}@${REALM}`,
    password: USER.password,
    kdc: kdc.send,
    service: o.service ?? SERVICE.name,
    random: f.random,
    now: () => EPOCH_MS + f.net.clock.now(),
    ...(o.spnego ? { spnego: true } : {}),
  });
}

function replyToken(res: HttpResponse, scheme = 'Negotiate'): Uint8Array | undefined {
  const v = getHeaders(res.headers, 'www-authenticate').find((h) => h.toLowerCase().startsWith(`${scheme.toLowerCase()} `));
  return v ? new Uint8Array(Buffer.from(v.slice(scheme.length + 1), 'base64')) : undefined;
}

async function sealedIdentify(http: RawHttp, client: KerberosClient, protocol: string): Promise<{ res: HttpResponse; xml: string }> {
  const sealed = encryptKerberosMessage(client.session, new TextEncoder().encode(identify()), { protocol });
  const res = await http.post([['Content-Type', sealed.contentType]], sealed.body);
  const ct = getHeader(res.headers, 'content-type');
  const xml = kerberosProtocolOf(ct) ? new TextDecoder().decode(decryptKerberosMessage(client.session, ct, res.body)) : '';
  return { res, xml };
}

describe('server Kerberos', () => {
  it('offers Negotiate and Kerberos in the 401 when Kerberos is configured', async () => {
    const res = await onSim(async (f) => (await f.open()).post([]), KRB);
    expect(res.status).toBe(401);
    expect(getHeaders(res.headers, 'www-authenticate')).toEqual(['Negotiate', 'Kerberos']);
  });

  it('accepts a raw AP-REQ in Negotiate in one leg, puts the AP-REP on the 200, then serves encrypted requests on that connection only', async () => {
    const r = await onSim(async (f) => {
      const kdc = kdcOn(f.net);
      const client = clientOn(f, kdc);
      const http = await f.open();
      const leg = await http.post([['Authorization', `Negotiate ${b64(await client.initSecContext())}`]]);
      const token = replyToken(leg);
      client.acceptReply(token!);
      const first = await sealedIdentify(http, client, SPNEGO_ENCRYPTED_PROTOCOL);
      const second = await sealedIdentify(http, client, KERBEROS_ENCRYPTED_PROTOCOL);
      const other = await (await f.open()).post([['Content-Type', SOAP_CT]], identify());
      const notes = f.net.trace.events.filter((e) => e.kind === 'note').map((e) => (e as { text: string }).text);
      return { leg, first, second, other, audit: f.server.audit.entries, notes };
    }, KRB);
    expect(r.notes).toContain('authenticated alice@WPC.TEST by kerberos / Kerberos (AP-REQ)');
    expect(r.leg.status).toBe(200);
    expect(r.first.res.status).toBe(200);
    expect(r.first.xml).toContain('IdentifyResponse');
    // The answer uses the request's protocol name (pywinrm accepts only HTTP-SPNEGO-session-encrypted).
    expect(kerberosProtocolOf(getHeader(r.first.res.headers, 'content-type'))).toBe(SPNEGO_ENCRYPTED_PROTOCOL);
    expect(kerberosProtocolOf(getHeader(r.second.res.headers, 'content-type'))).toBe(KERBEROS_ENCRYPTED_PROTOCOL);
    expect(r.second.xml).toContain('IdentifyResponse');
    expect(r.other.status).toBe(401);
    expect(r.audit.map((e) => [e.kind, e.status, e.scheme, e.identity, e.encrypted])).toEqual([
      ['auth-complete', 200, 'kerberos', 'alice@WPC.TEST', undefined],
      ['wsman', 200, 'kerberos', 'alice@WPC.TEST', true],
      ['wsman', 200, 'kerberos', 'alice@WPC.TEST', true],
      ['challenge', 401, undefined, undefined, undefined],
    ]);
    expect(new Set(r.audit.slice(0, 3).map((e) => e.conn)).size).toBe(1);
  });

  it('accepts SPNEGO under the Kerberos scheme and answers in that scheme with an accept-completed token', async () => {
    const r = await onSim(async (f) => {
      const client = clientOn(f, kdcOn(f.net), { spnego: true });
      const http = await f.open();
      const leg = await http.post([['Authorization', `Kerberos ${b64(await client.initSecContext())}`]]);
      client.acceptReply(replyToken(leg, 'Kerberos')!);
      return { leg, next: await sealedIdentify(http, client, KERBEROS_ENCRYPTED_PROTOCOL), complete: client.complete, audit: f.server.audit.entries };
    }, KRB);
    expect(r.leg.status).toBe(200);
    expect(r.audit[0]).toMatchObject({ kind: 'auth-complete', mechanism: 'Kerberos in SPNEGO (AP-REQ)' });
    expect(replyToken(r.leg, 'Negotiate')).toBeUndefined();
    expect(r.complete).toBe(true);
    expect(r.next.xml).toContain('IdentifyResponse');
  });

  it('refuses a replayed AP-REQ and a ticket for another service with 401 Negotiate, reason only in the audit log', async () => {
    const r = await onSim(async (f) => {
      const kdc = kdcOn(f.net, 9);
      const token = b64(await clientOn(f, kdc).initSecContext());
      const ok = await (await f.open()).post([['Authorization', `Negotiate ${token}`]]);
      const replay = await (await f.open()).post([['Authorization', `Negotiate ${token}`]]);
      const wrong = clientOn(f, kdc, { service: 'WSMAN/localhost' });
      const wrongService = await (await f.open()).post([['Authorization', `Negotiate ${b64(await wrong.initSecContext())}`]]);
      return { ok, replay, wrongService, audit: f.server.audit.entries };
    }, KRB);
    expect(r.ok.status).toBe(200);
    for (const res of [r.replay, r.wrongService]) {
      expect(res.status).toBe(401);
      expect(getHeaders(res.headers, 'www-authenticate')).toEqual(['Negotiate', 'Kerberos']);
      expect(res.body.length).toBe(0);
    }
    const failed = r.audit.filter((e) => e.kind === 'auth-failed');
    expect(failed.map((e) => [e.scheme, e.reason?.split(':')[0]])).toEqual([
      ['kerberos', 'replay'],
      ['kerberos', 'wrong-service'],
    ]);
    expect(failed.every((e) => !e.reason?.includes(SERVICE.password) && !e.reason?.includes(USER.password))).toBe(true);
  });

  it("refuses an expired ticket (the server's calendar is past its end time plus the skew)", async () => {
    let net: Network | undefined;
    const r = await onSim(
      async (f) => {
        net = f.net;
        const kdc = kdcOn(f.net, 11, 60_000); // tickets live 60 s
        const token = b64(await clientOn(f, kdc).initSecContext());
        const res = await (await f.open()).post([['Authorization', `Negotiate ${token}`]]);
        return { res, audit: f.server.audit.entries };
      },
      { ...KRB, kerberos: { ...KRB.kerberos!, now: () => EPOCH_MS + 20 * 60_000 + (net?.clock.now() ?? 0) } },
    );
    expect(r.res.status).toBe(401);
    expect(r.audit[0]).toMatchObject({ kind: 'auth-failed', scheme: 'kerberos' });
    expect(r.audit[0].reason).toMatch(/^expired: /);
  });

  it('still completes NTLM inside Negotiate when Kerberos is offered too', async () => {
    const { authenticate } = await import('./test-winrm.ts');
    const r = await onSim(async (f) => {
      const { legs } = await authenticate(await f.open(), { ...USER, random: f.random });
      return { legs, audit: f.server.audit.entries };
    }, KRB);
    expect(r.legs.map((l) => l.status)).toEqual([401, 200]);
    expect(r.audit[1]).toMatchObject({ kind: 'auth-complete', scheme: 'negotiate' });
  });

  it('refuses to start with kerberos in auth but no keys', async () => {
    await expect(onSim(async () => 0, { auth: ['kerberos'] })).rejects.toThrow(/kerberos needs/);
  });
});
