// The client's CredSSP with Kerberos inside (auth 'credssp', credsspMechanism 'kerberos';
// MS-CSSP §3.1.5) against the harness server and the simulated KDC: five legs on one
// connection, the AP-REQ/AP-REP inside TSRequests, then CredSSP (TLS) message encryption.

import { describe, expect, it } from 'vitest';
import { createSimKdc, type SimKdc } from '../auth/kerberos/sim-kdc.ts';
import { SeededRandom } from '../net/random.ts';
import type { Network } from '../net/types.ts';
import { EPOCH_MS } from '../server/negotiate-deps.ts';
import type { WinrmServerOptions } from '../server/types.ts';
import { clientError, onSim, onTcp, text, USER, type World, type WorldOptions } from './test-support.ts';
import { type WinrmClientOptions } from './types.ts';

const REALM = 'WPC.TEST';
const SERVICE = { name: 'HTTP/localhost', password: 'svc-Pw-2' };
const OTHER = { name: 'HTTP/elsewhere', password: 'other-Pw-3' };
const KRB = { principal: SERVICE.name, password: SERVICE.password, realm: REALM };
const SERVER: Partial<WinrmServerOptions> = { auth: ['negotiate', 'credssp'], kerberos: KRB };
const LEGS = ['credssp-1', 'credssp-2', 'credssp-3', 'credssp-4', 'credssp-5'];

function kdcOn(net: Network): SimKdc {
  return createSimKdc({
    realm: REALM,
    users: [{ name: USER.user, password: USER.password }],
    services: [SERVICE, OTHER],
    random: new SeededRandom(77),
    now: () => EPOCH_MS + Math.floor(net.clock.now()), // tcp clocks have fractional ms
  });
}

function client(w: World, kdc: SimKdc, extra: Partial<WinrmClientOptions> = {}) {
  return w.client({ auth: 'credssp', credsspMechanism: 'kerberos', kerberos: { realm: REALM, kdc: kdc.send, service: SERVICE.name }, ...extra });
}

async function session(w: World, viaProxy: boolean) {
  const kdc = kdcOn(w.net);
  const c = client(w, kdc, viaProxy ? { proxy: { accessType: 'ProxyIEConfig', url: `http://${w.proxyServer}` } } : {});
  const out = await c.runCommand('echo', ['credssp-kerberos']);
  return {
    out: text(out.stdout),
    steps: c.exchanges.map((e) => e.step),
    statuses: c.exchanges.slice(0, 5).map((e) => e.status),
    conns: new Set(c.exchanges.map((e) => e.conn)).size,
    handshakes: c.handshakes,
    kdcLog: [...kdc.log],
    audit: w.server.audit.entries.map((a) => [a.kind, a.scheme ?? '', a.mechanism ?? '', a.identity ?? '', a.encrypted ?? '']),
    serverConns: new Set(w.server.audit.entries.map((a) => a.conn)).size,
  };
}

function expectSession(r: Awaited<ReturnType<typeof session>>) {
  expect(r.out).toContain('credssp-kerberos');
  expect(r.steps.slice(0, 6)).toEqual([...LEGS, 'Create']);
  expect(r.statuses).toEqual([401, 401, 401, 401, 200]);
  expect(r.conns).toBe(1);
  expect(r.serverConns).toBe(1);
  expect(r.handshakes).toBe(1);
  expect(r.kdcLog).toEqual(['AS-REQ', 'AS-REQ+PA-ENC-TIMESTAMP', 'TGS-REQ']);
  // Legs 1-2 are TLS (no mechanism yet); from the AP-REQ on the audit says Kerberos.
  expect(r.audit.slice(0, 5)).toEqual([
    ['auth-leg', 'credssp', '', '', ''],
    ['auth-leg', 'credssp', '', '', ''],
    ['auth-leg', 'credssp', 'kerberos', '', ''],
    ['auth-leg', 'credssp', 'kerberos', '', ''],
    ['auth-complete', 'credssp', 'kerberos', 'alice@WPC.TEST', ''],
  ]);
  expect(r.audit.slice(5).every(([kind, scheme, , id, enc]) => kind === 'wsman' && scheme === 'credssp' && id === 'alice@WPC.TEST' && enc === true)).toBe(true);
}

const PROXIED: WorldOptions = { server: SERVER, proxy: { faults: [] } };

describe('client CredSSP with Kerberos inside', () => {
  it('authenticates in five legs on one connection (sim), then runs encrypted WS-Man', async () => {
    expectSession(await onSim((w) => session(w, false), { server: SERVER }));
  });

  it('runs through the reference proxy on sim and on tcp (node:tls) with the same steps and audit', async () => {
    const sim = await onSim((w) => session(w, true), PROXIED);
    const tcp = await onTcp((w) => session(w, true), PROXIED);
    expectSession(sim);
    expect(tcp).toEqual(sim);
  }, 20_000);

  it('is deterministic on sim: the same seed gives the same trace', async () => {
    const run = () => onSim(async (w) => (await session(w, true), w.net.trace.events.map((e) => JSON.stringify(e))), PROXIED);
    expect(await run()).toEqual(await run());
  });

  it('refuses a ticket for another service principal: access-denied, audited as wrong-service', async () => {
    const r = await onSim(async (w) => {
      const c = client(w, kdcOn(w.net), { kerberos: { realm: REALM, kdc: kdcOn(w.net).send, service: OTHER.name } });
      return { e: await clientError(c.identify()), audit: w.server.audit.entries };
    }, { server: SERVER });
    expect(r.e.code).toBe('access-denied');
    const last = r.audit.at(-1)!;
    expect(last).toMatchObject({ kind: 'auth-failed', scheme: 'credssp', mechanism: 'kerberos' });
    expect(last.reason).toMatch(/logon-failure: Kerberos wrong-service/);
    expect(JSON.stringify(r.audit)).not.toContain(USER.password);
  });

  it('refuses an expired ticket: access-denied, audited as expired', async () => {
    const r = await onSim(async (w) => {
      const c = client(w, kdcOn(w.net));
      return { e: await clientError(c.identify()), audit: w.server.audit.entries };
      // The server's calendar 11 h ahead of the KDC's: the 10 h ticket has expired there.
    }, { server: { ...SERVER, kerberos: { ...KRB, now: () => EPOCH_MS + 11 * 3600_000 } } });
    expect(r.e.code).toBe('access-denied');
    expect(r.audit.at(-1)).toMatchObject({ kind: 'auth-failed', mechanism: 'kerberos' });
    expect(r.audit.at(-1)!.reason).toMatch(/Kerberos expired/);
  });

  it('fails with access-denied on a wrong password (the KDC refuses) before any TSRequest reaches the server', async () => {
    const r = await onSim(async (w) => {
      const c = client(w, kdcOn(w.net), { password: 'wrong-password' });
      return { e: await clientError(c.identify()), audit: w.server.audit.entries };
    }, { server: SERVER });
    expect(r.e.code).toBe('access-denied');
    expect(r.e.message).not.toContain('wrong-password');
    expect(r.audit.map((a) => a.kind)).toEqual(['auth-leg', 'auth-leg']); // the TLS legs only
  });

  it('leaves NTLM inside CredSSP unchanged on a server that also holds Kerberos keys', async () => {
    const r = await onSim(async (w) => {
      const c = w.client({ auth: 'credssp' });
      await c.identify();
      return w.server.audit.entries.slice(0, 5).map((a) => [a.kind, a.mechanism ?? '', a.identity ?? '']);
    }, { server: SERVER });
    expect(r).toEqual([
      ['auth-leg', '', ''],
      ['auth-leg', '', ''],
      ['auth-leg', 'ntlm', ''],
      ['auth-leg', 'ntlm', ''],
      ['auth-complete', 'ntlm', 'WINRM-SIM\\alice'],
    ]);
  });

  it('needs the kerberos settings', async () => {
    await onSim(async (w) => {
      expect(() => w.client({ auth: 'credssp', credsspMechanism: 'kerberos' })).toThrow(/needs the kerberos option/);
    });
  });
});
