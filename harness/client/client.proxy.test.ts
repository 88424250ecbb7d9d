import { describe, expect, it } from 'vitest';
import { simIdentity } from '../net/sim/identity.ts';
import { clientError, onSim, text, type World } from './test-support.ts';
import { SEED_UNENCRYPTED_PROXY } from './session.ts';

const opened = (w: World, actor: string) => w.net.trace.events.filter((e) => e.kind === 'open' && e.initiator === actor);

describe('through the reference proxy on sim', () => {
  it('HTTP: absolute-form targets with Host, the whole session on one client connection', async () => {
    const r = await onSim(
      async (w) => {
        const c = w.client({ winhttp: { proxyServer: w.proxyServer } });
        const out = await c.runCommand('whoami');
        return { out, c, opens: opened(w, 'client#1') };
      },
      { proxy: {} },
    );
    expect(text(r.out.stdout).toLowerCase()).toContain('alice');
    expect(r.c.exchanges.every((e) => e.requestLine === 'POST http://127.0.0.1:5985/wsman HTTP/1.1')).toBe(true);
    expect(r.opens).toHaveLength(1);
    expect(r.opens[0].kind === 'open' && r.opens[0].hop).toBe('client-proxy');
    expect(r.c.handshakes).toBe(1);
  });

  it('HTTPS: CONNECT with Host, TLS pinned to the server certificate, origin-form inside', async () => {
    const r = await onSim(
      async (w) => {
        const c = w.client({
          endpoint: w.httpsUrl,
          pinFingerprint256: w.server.fingerprint256,
          proxy: { accessType: 'ProxyIEConfig', url: `http://${w.proxyServer}` },
        });
        const out = await c.runCommand('whoami');
        const connect = w.net.trace.events.find((e) => e.kind === 'message' && e.actor === 'client#1' && e.dir === 'out');
        return { out, c, connect, audit: w.server.audit.entries };
      },
      { proxy: {} },
    );
    expect(text(r.out.stdout).toLowerCase()).toContain('alice');
    expect(r.c.exchanges[0]).toMatchObject({ step: 'CONNECT', requestLine: 'CONNECT 127.0.0.1:5986 HTTP/1.1', status: 200 });
    expect(r.connect?.kind === 'message' && r.connect.headers).toContainEqual(['Host', '127.0.0.1:5986']);
    expect(r.c.exchanges.slice(1).every((e) => e.requestLine === 'POST /wsman HTTP/1.1')).toBe(true);
    // Over HTTPS the SOAP is protected by TLS, not by message encryption.
    const wsman = r.audit.filter((a) => a.kind === 'wsman');
    expect(wsman.length).toBeGreaterThan(0);
    expect(wsman.every((a) => a.listener === 'https' && !a.encrypted)).toBe(true);
  });

  it('HTTPS: fails with tls when the certificate does not match the pin', async () => {
    const e = await onSim(
      async (w) =>
        clientError(
          w.client({ endpoint: w.httpsUrl, pinFingerprint256: 'ab'.repeat(32), winhttp: { proxyServer: w.proxyServer } }).identify(),
        ),
      { proxy: {} },
    );
    expect(e.code).toBe('tls');
  });

  it('HTTPS: a tls-intercepting proxy is caught by the pin', async () => {
    const e = await onSim(
      async (w) =>
        clientError(w.client({ endpoint: w.httpsUrl, pinFingerprint256: w.server.fingerprint256, winhttp: { proxyServer: w.proxyServer } }).identify()),
      { proxy: { faults: ['tls-intercept'], identity: simIdentity('intercepting-proxy') } },
    );
    expect(e.code).toBe('tls');
  });

  for (const transport of ['http', 'https'] as const) {
    it(`${transport}: answers the proxy's 407 with Basic and then succeeds; proxy credentials never reach the server`, async () => {
      const r = await onSim(
        async (w) => {
          const c = w.client({
            endpoint: transport === 'http' ? w.httpUrl : w.httpsUrl,
            pinFingerprint256: w.server.fingerprint256,
            winhttp: { proxyServer: w.proxyServer },
            proxy: { accessType: 'ProxyWinHttpConfig', auth: { scheme: 'basic', user: 'pu', password: 'pp-secret' } },
          });
          const out = await c.runCommand('whoami');
          const serverIn = w.net.trace.events.filter((e) => e.kind === 'message' && e.actor === 'server' && e.dir === 'in');
          return { out, c, serverIn };
        },
        { proxy: { proxyAuth: { user: 'pu', password: 'pp-secret' } } },
      );
      expect(text(r.out.stdout).toLowerCase()).toContain('alice');
      expect(r.c.exchanges[0].status).toBe(407);
      expect(r.c.exchanges[1].status).not.toBe(407);
      expect(r.c.exchanges.filter((e) => e.status === 407)).toHaveLength(1);
      expect(r.serverIn.length).toBeGreaterThan(0);
      for (const m of r.serverIn) if (m.kind === 'message') expect(m.headers.some(([n]) => n.toLowerCase() === 'proxy-authorization')).toBe(false);
    });

    it(`${transport}: fails with proxy-auth on a 407 when no proxy credential is configured`, async () => {
      const e = await onSim(
        async (w) =>
          clientError(
            w.client({ endpoint: transport === 'http' ? w.httpUrl : w.httpsUrl, winhttp: { proxyServer: w.proxyServer } }).identify(),
          ),
        { proxy: { proxyAuth: { user: 'pu', password: 'pp' } } },
      );
      expect(e.code).toBe('proxy-auth');
    });
  }

  it('fails with proxy-auth, saying so, when the pinned proxy scheme (Negotiate) is not offered', async () => {
    const e = await onSim(
      async (w) =>
        clientError(
          w
            .client({
              winhttp: { proxyServer: w.proxyServer },
              proxy: { accessType: 'ProxyWinHttpConfig', auth: { scheme: 'negotiate', user: 'pu', password: 'pp' } },
            })
            .identify(),
        ),
      { proxy: { proxyAuth: { user: 'pu', password: 'pp' } } },
    );
    expect(e.code).toBe('proxy-auth');
    expect(e.message).toMatch(/does not offer Negotiate \(offers: Basic\)/);
  });

  it('fails with proxy-auth when the proxy refuses the credential', async () => {
    const e = await onSim(
      async (w) =>
        clientError(
          w
            .client({
              winhttp: { proxyServer: w.proxyServer },
              proxy: { accessType: 'ProxyWinHttpConfig', auth: { scheme: 'basic', user: 'pu', password: 'nope' } },
            })
            .identify(),
        ),
      { proxy: { proxyAuth: { user: 'pu', password: 'pp' } } },
    );
    expect(e.code).toBe('proxy-auth');
    expect(e.message).not.toContain('nope');
  });
});

describe('WinRM 2.0 policy: no unencrypted WS-Man over HTTP through a proxy', () => {
  for (const variant of [{ auth: 'basic' as const }, { encryption: 'never' as const }]) {
    it(`refuses ${JSON.stringify(variant)} before sending anything, quoting the seed`, async () => {
      const r = await onSim(
        async (w) => {
          const c = w.client({ ...variant, winhttp: { proxyServer: w.proxyServer } });
          return { e: await clientError(c.runCommand('whoami')), opens: opened(w, 'client#1'), c };
        },
        { proxy: {}, server: { auth: ['negotiate', 'basic'], allowUnencrypted: true } },
      );
      expect(r.e.code).toBe('refused-unencrypted-proxy');
      expect(r.e.message).toContain(SEED_UNENCRYPTED_PROXY);
      expect(r.opens).toHaveLength(0);
      expect(r.c.exchanges).toHaveLength(0);
    });
  }

  it('sends Basic over HTTP through the proxy only with unsafeAllowUnencryptedThroughProxy (negative controls)', async () => {
    const out = await onSim(
      async (w) => w.client({ auth: 'basic', unsafeAllowUnencryptedThroughProxy: true, winhttp: { proxyServer: w.proxyServer } }).runCommand('whoami'),
      { proxy: {}, server: { auth: ['negotiate', 'basic'], allowUnencrypted: true } },
    );
    expect(text(out.stdout).toLowerCase()).toContain('alice');
  });

  it('allows unencrypted (TLS-protected) SOAP over HTTPS through the proxy, and Basic directly over HTTP', async () => {
    const r = await onSim(
      async (w) => ({
        https: await w.client({ auth: 'basic', endpoint: w.httpsUrl, winhttp: { proxyServer: w.proxyServer } }).runCommand('whoami'),
        direct: await w.client({ auth: 'basic' }).runCommand('whoami'),
      }),
      { proxy: {}, server: { auth: ['negotiate', 'basic'], allowUnencrypted: true } },
    );
    expect(text(r.https.stdout).toLowerCase()).toContain('alice');
    expect(text(r.direct.stdout).toLowerCase()).toContain('alice');
  });

  it('lets an unauthenticated Identify through the proxy (no credentials, no data)', async () => {
    const id = await onSim(async (w) => w.client({ winhttp: { proxyServer: w.proxyServer } }).identify({ unauthenticated: true }), {
      proxy: {},
    });
    expect(id.productVendor).toBe('Microsoft Corporation');
  });
});

describe('profiles on the wire', () => {
  it('WinRM 1.1 ignores IE settings and goes direct without WinHTTP settings', async () => {
    const r = await onSim(
      async (w) => {
        const c = w.client({ profile: 'winrm1.1', ieProxy: w.proxyServer, proxy: { accessType: 'ProxyIEConfig', url: `http://${w.proxyServer}` } });
        await c.identify();
        return opened(w, 'client#1');
      },
      { proxy: {} },
    );
    expect(r.map((e) => e.kind === 'open' && e.hop)).toEqual(['client-server']);
  });

  it('WinRM 1.1 bypasses the WinHTTP proxy for a <local> name only when the name has no period', async () => {
    const r = await onSim(
      async (w) => {
        const c = w.client({ profile: 'winrm1.1', winhttp: { proxyServer: w.proxyServer, bypassList: '<local>' } });
        await c.identify();
        return opened(w, 'client#1');
      },
      { proxy: {} },
    );
    // 127.0.0.1 has periods: <local> does not bypass it.
    expect(r.map((e) => e.kind === 'open' && e.hop)).toEqual(['client-proxy']);
  });
});
