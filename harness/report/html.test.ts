import { describe, expect, it } from 'vitest';
import { renderHtml } from './html.ts';
import { makeCase, makeReport, sampleReport, sampleTrace } from './sample.ts';
import { actorsOf, rowsOf } from './sequence-svg.ts';
import { toReportTrace } from './trace-view.ts';

describe('renderHtml', () => {
  it('is self-contained: no external src/href, no script, inline style', () => {
    const html = renderHtml(sampleReport());
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
  });

  it('has one <svg> per case with a trace and none for cases without one', () => {
    const report = sampleReport();
    const html = renderHtml(report);
    const withTrace = report.cases.filter((c) => c.trace.length).length;
    expect(withTrace).toBeGreaterThan(0);
    expect(html.match(/<svg\b/g)?.length).toBe(withTrace);
  });

  it('shows proxy, product and per-transport verdicts in the header', () => {
    const html = renderHtml(sampleReport());
    const header = html.slice(0, html.indexOf('<h2>Cases</h2>'));
    expect(header).toContain('http://127.0.0.1:3128');
    expect(header).toContain('squid 5.7');
    expect(header).toMatch(/<th>HTTP<\/th><td><span class="verdict v-non-conformant">/);
    expect(header).toMatch(/<th>HTTPS<\/th><td><span class="verdict v-error">/);
  });

  it('escapes a <script> in a reason, hint, title, evidence and trace text', () => {
    const evil = '<script>alert(1)</script>';
    const trace = toReportTrace(sampleTrace((t) => t.note('proxy', evil, 'c1')));
    const html = renderHtml(makeReport([makeCase({ id: 'http.8', title: evil, status: 'fail', reason: evil, hint: evil, evidence: { [evil]: evil }, trace })]));
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('[c1] &lt;script&gt;'); // the note, drawn in the diagram
  });
});

describe('sequence diagram', () => {
  const trace = toReportTrace(sampleTrace());

  it('derives lanes client, proxy, server from the actors in the trace', () => {
    expect(actorsOf(trace)).toEqual(['client#1', 'proxy', 'server']);
  });

  it('draws opens dashed, messages by start line, raw data by byte count, RST in red, with connection ids', () => {
    const rows = rowsOf(trace);
    const arrows = rows.filter((r) => r.kind === 'arrow');
    expect(arrows).toContainEqual(expect.objectContaining({ from: 'client#1', to: 'proxy', label: '[c1] open (client-proxy)', style: 'dashed' }));
    expect(arrows).toContainEqual(expect.objectContaining({ from: 'client#1', to: 'proxy', label: '[c1] POST http://127.0.0.1:5985/wsman HTTP/1.1' }));
    expect(arrows).toContainEqual(expect.objectContaining({ from: 'proxy', to: 'server', label: '[c2] POST /wsman HTTP/1.1' }));
    expect(arrows).toContainEqual(expect.objectContaining({ from: 'server', to: 'proxy', label: '[c2] HTTP/1.1 401 Unauthorized' }));
    expect(arrows).toContainEqual(expect.objectContaining({ from: 'client#1', to: 'proxy', label: '[c1] 10 B' }));
    const rst = arrows.find((r) => r.label === '[c2] RST');
    expect(rst).toMatchObject({ from: 'proxy', to: 'server', color: '#c0392b' });
    expect(arrows.find((r) => r.label === '[c1] close')?.color).not.toBe('#c0392b');
  });

  it('does not draw a parsed message twice when both ends recorded it', () => {
    const both = toReportTrace(
      sampleTrace((t) => t.add({ kind: 'message', conn: 'c2', actor: 'server', dir: 'in', startLine: 'POST /wsman HTTP/1.1', headers: [], bodyLength: 0 })),
    );
    expect(both.filter((e) => e.kind === 'message')).toHaveLength(2);
    expect(rowsOf(both).filter((r) => r.kind === 'arrow' && r.label === '[c2] POST /wsman HTTP/1.1')).toHaveLength(1);
  });
});
