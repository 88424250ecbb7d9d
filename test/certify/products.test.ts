// Certifies each installed proxy product variant (Debian packages, started on loopback by the
// drivers) and asserts the verdicts that follow from the products' documented behaviour
// (PROTOCOL.md's table, and what each product's own documentation says).
import { describe, expect, it } from 'vitest';
import { selectCases } from '../../harness/conformance/catalogue.ts';
import { certify } from '../../harness/conformance/runner.ts';
import { serverPortPair } from '../../harness/drivers/free-port.ts';
import { getProduct } from '../../harness/drivers/registry.ts';
import type { CaseResult } from '../../harness/report/index.ts';

const timing = { pauseMs: 2000, operationTimeoutS: 5, timeoutMs: 8000 };
const FAST = 'https.1,https.2,https.3,http.1,http.2,http.5,http.7,http.8,http.10';

async function certifyProduct(name: string, variant: string, cases = FAST, proxyAuth?: { user: string; password: string }) {
  const driver = getProduct(name);
  expect(await driver.installed(), `${name} must be installed (.ci/run installs it)`).toBe(true);
  // The pooled variant's workers are declared for these ports, so the harness's servers bind
  // exactly them, case after case: ports outside the ephemeral range, which no other test's
  // listen on port 0 or outgoing connection can take in between (serverPortPair).
  const ports = await serverPortPair();
  const put = await driver.start({ variant, ...(proxyAuth ? { proxyAuth } : {}), targets: [`http://127.0.0.1:${ports.http}`, `http://127.0.0.1:${ports.https}`] });
  try {
    const url = new URL(put.url);
    const { report } = await certify({
      proxy: { kind: 'external', target: { host: url.hostname, port: Number(url.port), ...(put.credentials ? { credentials: put.credentials } : {}), product: name } },
      proxyUrl: put.url,
      ...(put.product ? { product: put.product } : {}),
      cases: selectCases(cases),
      transport: 'tcp',
      seed: 1,
      timing,
      ...(variant === 'pooled' ? { serverPorts: ports } : {}),
    });
    const status = Object.fromEntries(report.cases.map((c) => [c.id, c.status]));
    const byId = Object.fromEntries(report.cases.map((c) => [c.id, c])) as Record<string, CaseResult>;
    return { report, status, byId };
  } finally {
    await put.stop();
  }
}

/** The schemes of the Proxy-Authorization headers the harness's own client (not a prober) sent in a case. */
function clientProxySchemes(c: CaseResult): string[] {
  const schemes = new Set<string>();
  for (const e of c.trace ?? []) {
    if (e.kind !== 'message' || !e.actor.startsWith('client') || e.dir !== 'out') continue;
    for (const [name, value] of e.headers) if (name.toLowerCase() === 'proxy-authorization') schemes.add(value.split(' ')[0]);
  }
  return [...schemes];
}

const AUTH_CASES = 'https.3,https.4,http.2,http.8,http.10';
const VENDOR = { user: 'vendor', password: 'Vendor-pw-1' };

describe.sequential('real proxy products on loopback', () => {
  it('squid as Debian ships it refuses CONNECT to the WinRM port (https.1, with the SSL_ports hint), pins NTLM connections but not CredSSP ones', async () => {
    const { status, byId } = await certifyProduct('squid', 'default', FAST + ',http.4');
    expect(status['https.1']).toBe('fail');
    // Squid pins connections for NTLM/Negotiate/Kerberos only: CredSSP legs land on pooled connections.
    expect(status['http.4']).toBe('fail');
    expect(byId['http.4'].hint).toMatch(/CredSSP/);
    expect(byId['https.1'].reason).toMatch(/403/);
    expect(byId['https.1'].hint).toMatch(/SSL_ports/);
    expect(status).toMatchObject({ 'http.1': 'pass', 'http.2': 'pass', 'http.5': 'pass', 'http.7': 'pass', 'http.8': 'pass' });
  });

  it('squid allowing CONNECT to the WinRM ports passes every MUST, and pins only from the first Authorization on (http.6 non-strict)', async () => {
    const { report, status, byId } = await certifyProduct('squid', 'winrm', FAST + ',https.4,https.5,http.3,http.6,http.9,http.11');
    for (const c of report.cases) if (c.id !== 'https.3' && c.id !== 'http.6') expect(`${c.id} ${c.status} ${c.reason}`).toMatch(new RegExp(`^${c.id.replace('.', '\\.')} pass`));
    expect(status['https.3']).toBe('skip');
    // Squid's connection-auth pins a server connection once a request carries Authorization: the
    // anonymous Identify before it went over another (pooled) server connection.
    expect(status['http.6']).toBe('non-strict');
    expect(byId['http.6'].reason).toMatch(/before it arrived on c\d+/);
    expect(report.verdict).toBe('conformant-non-strict');
  });

  it('squid with Basic proxy authentication: 407 then a tunnel (https.3), and it demands auth for plain HTTP (http.10)', async () => {
    const { status, byId } = await certifyProduct('squid', 'auth', FAST, { user: 'vendor', password: 'Vendor-pw-1' });
    expect(status['https.3']).toBe('pass');
    expect(byId['http.10'].evidence).toMatchObject({ demandsAuth: true });
    expect(status).toMatchObject({ 'http.2': 'pass', 'http.8': 'pass' });
  });

  it('squid with Digest and Basic: https.3 opens the tunnel with both, and the client picks Digest (RFC 7616) by preference', async () => {
    const { report, status, byId } = await certifyProduct('squid', 'auth-digest', AUTH_CASES, VENDOR);
    expect(status).toMatchObject({ 'https.3': 'pass', 'https.4': 'pass', 'http.2': 'pass', 'http.8': 'pass' });
    expect(byId['https.3'].evidence).toMatchObject({ offered: ['Digest', 'Basic'], used: [{ scheme: 'Digest', answers: ['407 Proxy Authentication Required', '200 Connection established'] }, { scheme: 'Basic' }] });
    expect(clientProxySchemes(byId['https.4'])).toEqual(['Digest']);
    expect(byId['http.10'].evidence).toMatchObject({ demandsAuth: true });
    expect(JSON.stringify(report)).not.toContain(VENDOR.password);
  });

  it('squid with NTLM (ntlm_fake_auth) and Basic: the connection-bound handshake opens the tunnel, and the client picks NTLM', async () => {
    const { status, byId } = await certifyProduct('squid', 'auth-ntlm', AUTH_CASES, VENDOR);
    expect(status).toMatchObject({ 'https.3': 'pass', 'https.4': 'pass', 'http.2': 'pass', 'http.8': 'pass' });
    // Squid's Type 2 has no TargetInfo and a garbage TargetName offset: the client copes (see challenge-message.ts).
    expect(byId['https.3'].evidence).toMatchObject({ offered: ['NTLM', 'Basic'], used: [{ scheme: 'Basic' }, { scheme: 'NTLM', answers: ['407 Proxy Authentication Required', '200 Connection established'] }] });
    expect(clientProxySchemes(byId['https.4'])).toEqual(['NTLM']);
  });

  it('tinyproxy closes upstream connections (http.1, http.2 fail) but tunnels CONNECT end to end', async () => {
    const { status, byId } = await certifyProduct('tinyproxy', 'default');
    expect(status).toMatchObject({ 'http.1': 'fail', 'http.2': 'fail', 'https.1': 'pass', 'https.2': 'pass' });
    expect(byId['http.1'].reason).toMatch(/Connection: close/i);
  });

  it('apache mod_proxy: default refuses CONNECT beyond 443/563; its generic forward worker breaks NTLM', async () => {
    const def = await certifyProduct('apache2', 'default');
    expect(def.status).toMatchObject({ 'https.1': 'fail', 'http.2': 'fail' });
    expect(def.byId['https.1'].hint).toMatch(/AllowCONNECT/);
    const winrm = await certifyProduct('apache2', 'winrm');
    expect(winrm.status).toMatchObject({ 'https.1': 'pass', 'https.2': 'pass', 'http.2': 'fail' });
  });

  it('apache with pooled backend connections keeps a handshake together but lets clients share a connection (http.7)', async () => {
    const { report, status, byId } = await certifyProduct('apache2', 'pooled');
    expect(status, report.cases.map((c) => `${c.id} ${c.status}: ${c.reason}`).join('\n')).toMatchObject({ 'http.2': 'pass', 'http.7': 'fail' });
    expect(byId['http.7'].reason).toMatch(/server c\d+ carried .* and /);
  });

  it('haproxy is no CONNECT proxy (https.1) and forwards Proxy-Authorization to the server (http.8)', async () => {
    const { status } = await certifyProduct('haproxy', 'default');
    expect(status).toMatchObject({ 'https.1': 'fail', 'http.2': 'pass', 'http.8': 'fail' });
  });

  it('privoxy tunnels CONNECT but does not keep the server connection of an NTLM handshake', async () => {
    for (const variant of ['default', 'sharing']) {
      const { status } = await certifyProduct('privoxy', variant);
      expect(status, variant).toMatchObject({ 'https.1': 'pass', 'https.2': 'pass', 'http.2': 'fail' });
    }
  });

  it('mitmproxy intercepts TLS by default (https.2 fails with its certificate) and passes it through when told to', async () => {
    const def = await certifyProduct('mitmproxy', 'default');
    expect(def.status['https.2']).toBe('fail');
    expect(def.byId['https.2'].hint).toMatch(/ignore_hosts/);
    const pass = await certifyProduct('mitmproxy', 'passthrough');
    expect(pass.status).toMatchObject({ 'https.1': 'pass', 'https.2': 'pass', 'http.2': 'pass' });
  });
});
