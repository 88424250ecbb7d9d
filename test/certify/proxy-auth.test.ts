// https.3 against the simulated reference proxy requiring Negotiate/NTLM, Digest and Basic: the
// connection-bound handshake opens the tunnel too, and the evidence says what was offered and
// used. With such a proxy in front, the whole catalogue still passes (the harness's clients
// authenticate to it with Negotiate, the WinRM 2.0 default) and no proxy secret is in the report.
import { describe, expect, it } from 'vitest';
import { digestHa1 } from '../../harness/auth/digest.ts';
import { CASES } from '../../harness/conformance/catalogue.ts';
import { certify } from '../../harness/conformance/runner.ts';
import { redactReport } from '../../harness/report/redact.ts';
import type { ProxyAuthScheme } from '../../harness/proxy/index.ts';

const timing = { pauseMs: 2000, operationTimeoutS: 5, timeoutMs: 10_000 };
const proxyAuth = (schemes: ProxyAuthScheme[]) => ({ user: 'proxyuser', password: 'Proxy-Pw-8642', schemes });

async function run(schemes: ProxyAuthScheme[], ids?: string[]) {
  const { report } = await certify({
    proxy: { kind: 'sim', faults: [], proxyAuth: proxyAuth(schemes) },
    proxyUrl: 'http://127.0.0.1:3128',
    cases: ids ? CASES.filter((c) => ids.includes(c.id)) : [...CASES],
    transport: 'sim',
    seed: 11,
    timing,
  });
  return report;
}

describe('https.3 with Negotiate / NTLM / Digest proxy authentication (sim)', () => {
  it('reports the offered schemes and opens the tunnel with Digest, Basic and the Negotiate handshake', async () => {
    const report = await run(['negotiate', 'ntlm', 'digest', 'basic'], ['https.3']);
    const c = report.cases.find((x) => x.id === 'https.3')!;
    expect(c.status).toBe('pass');
    const ev = c.evidence as { offered: string[]; used: Array<{ scheme: string; answers: string[] }> };
    expect(ev.offered).toEqual(['Negotiate', 'NTLM', 'Digest', 'Basic']);
    expect(ev.used.map((u) => u.scheme)).toEqual(['Digest', 'Basic', 'Negotiate']);
    expect(ev.used.find((u) => u.scheme === 'Negotiate')!.answers).toEqual(['407 Proxy Authentication Required', '200 Connection established']);
    // No proxy secret in the report as written (every writer redacts first): not the password,
    // not the Digest HA1, and the password verifiers (Digest response, NTLM Type 3) redacted.
    const safe = redactReport(report, [{ user: 'proxyuser', password: 'Proxy-Pw-8642' }]);
    const json = JSON.stringify(safe);
    expect(json).not.toContain('Proxy-Pw-8642');
    for (const alg of ['MD5', 'SHA-256'] as const) expect(json).not.toContain(digestHa1(alg, 'proxyuser', 'wpc', 'Proxy-Pw-8642'));
    const values = safe.cases.flatMap((x) => x.trace).flatMap((e) => (e.kind === 'message' ? e.headers : [])).filter(([n]) => n.toLowerCase() === 'proxy-authorization').map(([, v]) => v);
    const digest = values.filter((v) => v.startsWith('Digest '));
    expect(digest.length).toBeGreaterThan(0);
    for (const v of digest) expect(v).toContain('response="[redacted]"');
    const negotiate = values.filter((v) => v.startsWith('Negotiate '));
    // Type 1 (no verifier) stays as evidence; each Type 3 is redacted (both hops' views of it).
    expect(negotiate.filter((v) => v === 'Negotiate [redacted]')).toHaveLength(negotiate.length / 2);
    for (const e of safe.cases.flatMap((x) => x.trace)) if (e.kind === 'data') expect(Buffer.from(e.base64, 'base64').toString('latin1')).not.toMatch(/response="[0-9a-f]{32,}"/);
  });

  it('uses NTLM when it is the only connection-bound scheme offered', async () => {
    const report = await run(['ntlm'], ['https.3']);
    const c = report.cases.find((x) => x.id === 'https.3')!;
    expect(c.status).toBe('pass');
    expect((c.evidence as { used: Array<{ scheme: string }> }).used.map((u) => u.scheme)).toEqual(['NTLM']);
  });

  it('passes the whole catalogue behind a Negotiate-only proxy, and the report holds no proxy secret', async () => {
    const report = await run(['negotiate']);
    const failed = report.cases.filter((x) => x.status !== 'pass' && x.status !== 'skip');
    expect(failed.map((x) => `${x.id} ${x.status} ${x.reason}`)).toEqual([]);
    expect(JSON.stringify(report)).not.toContain('Proxy-Pw-8642');
    // https.1 names the answer that opened the tunnel, not the proxy's 407 before it.
    expect(report.cases.find((x) => x.id === 'https.1')!.reason).toMatch(/^CONNECT to port \d+ answered "HTTP\/1\.1 200 /);
  });
});
