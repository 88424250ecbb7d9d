import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from './junit.ts';
import { makeCase, makeReport, sampleReport } from './sample.ts';

// htmlEntities: decode numeric character references as any conformant XML parser does.
const parser = new XMLParser({ ignoreAttributes: false, htmlEntities: true, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });

type Attrs = Record<string, string>;
type Parsed = { testsuites: Attrs & { testsuite: Array<Attrs & { testcase: Array<Record<string, unknown>> }> } };

function parse(xml: string): Parsed {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as Parsed;
}

describe('renderJunit', () => {
  it('is well-formed with one suite per transport and one testcase per case', () => {
    const report = sampleReport();
    const doc = parse(renderJunit(report));
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s['@name'])).toEqual(['wpc.http', 'wpc.https']);
    expect(suites[0].testcase).toHaveLength(report.cases.filter((c) => c.transport === 'http').length);
    expect(suites[1].testcase).toHaveLength(1);
    expect(suites[0].testcase[0]).toMatchObject({ '@classname': 'wpc.http', '@name': 'http.1 HTTP/1.1 on both hops' });
  });

  it('maps statuses: fail → failure with the reason, error → error, skip → skipped, non-strict → system-out', () => {
    const doc = parse(renderJunit(sampleReport()));
    const [http, https] = doc.testsuites.testsuite;
    const byId = (id: string) => http.testcase.find((t) => String(t['@name']).startsWith(`${id} `)) as Record<string, any>;
    expect(byId('http.1').failure).toBeUndefined();
    expect(byId('http.2').failure['@message']).toBe('[MUST] leg 2 arrived on server connection c3, leg 1 on c2');
    expect(byId('http.2').failure['#text']).toContain('"serverConns"');
    expect(byId('http.2').failure['#text']).toContain('hint: enable connection pinning');
    expect(byId('http.10').skipped['@message']).toBe('proxy requires no authentication');
    expect(byId('http.11')['system-out']).toContain('non-strict');
    expect((https.testcase[0] as Record<string, any>).error['@message']).toBe('proxy unreachable');
    expect(http).toMatchObject({ '@tests': '4', '@failures': '1', '@errors': '0', '@skipped': '1' });
    expect(doc.testsuites).toMatchObject({ '@tests': '5', '@failures': '1', '@errors': '1', '@skipped': '1' });
  });

  it('escapes markup, quotes, newlines and XML-illegal control characters', () => {
    const nasty = 'a<b>&"c\' </failure><script>x</script>\u0001\ud800 line1\nline2';
    const doc = parse(renderJunit(makeReport([makeCase({ id: 'http.8', title: nasty, status: 'fail', reason: nasty })])));
    const tc = doc.testsuites.testsuite[0].testcase[0] as Record<string, any>;
    expect(tc['@name']).toContain(`a<b>&"c' </failure><script>`);
    expect(tc.failure['@message']).toContain('</failure><script>');
    expect(tc.failure['@message']).toContain('\\u0001\\ud800 line1\nline2');
    expect(tc.failure['#text']).toContain('line1\nline2');
  });

  it('renders an INFO fail as a pass with a note', () => {
    const doc = parse(renderJunit(makeReport([makeCase({ id: 'http.10', level: 'INFO', status: 'fail', reason: 'proxy wants auth over HTTP' })])));
    const tc = doc.testsuites.testsuite[0].testcase[0] as Record<string, any>;
    expect(tc.failure).toBeUndefined();
    expect(tc['system-out']).toContain('proxy wants auth over HTTP');
    expect(doc.testsuites['@failures']).toBe('0');
  });
});

describe('renderJunit read by a JUnit consumer (junitparser)', () => {
  it('gives junitparser the same counts, results and messages as the report', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wpc-junit-')), 'junit.xml');
    writeFileSync(file, renderJunit(sampleReport()));
    const script = join(import.meta.dirname, 'junit_consumer.py');
    const out = await new Promise<string>((resolve, reject) =>
      execFile('/usr/bin/python3', [script, file], { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}: ${stderr}`)) : resolve(stdout))),
    );
    const seen = JSON.parse(out);
    expect(seen).toMatchObject({ tests: 5, failures: 1, errors: 1, skipped: 1 });
    const [http, https] = seen.suites;
    expect(http).toMatchObject({ name: 'wpc.http', tests: 4, failures: 1, errors: 0, skipped: 1 });
    const byId = (id: string) => http.cases.find((c: { name: string }) => c.name.startsWith(`${id} `));
    expect(byId('http.1').results).toEqual([]);
    expect(byId('http.2')).toMatchObject({ results: ['Failure'], messages: ['[MUST] leg 2 arrived on server connection c3, leg 1 on c2'] });
    expect(byId('http.10')).toMatchObject({ results: ['Skipped'], messages: ['proxy requires no authentication'] });
    expect(https.cases[0]).toMatchObject({ results: ['Error'], messages: ['proxy unreachable'] });
  });
});
