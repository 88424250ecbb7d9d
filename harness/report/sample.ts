// Small report builders for tests and examples (not used by the harness at run time).
import { Trace, type TraceEvent } from '../net/trace.ts';
import { toReportTrace } from './trace-view.ts';
import type { CaseResult, Report } from './types.ts';
import { transportVerdicts, verdictOf } from './verdict.ts';

export function makeCase(over: Partial<CaseResult> & { id: string }): CaseResult {
  return {
    title: `case ${over.id}`,
    section: 'HTTP-Based: connection-based authentication',
    level: 'MUST',
    transport: over.id.startsWith('https') ? 'https' : 'http',
    status: 'pass',
    durationMs: 10,
    reason: 'as expected',
    evidence: {},
    trace: [],
    ...over,
  };
}

export function makeReport(cases: CaseResult[], over: Partial<Report> = {}): Report {
  return {
    tool: 'wpc',
    version: '0.1.0',
    startedAt: '2024-01-02T03:04:05.000Z',
    durationMs: 1234,
    seed: 42,
    proxy: { url: 'http://127.0.0.1:3128', requiresAuth: false, product: { name: 'squid', version: '5.7' } },
    verdict: verdictOf(cases),
    transports: transportVerdicts(cases),
    cases,
    ...over,
  };
}

/** A trace of one NTLM-style exchange through a proxy: client#1 → proxy → server. */
export function sampleTrace(extra: (t: Trace) => void = () => {}): TraceEvent[] {
  let now = 0;
  const t = new Trace(() => (now += 5));
  const enc = (s: string) => new TextEncoder().encode(s);
  t.add({ kind: 'open', conn: 'c1', hop: 'client-proxy', initiator: 'client#1', acceptor: 'proxy', from: '127.0.0.1:50000', to: '127.0.0.1:3128' });
  t.add({ kind: 'data', conn: 'c1', from: 'client#1', bytes: enc('POST http://127.0.0.1:5985/wsman HTTP/1.1\r\nHost: 127.0.0.1:5985\r\nContent-Length: 0\r\n\r\n') });
  t.add({ kind: 'open', conn: 'c2', hop: 'proxy-server', initiator: 'proxy', acceptor: 'server', from: '127.0.0.1:50001', to: '127.0.0.1:5985' });
  t.add({ kind: 'message', conn: 'c2', actor: 'proxy', dir: 'out', startLine: 'POST /wsman HTTP/1.1', headers: [['Host', '127.0.0.1:5985']], bodyLength: 0 });
  t.add({ kind: 'data', conn: 'c2', from: 'server', bytes: enc('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\nContent-Length: 0\r\n\r\n') });
  t.add({ kind: 'data', conn: 'c1', from: 'proxy', bytes: enc('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\nContent-Length: 0\r\n\r\n') });
  t.add({ kind: 'data', conn: 'c1', from: 'client#1', bytes: new Uint8Array([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]) });
  extra(t);
  t.add({ kind: 'close', conn: 'c2', from: 'proxy', reset: true });
  t.add({ kind: 'close', conn: 'c1', from: 'proxy', reset: false });
  return t.events;
}

/** A report with one case per status and transport mix, each with a trace. */
export function sampleReport(): Report {
  const trace = toReportTrace(sampleTrace());
  return makeReport([
    makeCase({ id: 'http.1', title: 'HTTP/1.1 on both hops', status: 'pass', trace }),
    makeCase({
      id: 'http.2',
      title: 'NTLM legs on one server connection',
      status: 'fail',
      reason: 'leg 2 arrived on server connection c3, leg 1 on c2',
      hint: 'enable connection pinning (Squid: connection-auth=on)',
      evidence: { clientConn: 'c1', serverConns: ['c2', 'c3'] },
      trace,
    }),
    makeCase({ id: 'http.10', title: 'proxy auth over HTTP', level: 'INFO', status: 'skip', reason: 'proxy requires no authentication' }),
    makeCase({ id: 'http.11', title: 'long-poll Receive', level: 'SHOULD', status: 'non-strict', reason: 'completed after one retry', trace }),
    makeCase({ id: 'https.1', title: 'CONNECT to 5986', status: 'error', reason: 'proxy unreachable', trace }),
  ]);
}
