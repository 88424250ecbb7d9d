// `wpc certify` as users and CI pipelines drive it: exit codes 0/1/2 (REQUIREMENTS.md §5), the
// report files, and certification of `wpc proxy` over real sockets with and without faults.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { listFaults } from '../../harness/proxy/faults/index.ts';
import { validateReport } from '../../harness/report/index.ts';
import { wpc, wpcDaemon } from './run-wpc.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'wpc-certify-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('wpc certify exit codes', () => {
  it('exits 2 with one line for usage errors', async () => {
    for (const args of [[], ['--sim', '--proxy', 'http://127.0.0.1:1'], ['--sim', '--fault', 'no-such-fault'], ['--sim', '--cases', 'http.99'], ['--product', 'no-such-product'], ['--sim', '--timeout-ms', 'soon']]) {
      const r = await wpc(['certify', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('exits 2 for an unreachable proxy, naming it', async () => {
    const r = await wpc(['certify', '--proxy', 'http://127.0.0.1:9', '--report-dir', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/127\.0\.0\.1:9 unreachable/);
  });

  it('exits 2 with a one-line reason on stderr when the harness cannot run the cases', async () => {
    // Something listens where the proxy should be, and the harness's own listeners are told to
    // take that same port: they cannot bind, so every case is an error.
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const r = await wpc(['certify', '--proxy', `http://127.0.0.1:${port}`, '--server-ports', `${port},${port}`, '--cases', 'https.1', '--report-dir', tmp(), '--format', 'json']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/could not run 1 case\(s\): https\.1: .+/);
      expect(r.stderr).toContain(`server port ${port} is in use (fixed server ports ${port},${port})`);
    } finally {
      server.close();
    }
  });

  it('exits 1 for a non-conformant simulated proxy and writes all four reports', async () => {
    const dir = tmp();
    const r = await wpc(['certify', '--sim', '--fault', 'pooled-upstream', '--cases', 'http.2,http.7', '--report-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL http\.7/);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(validateReport(report)).toEqual({ ok: true });
    expect(report.verdict).toBe('non-conformant');
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(junit)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(junit);
    const suites = [parsed.testsuites.testsuite].flat();
    const cases = suites.flatMap((s: { testcase: unknown }) => [s.testcase].flat()) as Array<Record<string, unknown>>;
    expect(cases).toHaveLength(2);
    expect(cases.filter((c) => c.failure)).toHaveLength(1);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('http.7');
  });

  it('exits 0 for a conformant simulated control', async () => {
    const r = await wpc(['certify', '--sim', '--fault', 'slicer', '--cases', 'http.2,http.9,https.1', '--report-dir', tmp()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verdict: conformant/);
  });
});

describe('wpc certify --proxy against wpc proxy over real sockets', () => {
  const cases = 'https.1,https.2,https.4,http.1,http.2,http.5,http.7,http.8,http.9';

  it('finds the reference proxy conformant', async () => {
    const p = await wpcDaemon(['proxy', '--port', '0']);
    try {
      const url = p.line.match(/http:\/\/[\d.]+:\d+/)![0];
      const r = await wpc(['certify', '--proxy', url, '--cases', cases, '--report-dir', tmp()]);
      expect(r.stdout).toMatch(/verdict: conformant/);
      expect(r.code).toBe(0);
    } finally {
      await p.stop();
    }
  });

  // Every fault of the catalogue, served by `wpc proxy --fault` over real sockets, is caught by
  // a case REQUIREMENTS.md §3 names; every control and the passive sniffer pass.
  const catalogue = listFaults();
  it.concurrent.each(catalogue.filter((f) => f.kind === 'fault').map((f) => [f.name, f.caughtBy] as const))(
    'catches --fault %s with one of %s',
    async (fault, caughtBy) => {
      const p = await wpcDaemon(['proxy', '--port', '0', '--fault', fault]);
      try {
        const url = p.line.match(/http:\/\/[\d.]+:\d+/)![0];
        const dir = tmp();
        const r = await wpc(['certify', '--proxy', url, '--cases', caughtBy.join(','), '--report-dir', dir, '--format', 'json'], 120_000);
        const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
        const failed = report.cases.filter((c: { status: string }) => c.status === 'fail').map((c: { id: string }) => c.id);
        expect(failed.length, `${fault}: ${JSON.stringify(report.cases.map((c: { id: string; status: string; reason: string }) => [c.id, c.status, c.reason]))}`).toBeGreaterThan(0);
        // A SHOULD failure alone (http.11) leaves the verdict conformant-non-strict: exit 0 unless --strict.
        expect(r.code).toBe(report.verdict === 'non-conformant' ? 1 : 0);
      } finally {
        await p.stop();
      }
    },
    120_000,
  );

  it.concurrent.each(catalogue.filter((f) => f.kind !== 'fault').map((f) => f.name))(
    'finds --fault %s (a control) conformant',
    async (control) => {
      const p = await wpcDaemon(['proxy', '--port', '0', '--fault', control]);
      try {
        const url = p.line.match(/http:\/\/[\d.]+:\d+/)![0];
        const r = await wpc(['certify', '--proxy', url, '--cases', 'https.1,https.2,http.2,http.5,http.8,http.9', '--report-dir', tmp(), '--format', 'json'], 120_000);
        expect(r.stdout).toMatch(/verdict: conformant/);
        expect(r.code).toBe(0);
      } finally {
        await p.stop();
      }
    },
    120_000,
  );

  it('certifies wpc proxy --proxy-auth negotiate,digest: https.3 uses Digest and the Negotiate handshake; no verifier in any report', async () => {
    const p = await wpcDaemon(['proxy', '--port', '0', '--proxy-user', 'vendor', '--proxy-password', 'Sekr1t-proxy-pw', '--proxy-auth', 'negotiate,digest']);
    try {
      expect(p.line).toContain('proxy-auth=negotiate,digest');
      const port = p.line.match(/:(\d+)/)![1];
      const dir = tmp();
      const r = await wpc(['certify', '--proxy', `http://vendor:Sekr1t-proxy-pw@127.0.0.1:${port}`, '--cases', 'https.3,https.4,http.8,http.10', '--report-dir', dir]);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
      const https3 = report.cases.find((c: { id: string }) => c.id === 'https.3');
      expect(https3.status).toBe('pass');
      expect(https3.evidence.offered).toEqual(['Negotiate', 'Digest']);
      expect(https3.evidence.used.map((u: { scheme: string }) => u.scheme)).toEqual(['Digest', 'Negotiate']);
      for (const f of ['report.json', 'junit.xml', 'report.html', 'summary.md']) {
        const text = readFileSync(join(dir, f), 'utf8');
        expect(text, f).not.toContain('Sekr1t-proxy-pw');
        expect(text, f).not.toMatch(/response=(\\?"|&quot;)[0-9a-f]{32,}/);
      }
    } finally {
      await p.stop();
    }
  });

  it('certify --sim --proxy-auth runs the simulated proxy with those schemes', async () => {
    const dir = tmp();
    const r = await wpc(['certify', '--sim', '--fault', 'slicer', '--proxy-user', 'pu', '--proxy-password', 'Sim-Proxy-Pw-1', '--proxy-auth', 'ntlm', '--cases', 'https.3,http.2', '--report-dir', dir, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.cases.find((c: { id: string }) => c.id === 'https.3').evidence.used.map((u: { scheme: string }) => u.scheme)).toEqual(['NTLM']);
    expect((await wpc(['certify', '--proxy', 'http://127.0.0.1:9', '--proxy-auth', 'ntlm'])).code).toBe(2);
  });

  it('keeps proxy credentials out of every report format', async () => {
    const p = await wpcDaemon(['proxy', '--port', '0', '--proxy-user', 'vendor', '--proxy-password', 'Sekr1t-proxy-pw']);
    try {
      const port = p.line.match(/:(\d+)/)![1];
      const dir = tmp();
      const r = await wpc(['certify', '--proxy', `http://vendor:Sekr1t-proxy-pw@127.0.0.1:${port}`, '--cases', 'https.3,http.8,http.10', '--report-dir', dir]);
      expect(r.code).toBe(0);
      const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
      expect(report.cases.find((c: { id: string }) => c.id === 'https.3').status).toBe('pass');
      expect(report.proxy.requiresAuth).toBe(true);
      const basic = Buffer.from('vendor:Sekr1t-proxy-pw').toString('base64');
      for (const f of ['report.json', 'junit.xml', 'report.html', 'summary.md']) {
        const text = readFileSync(join(dir, f), 'utf8');
        expect(text, f).not.toContain('Sekr1t-proxy-pw');
        expect(text, f).not.toContain(basic);
      }
      expect(r.stdout).not.toContain('Sekr1t-proxy-pw');
    } finally {
      await p.stop();
    }
  });
});
