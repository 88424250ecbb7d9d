import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';
import { makeCase, makeReport, sampleReport } from './sample.ts';

describe('renderMarkdown', () => {
  it('opens with the verdict and lists per-transport verdicts and every case with its marker', () => {
    const report = sampleReport();
    const md = renderMarkdown(report);
    expect(md.split('\n')[0]).toBe('## wpc: NON-CONFORMANT');
    expect(md).toContain('| http | non-conformant |');
    expect(md).toContain('| https | error |');
    for (const c of report.cases) expect(md).toMatch(new RegExp(`^\\| ${c.id.replace('.', '\\.')} \\|`, 'm'));
    expect(md).toMatch(/\| http\.2 \| http \| MUST \| FAIL \|/);
    expect(md).toMatch(/\| http\.11 \| http \| SHOULD \| NON-STRICT \|/);
  });

  it("gives each failure's reason and hint after the table", () => {
    const md = renderMarkdown(sampleReport());
    const after = md.slice(md.indexOf('## Failures'));
    expect(after).toContain('FAIL: leg 2 arrived on server connection c3, leg 1 on c2');
    expect(after).toContain('> Hint: enable connection pinning (Squid: connection-auth=on)');
    expect(after).toContain('ERROR: proxy unreachable');
    expect(after).not.toContain('http.1 (');
  });

  it('keeps table rows on one line and makes HTML inert', () => {
    const md = renderMarkdown(makeReport([makeCase({ id: 'http.8', title: 'a | b\nc <img src=x onerror=alert(1)>', status: 'fail', reason: '<script>x</script>' })]));
    const row = md.split('\n').find((l) => l.startsWith('| http.8'));
    expect(row).toContain('a \\| b c &lt;img');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
  });

  it('says conformant and has no failure section when every case passes', () => {
    const md = renderMarkdown(makeReport([makeCase({ id: 'http.1' })]));
    expect(md.split('\n')[0]).toBe('## wpc: CONFORMANT');
    expect(md).not.toContain('## Failures');
  });
});
