// ONE self-contained HTML report: inline CSS, inline SVG, no script, no external asset. Every
// string from the report is escaped: reasons and evidence quote what the proxy sent.
import { escapeHtml } from './escape.ts';
import { productLabel } from './labels.ts';
import { STATUS_MARK } from './markdown.ts';
import { sequenceSvg } from './sequence-svg.ts';
import type { CaseResult, Report, ReportTraceEvent, Verdict } from './types.ts';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;padding:16px 24px;color:#222}
h1{font-size:22px;margin:0 0 8px} h2{font-size:18px;margin:28px 0 8px} h3{font-size:15px;margin:0}
table{border-collapse:collapse;margin:8px 0} th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4} code,pre{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}
pre{background:#f7f7f7;border:1px solid #e3e3e3;padding:8px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-all}
.verdict,.st{display:inline-block;padding:1px 8px;border-radius:3px;font-weight:600;font-size:12px;color:#fff}
.v-conformant,.s-pass{background:#1e8449} .v-conformant-non-strict,.s-non-strict{background:#b9770e}
.v-non-conformant,.s-fail{background:#c0392b} .v-error,.s-error{background:#6c3483} .s-skip{background:#808b96}
details.case{border:1px solid #ddd;border-radius:4px;margin:10px 0;padding:8px 12px} details.case>summary{cursor:pointer}
.hint{background:#eaf2f8;border-left:4px solid #2874a6;padding:6px 10px;margin:8px 0}
.diagram{overflow-x:auto;border:1px solid #eee;margin:8px 0}
svg.seq{font:11px ui-monospace,Menlo,Consolas,monospace} svg.seq .lane{font-weight:700;font-size:12px} svg.seq .t{fill:#999} svg.seq .gap{fill:#999;font-style:italic}
.muted{color:#777}
`;

const verdictBadge = (v: Verdict | undefined) => (v ? `<span class="verdict v-${v}">${escapeHtml(v)}</span>` : '<span class="muted">not run</span>');
const statusBadge = (c: CaseResult) => `<span class="st s-${c.status}">${STATUS_MARK[c.status]}</span>`;
const anchor = (c: CaseResult) => `case-${c.transport}-${c.id}`.replace(/[^A-Za-z0-9_.-]/g, '_');

function traceListing(trace: readonly ReportTraceEvent[]): string {
  const lines = trace.map((e) => {
    switch (e.kind) {
      case 'data':
        return `#${e.seq} t=${e.t} ${e.conn} data from ${e.from} ${e.length} B${e.tls ? ' (in TLS)' : ''}${e.truncated ? ' (cut)' : ''}: ${e.preview}`;
      case 'message':
        return `#${e.seq} t=${e.t} ${e.conn} message ${e.dir} ${e.actor}: ${e.startLine}\n${e.headers.map(([k, v]) => `    ${k}: ${v}`).join('\n')}`;
      case 'elided':
        return `… ${e.count} events elided (seq ${e.fromSeq}–${e.toSeq}, ${e.bytes} B)`;
      default: {
        const { seq, t, kind, ...rest } = e;
        return `#${seq} t=${t} ${kind} ${JSON.stringify(rest)}`;
      }
    }
  });
  return `<details><summary>events (${trace.length})</summary><pre>${escapeHtml(lines.join('\n'))}</pre></details>`;
}

function caseSection(c: CaseResult, i: number): string {
  const open = c.status === 'fail' || c.status === 'error' ? ' open' : '';
  const parts = [
    `<details class="case" id="${anchor(c)}"${open}>`,
    `<summary>${statusBadge(c)} <h3 style="display:inline">${escapeHtml(c.id)} — ${escapeHtml(c.title)}</h3> <span class="muted">${escapeHtml(`${c.transport}, ${c.level}, ${c.durationMs} ms`)}</span></summary>`,
    `<p class="muted">Seed section: ${escapeHtml(c.section)}</p>`,
    `<p>${escapeHtml(c.reason)}</p>`,
  ];
  if (c.hint) parts.push(`<div class="hint"><b>Hint:</b> ${escapeHtml(c.hint)}</div>`);
  if (Object.keys(c.evidence).length) parts.push(`<h4>Evidence</h4><pre>${escapeHtml(JSON.stringify(c.evidence, null, 2))}</pre>`);
  if (c.trace.length) {
    parts.push(`<h4>Connections</h4><div class="diagram">${sequenceSvg(c.trace, `c${i}`)}</div>`, traceListing(c.trace));
  }
  parts.push('</details>');
  return parts.join('\n');
}

export function renderHtml(report: Report): string {
  const product = productLabel(report);
  const title = `wpc report: ${report.verdict}`;
  const rows = report.cases
    .map(
      (c) =>
        `<tr><td><a href="#${anchor(c)}">${escapeHtml(c.id)}</a></td><td>${c.transport}</td><td>${c.level}</td><td>${statusBadge(c)}</td><td>${escapeHtml(c.title)}</td><td>${escapeHtml(c.reason)}</td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>WinRM proxy conformance ${verdictBadge(report.verdict)}</h1>
<table>
<tr><th>Proxy</th><td><code>${escapeHtml(report.proxy.url)}</code>${report.proxy.requiresAuth ? ' (requires authentication)' : ''}</td></tr>
<tr><th>Product</th><td>${product ? escapeHtml(product) : '<span class="muted">not announced</span>'}</td></tr>
<tr><th>HTTP</th><td>${verdictBadge(report.transports.http)}</td></tr>
<tr><th>HTTPS</th><td>${verdictBadge(report.transports.https)}</td></tr>
<tr><th>Run</th><td>${escapeHtml(`wpc ${report.version}, started ${report.startedAt}, ${(report.durationMs / 1000).toFixed(1)} s, seed ${report.seed}`)}</td></tr>
</table>
<h2>Cases</h2>
<table>
<tr><th>id</th><th>transport</th><th>level</th><th>status</th><th>title</th><th>reason</th></tr>
${rows}
</table>
<h2>Details</h2>
${report.cases.map(caseSection).join('\n')}
</body>
</html>
`;
}
