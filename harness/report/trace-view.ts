// A Trace (harness/net/trace.ts) rendered JSON-safe for the report: bytes become base64 and a
// printable preview of at most `maxPreviewBytes`, and a long trace keeps its first and last
// events and every structural one (open, close, end, refused, tls, message, listen), with
// `elided` markers where events were left out.
import type { TraceEvent } from '../net/trace.ts';
import { renderPayload } from './bytes-view.ts';
import { redactBytes, type Secret } from './redact.ts';
import type { ReportElidedEvent, ReportTraceEvent } from './types.ts';

export interface TraceViewOptions {
  /** Events kept before summarising (structural events may exceed it; see summarise). Default 300. */
  maxEvents?: number;
  /** Payload bytes kept per data event. Default 256. */
  maxPreviewBytes?: number;
  /** Redacted from the whole payload before it is cut, so no partial secret survives the cut. */
  secrets?: readonly Secret[];
}

export const DEFAULT_MAX_EVENTS = 300;
export const DEFAULT_MAX_PREVIEW_BYTES = 256;

const STRUCTURAL = new Set<TraceEvent['kind']>(['open', 'close', 'end', 'refused', 'tls', 'message', 'listen']);

export function toReportTrace(events: readonly TraceEvent[], opts: TraceViewOptions = {}): ReportTraceEvent[] {
  const maxEvents = Math.max(2, opts.maxEvents ?? DEFAULT_MAX_EVENTS);
  const maxPreview = Math.max(0, opts.maxPreviewBytes ?? DEFAULT_MAX_PREVIEW_BYTES);
  const keep = summarise(events, maxEvents);
  const out: ReportTraceEvent[] = [];
  let gap: ReportElidedEvent | undefined;
  events.forEach((e, i) => {
    if (!keep[i]) {
      if (!gap) {
        gap = { kind: 'elided', count: 0, fromSeq: e.seq, toSeq: e.seq, bytes: 0 };
        out.push(gap);
      }
      gap.count++;
      gap.toSeq = e.seq;
      if (e.kind === 'data') gap.bytes += e.bytes.length;
      return;
    }
    gap = undefined;
    out.push(viewOf(e, maxPreview, opts.secrets ?? []));
  });
  return out;
}

/**
 * Which events to keep: all when they fit; otherwise the first and last quarter of the budget
 * and every structural event. When structural events alone overflow the budget, the kept set
 * is cut to its first and last halves so that the result stays bounded.
 */
function summarise(events: readonly TraceEvent[], maxEvents: number): boolean[] {
  if (events.length <= maxEvents) return events.map(() => true);
  const edge = Math.max(1, Math.floor(maxEvents / 4));
  const keep = events.map((e, i) => i < edge || i >= events.length - edge || STRUCTURAL.has(e.kind));
  const kept = keep.flatMap((k, i) => (k ? [i] : []));
  if (kept.length > maxEvents) {
    const head = Math.ceil(maxEvents / 2);
    const tail = maxEvents - head;
    const retained = new Set([...kept.slice(0, head), ...kept.slice(kept.length - tail)]);
    return events.map((_e, i) => retained.has(i));
  }
  return keep;
}

function viewOf(e: TraceEvent, maxPreview: number, secrets: readonly Secret[]): ReportTraceEvent {
  switch (e.kind) {
    case 'data': {
      const bytes = secrets.length ? redactBytes(e.bytes, secrets) : e.bytes;
      const shown = bytes.subarray(0, maxPreview);
      return {
        seq: e.seq,
        t: e.t,
        kind: 'data',
        conn: e.conn,
        from: e.from,
        ...(e.tls ? { tls: true } : {}),
        ...renderPayload(shown, e.bytes.length, shown.length < bytes.length),
      };
    }
    case 'message':
      return { ...e, headers: e.headers.map(([k, v]): [string, string] => [k, v]) };
    default:
      return { ...e };
  }
}
