// The part of a trace a failure explanation points at: the connections it names (`c12`),
// their opening, HTTP start lines and closing, in order. Start lines and connection events
// only — never header values or bodies, which may hold credentials.

import type { Trace, TraceEvent } from '../net/trace.ts';

/** Connection ids mentioned in the text (the sim and tcp networks name them `c<N>`). */
export function connectionIdsIn(text: string): string[] {
  return [...new Set(text.match(/\bc\d+\b/g) ?? [])];
}

function line(e: TraceEvent): string | undefined {
  const t = `t=${e.t}`.padEnd(9);
  switch (e.kind) {
    case 'open':
      return `${t} ${e.conn} open ${e.initiator} → ${e.acceptor} (${e.hop})`;
    case 'message':
      return `${t} ${e.conn} ${e.actor} ${e.dir === 'out' ? 'sent' : 'got '} ${e.startLine}${tagOf(e.headers)}`;
    case 'close':
      return `${t} ${e.conn} ${e.reset ? 'reset' : 'closed'} by ${e.from}`;
    case 'end':
      return `${t} ${e.conn} FIN from ${e.from}`;
    case 'tls':
      return `${t} ${e.conn} TLS ${e.client} ↔ ${e.server}`;
    case 'note':
      return e.conn ? `${t} ${e.conn} note (${e.actor}): ${e.text}` : undefined;
    default:
      return undefined;
  }
}

function tagOf(headers: Array<[string, string]>): string {
  const tag = headers.find(([n]) => n.toLowerCase() === 'x-wpc-request')?.[1];
  return tag ? `  [${tag}]` : '';
}

export function traceExcerpt(trace: Trace, conns: readonly string[], maxLines = 40): string[] {
  const want = new Set(conns);
  const out: string[] = [];
  for (const e of trace.events) {
    if (!('conn' in e) || !e.conn || !want.has(e.conn)) continue;
    const l = line(e);
    if (l) out.push(l);
  }
  if (out.length > maxLines) return [...out.slice(0, maxLines), `… ${out.length - maxLines} more lines`];
  return out;
}
