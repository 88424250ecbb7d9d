// http.3 (Kerberos through the proxy): the reference proxy passes it and a proxy that opens a
// new server connection per request fails it (REQUIREMENTS issue 6: "a proxy that breaks
// affinity fails http.3"), on the simulated network and on real loopback sockets.
import { describe, expect, it } from 'vitest';
import { selectCases } from '../../harness/conformance/catalogue.ts';
import { certify } from '../../harness/conformance/runner.ts';
import { TcpNetwork } from '../../harness/net/index.ts';
import { startProxy } from '../../harness/proxy/index.ts';

const timing = { pauseMs: 2000, operationTimeoutS: 5, timeoutMs: 8000 };

async function onSim(faults: string[], seed = 3) {
  const { report } = await certify({ proxy: { kind: 'sim', faults }, proxyUrl: 'http://127.0.0.1:3128', cases: selectCases('http.3'), transport: 'sim', seed, timing });
  return report.cases[0];
}

async function onTcp(faults: string[]) {
  const net = new TcpNetwork();
  const proxy = await startProxy(net, { host: '127.0.0.1', port: 0, faults });
  try {
    const { report } = await certify({
      proxy: { kind: 'external', target: { host: '127.0.0.1', port: proxy.address.port } },
      proxyUrl: `http://127.0.0.1:${proxy.address.port}`,
      cases: selectCases('http.3'),
      transport: 'tcp',
      seed: 1,
      timing,
    });
    return report.cases[0];
  } finally {
    await proxy.close();
    await net.shutdown();
  }
}

describe('http.3: Kerberos through the proxy', () => {
  it('passes through the reference proxy on sim: one leg and the encrypted requests on one server connection, mutual-auth token unchanged', async () => {
    const c = await onSim([]);
    expect(`${c.status} ${c.reason}`).toMatch(/^pass /);
    const ev = c.evidence as { legs: Array<{ step: string; serverConn?: string }>; tokens: { serverSent: string; clientReceived: string } };
    expect(ev.legs.map((l) => l.step)).toEqual(['kerberos-1', 'Identify', 'Identify']);
    expect(new Set(ev.legs.map((l) => l.serverConn)).size).toBe(1);
    expect(ev.tokens.serverSent.length).toBeGreaterThan(100);
    expect(ev.tokens.clientReceived).toBe(ev.tokens.serverSent);
  });

  it('fails through new-upstream-per-request on sim: the requests after the leg land on an unauthenticated server connection', async () => {
    const c = await onSim(['new-upstream-per-request']);
    expect(c.status).toBe('fail');
    expect(c.reason).toMatch(/expected: the requests after the Kerberos leg.*observed: kerberos-1 .*server c\d+ → 200; Identify .*→ 401/);
  });

  it('fails when a proxy strips the mutual-auth token from the 200', async () => {
    const c = await onSim(['strip-www-authenticate']);
    expect(c.status).toBe('fail');
    expect(c.reason).toMatch(/mutual-auth token|WWW-Authenticate/);
  });

  it('gives the same outcome and trace for the same seed (sim KDC on the virtual clock)', async () => {
    const strip = ({ durationMs: _d, ...rest }: Awaited<ReturnType<typeof onSim>>) => rest;
    expect(JSON.stringify(strip(await onSim([], 9)))).toBe(JSON.stringify(strip(await onSim([], 9))));
  });

  it('passes through the reference proxy and fails through new-upstream-per-request on real loopback sockets', async () => {
    const good = await onTcp([]);
    expect(`${good.status} ${good.reason}`).toMatch(/^pass /);
    const bad = await onTcp(['new-upstream-per-request']);
    expect(bad.status).toBe('fail');
    expect(bad.reason).toMatch(/requests after the Kerberos leg/);
  });
});
