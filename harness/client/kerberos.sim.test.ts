// The client's Kerberos (issue 6) on sim against the harness server and a simulated KDC:
// preemptive AP-REQ ('kerberos-1'), mutual authentication required, Kerberos message encryption.

import { describe, expect, it } from 'vitest';
import { createSimKdc, type SimKdc } from '../auth/kerberos/sim-kdc.ts';
import { SeededRandom } from '../net/random.ts';
import type { Network } from '../net/types.ts';
import { EPOCH_MS } from '../server/negotiate-deps.ts';
import type { WinrmServerOptions } from '../server/types.ts';
import { clientError, onSim, text, USER, type World } from './test-support.ts';
import { type WinrmClientOptions } from './types.ts';

const REALM = 'WPC.TEST';
const SERVICE = { name: 'HTTP/localhost', password: 'svc-Pw-2' };
const SERVER: Partial<WinrmServerOptions> = {
  auth: ['negotiate', 'kerberos'],
  kerberos: { principal: SERVICE.name, password: SERVICE.password, realm: REALM },
};

function kdcOn(net: Network): SimKdc {
  return createSimKdc({
    realm: REALM,
    users: [{ name: USER.user, password: USER.password }],
    services: [SERVICE],
    random: new SeededRandom(77),
    now: () => EPOCH_MS + net.clock.now(),
  });
}

function krbClient(w: World, kdc: SimKdc, extra: Partial<WinrmClientOptions> = {}) {
  return w.client({ auth: 'kerberos', kerberos: { realm: REALM, kdc: kdc.send, service: SERVICE.name }, ...extra });
}

describe('client Kerberos (sim)', () => {
  it('runs a command: one preemptive leg with the AP-REQ, then encrypted requests on the same connection', async () => {
    const r = await onSim(async (w) => {
      const kdc = kdcOn(w.net);
      const c = krbClient(w, kdc);
      const out = await c.runCommand('echo', ['kerberos-sim']);
      return { out, exchanges: c.exchanges, handshakes: c.handshakes, audit: w.server.audit.entries, kdcLog: [...kdc.log] };
    }, { server: SERVER });
    expect(text(r.out.stdout)).toContain('kerberos-sim');
    expect(r.handshakes).toBe(1);
    expect(r.exchanges[0]).toMatchObject({ step: 'kerberos-1', status: 200 });
    expect(r.exchanges.filter((x) => x.step.startsWith('kerberos'))).toHaveLength(1);
    expect(new Set(r.exchanges.map((x) => x.conn)).size).toBe(1);
    expect(r.kdcLog).toEqual(['AS-REQ', 'AS-REQ+PA-ENC-TIMESTAMP', 'TGS-REQ']);
    expect(r.audit[0]).toMatchObject({ kind: 'auth-complete', scheme: 'kerberos', identity: 'alice@WPC.TEST', status: 200 });
    const rest = r.audit.slice(1);
    expect(rest.length).toBeGreaterThanOrEqual(4);
    expect(rest.every((e) => e.kind === 'wsman' && e.encrypted === true && e.scheme === 'kerberos')).toBe(true);
    expect(new Set(r.audit.map((e) => e.conn)).size).toBe(1);
  });

  it('runs through the reference proxy, and with the Kerberos scheme name and SPNEGO tokens', async () => {
    const r = await onSim(async (w) => {
      const kdc = kdcOn(w.net);
      const viaProxy = krbClient(w, kdc, { proxy: { accessType: 'ProxyIEConfig', url: `http://${w.proxyServer}` } });
      const a = await viaProxy.runCommand('echo', ['via-proxy']);
      const spnego = w.client({ auth: 'kerberos', kerberos: { realm: REALM, kdc: kdc.send, service: SERVICE.name, scheme: 'Kerberos', spnego: true } });
      const b = await spnego.identify();
      return { a: text(a.stdout), b, audit: w.server.audit.entries };
    }, { server: SERVER, proxy: { faults: [] } });
    expect(r.a).toContain('via-proxy');
    expect(r.b.protocolVersion).toContain('wsman');
    expect(r.audit.filter((e) => e.kind === 'auth-complete').map((e) => e.scheme)).toEqual(['kerberos', 'kerberos']);
  });

  it('fails with access-denied when the 200 carries no AP-REP (mutual authentication is required)', async () => {
    const e = await onSim(async (w) => {
      const c = krbClient(w, kdcOn(w.net), { proxy: { accessType: 'ProxyIEConfig', url: `http://${w.proxyServer}` } });
      return clientError(c.identify());
    }, { server: SERVER, proxy: { faults: ['strip-www-authenticate'] } });
    expect(e.code).toBe('access-denied');
    expect(e.message).toMatch(/mutual authentication/);
  });

  it('fails with access-denied on a wrong password (the KDC refuses the preauthentication) and sends nothing to the server', async () => {
    const r = await onSim(async (w) => {
      const c = krbClient(w, kdcOn(w.net), { password: 'wrong-password' });
      return { e: await clientError(c.identify()), audit: w.server.audit.entries.length };
    }, { server: SERVER });
    expect(r.e.code).toBe('access-denied');
    expect(r.e.message).not.toContain('wrong-password');
    expect(r.audit).toBe(0);
  });

  it('fails with access-denied when a proxy moves the requests after the handshake to another server connection', async () => {
    const r = await onSim(async (w) => {
      const c = krbClient(w, kdcOn(w.net), { proxy: { accessType: 'ProxyIEConfig', url: `http://${w.proxyServer}` } });
      return { e: await clientError(c.identify()), audit: w.server.audit.entries };
    }, { server: SERVER, proxy: { faults: ['new-upstream-per-request'] } });
    expect(r.e.code).toBe('access-denied');
    expect(r.audit.map((e) => [e.kind, e.status])).toEqual([
      ['auth-complete', 200],
      ['challenge', 401],
    ]);
    expect(r.audit[0].conn).not.toBe(r.audit[1].conn);
  });

  it('authenticates again with a fresh AP-REQ on a new connection when the server closed the idle one', async () => {
    const r = await onSim(async (w) => {
      const c = krbClient(w, kdcOn(w.net));
      await c.identify();
      await w.net.clock.sleep(3_000); // beyond the server's idle timeout
      await c.identify();
      return { handshakes: c.handshakes, audit: w.server.audit.entries };
    }, { server: { ...SERVER, idleTimeoutMs: 2_000 } });
    expect(r.handshakes).toBe(2);
    const done = r.audit.filter((e) => e.kind === 'auth-complete');
    expect(done).toHaveLength(2);
    expect(done[0].conn).not.toBe(done[1].conn);
    expect(r.audit.filter((e) => e.kind === 'auth-failed')).toEqual([]);
  });

  it('gives the same trace for the same seed', async () => {
    const run = () =>
      onSim(async (w) => {
        await krbClient(w, kdcOn(w.net)).runCommand('echo', ['x']);
        return JSON.stringify(w.net.trace.events);
      }, { server: SERVER, seed: 4 });
    expect(await run()).toBe(await run());
  });
});
