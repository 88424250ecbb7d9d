// http.4 (CredSSP through the proxy): the reference proxy passes it and a proxy that opens a
// new server connection per request fails it, on the simulated network (deterministic CredSSP
// TLS stand-in) and on real loopback sockets (node's TLS: not byte-identical between runs).
import { describe, expect, it } from 'vitest';
import { selectCases } from '../../harness/conformance/catalogue.ts';
import { certify } from '../../harness/conformance/runner.ts';
import { TcpNetwork } from '../../harness/net/index.ts';
import { startProxy } from '../../harness/proxy/index.ts';

const timing = { pauseMs: 2000, operationTimeoutS: 5, timeoutMs: 8000 };
type Legs = { legs: Array<{ step: string; clientConn: string; serverConn?: string; clientStatus: number }> };

async function onSim(faults: string[], seed = 3) {
  const { report } = await certify({ proxy: { kind: 'sim', faults }, proxyUrl: 'http://127.0.0.1:3128', cases: selectCases('http.4'), transport: 'sim', seed, timing });
  return report.cases[0];
}

async function onTcp(faults: string[]) {
  const net = new TcpNetwork();
  const proxy = await startProxy(net, { host: '127.0.0.1', port: 0, faults });
  try {
    const { report } = await certify({
      proxy: { kind: 'external', target: { host: '127.0.0.1', port: proxy.address.port } },
      proxyUrl: `http://127.0.0.1:${proxy.address.port}`,
      cases: selectCases('http.4'),
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

describe('http.4: CredSSP through the proxy', () => {
  it('passes through the reference proxy on sim: five legs from one client connection on one server connection', async () => {
    const c = await onSim([]);
    expect(`${c.status} ${c.reason}`).toMatch(/^pass 5 CredSSP legs on server connection c\d+; authenticated/);
    const legs = (c.evidence as Legs).legs.filter((l) => l.step.startsWith('credssp'));
    expect(legs.map((l) => l.step)).toEqual(['credssp-1', 'credssp-2', 'credssp-3', 'credssp-4', 'credssp-5']);
    expect(legs.map((l) => l.clientStatus)).toEqual([401, 401, 401, 401, 200]);
    expect(new Set(legs.map((l) => l.serverConn)).size).toBe(1);
    expect(new Set(legs.map((l) => l.clientConn)).size).toBe(1);
  });

  it('runs a second variant with Kerberos inside CredSSP (MS-CSSP §3.1.5): five legs on one server connection too', async () => {
    const c = await onSim([]);
    expect(c.reason).toMatch(/; with Kerberos inside: 5 CredSSP legs on server connection c\d+; authenticated$/);
    const krb = (c.evidence as { kerberos: Legs }).kerberos.legs.filter((l) => l.step.startsWith('credssp'));
    expect(krb.map((l) => l.clientStatus)).toEqual([401, 401, 401, 401, 200]);
    expect(new Set(krb.map((l) => l.serverConn)).size).toBe(1);
    expect(new Set(krb.map((l) => l.clientConn)).size).toBe(1);
  });

  it('fails through new-upstream-per-request on sim: the second leg reaches a server connection without the TLS context', async () => {
    const c = await onSim(['new-upstream-per-request']);
    expect(c.status).toBe('fail');
    expect(c.reason).toMatch(/expected: a CredSSP handshake of at least 5 legs.*observed: the handshake stopped after 2 leg\(s\): credssp-1 .*credssp-2 .*→ 401/);
  });

  it('fails through close-after-401 on sim: the handshake cannot continue on its connection', async () => {
    const c = await onSim(['close-after-401']);
    expect(c.status).toBe('fail');
    expect(c.reason).toMatch(/stopped after 1 leg/);
  });

  it('gives the same outcome and trace for the same seed on sim', async () => {
    const strip = ({ durationMs: _d, ...rest }: Awaited<ReturnType<typeof onSim>>) => rest;
    expect(JSON.stringify(strip(await onSim([], 9)))).toBe(JSON.stringify(strip(await onSim([], 9))));
  });

  it('passes through the reference proxy and fails through new-upstream-per-request on real loopback sockets', async () => {
    const good = await onTcp([]);
    expect(`${good.status} ${good.reason}`).toMatch(/^pass 5 CredSSP legs/);
    expect(good.reason).toMatch(/with Kerberos inside: 5 CredSSP legs/);
    const bad = await onTcp(['new-upstream-per-request']);
    expect(bad.status).toBe('fail');
    expect(bad.reason).toMatch(/stopped after 2 leg/);
  }, 20_000);
});
