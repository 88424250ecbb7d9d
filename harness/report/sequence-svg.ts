// An inline SVG sequence diagram of one case's trace: a lane per actor (clients, then proxy,
// then servers), an arrow per open (dashed), message (its start line), data without a parsed
// message (byte count), FIN, close (RST in red), each labelled with its connection id.
import { escapeXml } from './escape.ts';
import type { ReportTraceEvent } from './types.ts';

type Row =
  | { kind: 'arrow'; from: string; to: string; label: string; t?: number; style: 'solid' | 'dashed' | 'dotted'; color: string }
  | { kind: 'note'; actor: string; label: string; t?: number; color: string }
  | { kind: 'gap'; label: string };

const LANE = 210;
const LEFT = 70;
const TOP = 46;
const ROW = 24;
const MAX_ROWS = 600;
const RED = '#c0392b';
const INK = '#222';
const GREY = '#7a7a7a';

/** Client lanes first, then proxies and anything external, then servers; ties by first appearance. */
function laneRank(actor: string): number {
  if (/^client/i.test(actor)) return 0;
  if (/^server/i.test(actor)) return 2;
  return 1;
}

export function actorsOf(trace: readonly ReportTraceEvent[]): string[] {
  const seen: string[] = [];
  const add = (a: string | undefined) => {
    if (a && !seen.includes(a)) seen.push(a);
  };
  for (const e of trace) {
    if (e.kind === 'open') [e.initiator, e.acceptor].forEach(add);
    else if (e.kind === 'data' || e.kind === 'end' || e.kind === 'close') add(e.from);
    else if (e.kind === 'message' || e.kind === 'note' || e.kind === 'listen') add(e.actor);
    else if (e.kind === 'refused') add(e.initiator);
    else if (e.kind === 'tls') [e.client, e.server].forEach(add);
  }
  return seen.map((a, i) => ({ a, i })).sort((x, y) => laneRank(x.a) - laneRank(y.a) || x.i - y.i).map((x) => x.a);
}

export function rowsOf(trace: readonly ReportTraceEvent[]): Row[] {
  const ends = new Map<string, [string, string]>();
  for (const e of trace) if (e.kind === 'open') ends.set(e.conn, [e.initiator, e.acceptor]);
  const peer = (conn: string, actor: string): string | undefined => {
    const p = ends.get(conn);
    if (!p) return undefined;
    return actor === p[0] ? p[1] : actor === p[1] ? p[0] : undefined;
  };
  const key = (conn: string, sender: string) => `${conn}\u0000${sender}`;
  // Who sent parsed messages on which connection: their raw data arrows would repeat them.
  const outSenders = new Set<string>();
  const msgSenders = new Set<string>();
  for (const e of trace) {
    if (e.kind !== 'message') continue;
    const sender = e.dir === 'out' ? e.actor : peer(e.conn, e.actor);
    if (!sender) continue;
    msgSenders.add(key(e.conn, sender));
    if (e.dir === 'out') outSenders.add(key(e.conn, sender));
  }

  const rows: Row[] = [];
  let run: { conn: string; from: string; n: number; bytes: number; tls: boolean; row: Row & { kind: 'arrow' } } | undefined;
  const arrowOrNote = (conn: string, from: string, to: string | undefined, label: string, t: number, style: 'solid' | 'dashed' | 'dotted', color: string): void => {
    rows.push(to ? { kind: 'arrow', from, to, label: `[${conn}] ${label}`, t, style, color } : { kind: 'note', actor: from, label: `[${conn}] ${label}`, t, color });
  };

  for (const e of trace) {
    if (e.kind !== 'data') run = undefined;
    switch (e.kind) {
      case 'listen':
        rows.push({ kind: 'note', actor: e.actor, label: `listen ${e.addr}${e.tls ? ' (TLS)' : ''}`, t: e.t, color: GREY });
        break;
      case 'open':
        rows.push({ kind: 'arrow', from: e.initiator, to: e.acceptor, label: `[${e.conn}] open (${e.hop})`, t: e.t, style: 'dashed', color: INK });
        break;
      case 'refused':
        rows.push({ kind: 'note', actor: e.initiator, label: `refused ${e.to}: ${e.reason}`, t: e.t, color: RED });
        break;
      case 'data': {
        if (e.startLine !== undefined && msgSenders.has(key(e.conn, e.from))) break;
        if (e.startLine === undefined && run && run.conn === e.conn && run.from === e.from && !!e.tls === run.tls) {
          run.n++;
          run.bytes += e.length;
          run.row.label = `[${e.conn}] ${run.n}× data, ${run.bytes} B${run.tls ? ' (in TLS)' : ''}`;
          break;
        }
        const label = e.startLine ?? `${e.length} B${e.tls ? ' (in TLS)' : ''}`;
        arrowOrNote(e.conn, e.from, peer(e.conn, e.from), label, e.t, 'solid', e.tls ? '#1f618d' : INK);
        const last = rows[rows.length - 1];
        run = e.startLine === undefined && last.kind === 'arrow' ? { conn: e.conn, from: e.from, n: 1, bytes: e.length, tls: !!e.tls, row: last } : undefined;
        break;
      }
      case 'end':
        arrowOrNote(e.conn, e.from, peer(e.conn, e.from), 'FIN', e.t, 'dotted', GREY);
        break;
      case 'close':
        arrowOrNote(e.conn, e.from, peer(e.conn, e.from), e.reset ? 'RST' : 'close', e.t, e.reset ? 'dashed' : 'dotted', e.reset ? RED : GREY);
        break;
      case 'tls':
        rows.push({ kind: 'arrow', from: e.client, to: e.server, label: `[${e.conn}] TLS, server cert ${e.fingerprint256.slice(0, 16)}…`, t: e.t, style: 'dotted', color: '#1f618d' });
        break;
      case 'message': {
        const other = peer(e.conn, e.actor);
        if (e.dir === 'in' && other && outSenders.has(key(e.conn, other))) break;
        const [from, to] = e.dir === 'out' ? [e.actor, other] : [other ?? e.actor, other ? e.actor : undefined];
        arrowOrNote(e.conn, from, to, e.startLine, e.t, 'solid', INK);
        break;
      }
      case 'note':
        rows.push({ kind: 'note', actor: e.actor, label: e.conn ? `[${e.conn}] ${e.text}` : e.text, t: e.t, color: GREY });
        break;
      case 'elided':
        rows.push({ kind: 'gap', label: `… ${e.count} events elided (seq ${e.fromSeq}–${e.toSeq}, ${e.bytes} B) …` });
        break;
    }
  }
  if (rows.length > MAX_ROWS) {
    const dropped = rows.length - MAX_ROWS;
    rows.length = MAX_ROWS;
    rows.push({ kind: 'gap', label: `… ${dropped} more rows not drawn …` });
  }
  return rows;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}

/** The diagram as an <svg> element; `uid` keeps marker ids unique within one HTML page. */
export function sequenceSvg(trace: readonly ReportTraceEvent[], uid: string): string {
  const actors = actorsOf(trace);
  const rows = rowsOf(trace);
  const x = (a: string) => LEFT + LANE / 2 + LANE * Math.max(0, actors.indexOf(a));
  const width = LEFT + LANE * Math.max(1, actors.length);
  const height = TOP + ROW * (rows.length + 1);
  const id = (name: string) => `${uid}-${name}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const colors = [INK, RED, GREY, '#1f618d'];
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="seq" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="sequence diagram">`,
    `<defs>${colors.map((c, i) => `<marker id="${id(`ah${i}`)}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`).join('')}</defs>`,
  );
  for (const a of actors) {
    parts.push(
      `<text x="${x(a)}" y="20" text-anchor="middle" class="lane">${escapeXml(clip(a, 28))}<title>${escapeXml(a)}</title></text>`,
      `<line x1="${x(a)}" y1="28" x2="${x(a)}" y2="${height - 6}" stroke="#bbb" stroke-dasharray="2,3"/>`,
    );
  }
  rows.forEach((r, i) => {
    const y = TOP + ROW * i + ROW / 2;
    if (r.kind === 'gap') {
      parts.push(`<text x="${width / 2}" y="${y + 4}" text-anchor="middle" class="gap">${escapeXml(r.label)}</text>`);
      return;
    }
    if (r.t !== undefined) parts.push(`<text x="4" y="${y + 4}" class="t">${escapeXml(String(r.t))}</text>`);
    const title = `<title>${escapeXml(r.label)}</title>`;
    if (r.kind === 'note') {
      const label = clip(r.label, 40);
      const w = Math.min(LANE - 10, 12 + label.length * 6.2);
      parts.push(
        `<g><rect x="${x(r.actor) - w / 2}" y="${y - 9}" width="${w}" height="17" rx="3" fill="#fff8dc" stroke="${r.color}"/>`,
        `<text x="${x(r.actor)}" y="${y + 4}" text-anchor="middle" fill="${r.color}">${escapeXml(label)}</text>${title}</g>`,
      );
      return;
    }
    const marker = id(`ah${Math.max(0, colors.indexOf(r.color))}`);
    const dash = r.style === 'dashed' ? ' stroke-dasharray="6,4"' : r.style === 'dotted' ? ' stroke-dasharray="2,3"' : '';
    const [x1, x2] = [x(r.from), x(r.to)];
    if (x1 === x2) {
      parts.push(
        `<g><path d="M${x1},${y - 6} h30 v12 h-30" fill="none" stroke="${r.color}"${dash} marker-end="url(#${marker})"/>`,
        `<text x="${x1 + 36}" y="${y + 4}" fill="${r.color}">${escapeXml(clip(r.label, 30))}</text>${title}</g>`,
      );
      return;
    }
    const max = Math.max(24, Math.floor(Math.abs(x2 - x1) / 6.2));
    parts.push(
      `<g><line x1="${x1}" y1="${y + 5}" x2="${x2}" y2="${y + 5}" stroke="${r.color}"${dash} marker-end="url(#${marker})"/>`,
      `<text x="${(x1 + x2) / 2}" y="${y}" text-anchor="middle" fill="${r.color}">${escapeXml(clip(r.label, max))}</text>${title}</g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
