import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Trace } from '../net/trace.ts';
import { escapeHtml, escapeMdText, escapeXml } from './escape.ts';
import { printable } from './bytes-view.ts';
import { makeCase, makeReport, sampleTrace } from './sample.ts';
import { toReportTrace } from './trace-view.ts';
import { validateReport } from './validate.ts';
import { renderReports, writeReports } from './write.ts';

const PASSWORD = 'Winrm&<Pa55word>!';
const PROXY_USER = 'proxyuser';
const PROXY_PASSWORD = 'Pr0xy:S3cret';

/** Every way a secret could show up in a rendered file. */
function leakForms(secret: string): string[] {
  const utf8 = Buffer.from(secret);
  const utf16 = Buffer.from(secret, 'utf16le');
  const clear = [secret, encodeURIComponent(secret), utf16.toString('latin1'), printable(utf8), printable(utf16)];
  return [
    ...clear,
    ...clear.flatMap((s) => [escapeHtml(s), escapeXml(s), escapeMdText(s), JSON.stringify(s).slice(1, -1)]),
    utf8.toString('base64').replace(/=+$/, ''),
    utf16.toString('base64').replace(/=+$/, ''),
  ];
}

function plantedReport() {
  const basicProxy = Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64');
  const basicServer = Buffer.from(`administrator:${PASSWORD}`).toString('base64');
  const events = sampleTrace((t: Trace) => {
    const enc = (s: string) => new TextEncoder().encode(s);
    t.add({ kind: 'data', conn: 'c1', from: 'client#1', bytes: enc(`POST http://h/wsman HTTP/1.1\r\nProxy-Authorization: Basic ${basicProxy}\r\nAuthorization: Basic ${basicServer}\r\n\r\n`) });
    t.add({ kind: 'data', conn: 'c2', from: 'proxy', bytes: Buffer.concat([Buffer.from('pw='), Buffer.from(PASSWORD, 'utf16le'), Buffer.from(` clear ${PASSWORD}`)]) });
    t.add({ kind: 'message', conn: 'c2', actor: 'proxy', dir: 'out', startLine: 'POST /wsman HTTP/1.1', headers: [['Proxy-Authorization', `Basic ${basicProxy}`]], bodyLength: 0 });
    t.note('proxy', `forwarded credential ${PROXY_PASSWORD}`, 'c2');
  });
  // A cap that cuts the planted request inside the base64 of the password (after "Winr").
  const cut = toReportTrace(events, { maxPreviewBytes: 136 });
  const whole = toReportTrace(events, { maxPreviewBytes: 4096 });
  return makeReport(
    [
      makeCase({
        id: 'http.8',
        status: 'fail',
        reason: `Proxy-Authorization: Basic ${basicProxy} reached the server (proxy password ${PROXY_PASSWORD})`,
        hint: `do not log ${PASSWORD}`,
        evidence: { header: `Basic ${basicProxy}`, password: PASSWORD, nested: { list: [PROXY_PASSWORD] } },
        trace: whole,
      }),
      makeCase({ id: 'https.4', status: 'error', reason: `saw ${PASSWORD}`, trace: cut }),
    ],
    { proxy: { url: `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:3128`, requiresAuth: true } },
  );
}

const secrets = [PASSWORD, { user: PROXY_USER, password: PROXY_PASSWORD }];

describe('writeReports', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes report.json always, plus the asked formats, creating the directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'wpc-report-'));
    const out = join(dir, 'nested', 'run');
    const paths = await writeReports(plantedReport(), out, ['html'], { secrets });
    expect((await readdir(out)).sort()).toEqual(['report.html', 'report.json']);
    expect(paths).toHaveLength(2);
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(validateReport(json)).toEqual({ ok: true });
  });

  it('no password or proxy credential, in any form, reaches any of the four formats', () => {
    const files = renderReports(plantedReport(), ['json', 'junit', 'html', 'md'], { secrets });
    expect([...files.keys()].sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md']);
    const forms = [...leakForms(PASSWORD), ...leakForms(PROXY_PASSWORD), Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64').replace(/=+$/, '')];
    for (const [name, text] of files) {
      for (const f of forms) expect(text.includes(f), `${name} contains ${JSON.stringify(f)}`).toBe(false);
      expect(text, name).toMatch(/\\?\[redacted\\?\]/);
    }
    // The proxy URL keeps host and port, loses userinfo.
    expect(JSON.parse(files.get('report.json') as string).proxy.url).toBe('http://127.0.0.1:3128');
  });

  it('a payload cut inside a base64 credential does not keep the first part of it', () => {
    const json = JSON.parse(renderReports(plantedReport(), [], { secrets }).get('report.json') as string);
    const cutRequest = json.cases[1].trace.find((e: { kind: string; preview?: string }) => e.kind === 'data' && e.preview?.includes('Authorization: Basic '));
    expect(cutRequest.truncated).toBe(true);
    expect(cutRequest.preview).toMatch(/Authorization: Basic YWRtaW5pc3RyYXRvcjpX?\[redacted\]$/);
  });

  it('redacted trace payloads stay valid and keep their original length', () => {
    const json = JSON.parse(renderReports(plantedReport(), [], { secrets }).get('report.json') as string);
    expect(validateReport(json)).toEqual({ ok: true });
    const data = json.cases[0].trace.filter((e: { kind: string }) => e.kind === 'data');
    const planted = data.find((e: { preview: string }) => e.preview.startsWith('pw='));
    expect(planted.preview).toBe('pw=[redacted] clear [redacted]');
    expect(planted.length).toBe(3 + Buffer.byteLength(PASSWORD, 'utf16le') + 7 + Buffer.byteLength(PASSWORD));
  });
});
