// The client's CredSSP (auth: 'credssp'): empty-bodied legs on one connection until the 200,
// then CredSSP-encrypted WS-Man (MS-WSMV §2.2.9.1.3), on sim (TLS stand-in) and tcp (node:tls).

import { describe, expect, it } from 'vitest';
import { clientError, onSim, onTcp, text, type World } from './test-support.ts';

const CREDSSP_SERVER = { server: { auth: ['negotiate', 'credssp'] as Array<'negotiate' | 'credssp'> } };
const LEGS = ['credssp-1', 'credssp-2', 'credssp-3', 'credssp-4', 'credssp-5'];

async function session(w: World) {
  const c = w.client({ auth: 'credssp' });
  const id = await c.identify();
  const big = 'y'.repeat(40 * 1024);
  const echo = await c.runCommand('echo', [big]);
  return {
    vendor: id.productVendor,
    echoed: text(echo.stdout) === `${big}\r\n`,
    steps: c.exchanges.map((e) => e.step),
    statuses: c.exchanges.map((e) => e.status),
    conns: new Set(c.exchanges.map((e) => e.conn)).size,
    handshakes: c.handshakes,
    audit: w.server.audit.entries.map((a) => [a.kind, a.scheme ?? '', a.encrypted ?? '']),
    serverConns: new Set(w.server.audit.entries.map((a) => a.conn)).size,
  };
}

describe('client CredSSP', () => {
  it('authenticates in five legs on one connection, then runs encrypted WS-Man with a 40 KB body on sim', async () => {
    const r = await onSim(session, CREDSSP_SERVER);
    expect(r.vendor).toBe('Microsoft Corporation');
    expect(r.echoed).toBe(true);
    expect(r.steps.slice(0, 6)).toEqual([...LEGS, 'Identify']);
    expect(r.statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 200]);
    expect(r.conns).toBe(1);
    expect(r.serverConns).toBe(1);
    expect(r.handshakes).toBe(1);
    expect(r.audit.slice(0, 5).map((a) => a[0])).toEqual(['auth-leg', 'auth-leg', 'auth-leg', 'auth-leg', 'auth-complete']);
    expect(r.audit.slice(5).every(([kind, scheme, enc]) => kind === 'wsman' && scheme === 'credssp' && enc === true)).toBe(true);
  });

  it('is deterministic on sim: the same seed gives the same trace', async () => {
    const run = () => onSim(async (w) => (await session(w), w.net.trace.events.map((e) => JSON.stringify(e))), CREDSSP_SERVER);
    expect(await run()).toEqual(await run());
  });

  it('gives the same steps on tcp (node:tls) as on sim', async () => {
    const [sim, tcp] = [await onSim(session, CREDSSP_SERVER), await onTcp(session, CREDSSP_SERVER)];
    expect(tcp.echoed).toBe(true);
    expect(tcp).toEqual(sim);
  }, 20_000);

  it('fails with access-denied on a wrong password, and the server audits why', async () => {
    const r = await onSim(async (w) => {
      const e = await clientError(w.client({ auth: 'credssp', password: 'wrong' }).identify());
      return { e, audit: w.server.audit.entries };
    }, CREDSSP_SERVER);
    expect(r.e.code).toBe('access-denied');
    expect(r.audit.at(-1)).toMatchObject({ kind: 'auth-failed', scheme: 'credssp' });
    expect(r.audit.at(-1)!.reason).toMatch(/logon-failure/);
  });

  it('fails with access-denied against a server that does not offer CredSSP', async () => {
    const e = await onSim((w) => clientError(w.client({ auth: 'credssp' }).identify()));
    expect(e.code).toBe('access-denied');
  });

  it('authenticates again on a new connection after the server closed an idle one (as for Negotiate)', async () => {
    const r = await onSim(
      async (w) => {
        const c = w.client({ auth: 'credssp' });
        await c.identify();
        await w.net.clock.sleep(2000); // the server's idle timeout (1 s) closes the connection
        await c.identify();
        return { steps: c.exchanges.map((e) => e.step), conns: [...new Set(c.exchanges.map((e) => e.conn))], handshakes: c.handshakes };
      },
      { server: { ...CREDSSP_SERVER.server, idleTimeoutMs: 1000 } },
    );
    expect(r.steps).toEqual([...LEGS, 'Identify', ...LEGS, 'Identify']);
    expect(r.conns).toHaveLength(2);
    expect(r.handshakes).toBe(2);
  });

  it('runs through the reference proxy with every leg on one server connection', async () => {
    const r = await onSim(
      async (w) => {
        const c = w.client({ auth: 'credssp', proxy: { accessType: 'ProxyIEConfig', url: `http://${w.proxyServer}` } });
        await c.identify();
        return { steps: c.exchanges.map((e) => e.step), serverConns: new Set(w.server.audit.entries.map((a) => a.conn)).size };
      },
      { ...CREDSSP_SERVER, proxy: {} },
    );
    expect(r.steps).toEqual([...LEGS, 'Identify']);
    expect(r.serverConns).toBe(1);
  });
});
