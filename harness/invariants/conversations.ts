// The Trace read back as HTTP: for every connection, the requests its initiator wrote and the
// responses its acceptor wrote, paired in order (RFC 9112 §9.3: responses come in request
// order), each request with its `X-Wpc-Request` tag. Bytes inside a TLS session are read from
// the plaintext the endpoints recorded (data events with `tls: true`); the raw stream then
// holds records, and a CONNECT's raw stream holds the CONNECT exchange and then the tunnel.

import { MessageParser, getHeader, type HttpMessage, type HttpRequest, type HttpResponse } from '../wire/index.ts';
import type { Trace, TraceEvent } from '../net/trace.ts';

type OpenEvent = Extract<TraceEvent, { kind: 'open' }>;
type DataEvent = Extract<TraceEvent, { kind: 'data' }>;

export interface Pair {
  conn: string;
  request: HttpRequest;
  response?: HttpResponse;
  tag?: string;
}

export interface Conversation {
  open: OpenEvent;
  /** HTTP exchanges: inside TLS when the connection carried TLS, else on the raw bytes. */
  pairs: Pair[];
  /** The raw-byte exchanges (the CONNECT, for a tunnel). Same as `pairs` without TLS. */
  rawPairs: Pair[];
  /** A CONNECT on this connection got a 2xx: bytes after it are tunnel bytes. */
  tunnel?: { fromInitiator: Uint8Array; fromAcceptor: Uint8Array };
  /** Raw bytes each side wrote (records, on a TLS connection). */
  raw: { fromInitiator: Uint8Array; fromAcceptor: Uint8Array };
  /** Plaintext each side wrote inside TLS, when there was TLS. */
  plain?: { fromInitiator: Uint8Array; fromAcceptor: Uint8Array };
  /** Why parsing stopped early, if it did (for explanations). */
  parseProblem?: string;
}

interface Streams {
  initRaw: DataEvent[];
  accRaw: DataEvent[];
  initTls: DataEvent[];
  accTls: DataEvent[];
  ended: boolean;
}

const cat = (evs: DataEvent[]): Uint8Array => (evs.length === 1 ? evs[0].bytes : Buffer.concat(evs.map((e) => e.bytes)));

function parseSide(
  type: 'request' | 'response',
  bytes: Uint8Array,
  ended: boolean,
  methods: string[] = [],
): { msgs: HttpMessage[]; rest: Uint8Array; tunnel: boolean; problem?: string } {
  const p = new MessageParser(type, { maxBodyBytes: 256 * 1024 * 1024 });
  for (const m of methods) p.expectResponseTo(m);
  const msgs: HttpMessage[] = [];
  let problem: string | undefined;
  try {
    if (bytes.length) msgs.push(...p.push(bytes));
    if (!p.tunnel && ended) msgs.push(...p.end());
  } catch (e) {
    problem = `${type}s: ${(e as Error).message}`;
  }
  const tunnel = p.tunnel;
  let rest: Uint8Array = new Uint8Array(0);
  try {
    rest = tunnel ? p.detach() : new Uint8Array(0);
  } catch {
    // a dead parser keeps its bytes
  }
  return { msgs, rest, tunnel, ...(problem ? { problem } : {}) };
}

function pairUp(conn: string, reqBytes: Uint8Array, resBytes: Uint8Array, ended: boolean) {
  const reqs = parseSide('request', reqBytes, ended);
  const requests = reqs.msgs as HttpRequest[];
  const res = parseSide('response', resBytes, ended, requests.map((r) => r.method));
  const responses = res.msgs as HttpResponse[];
  const pairs: Pair[] = requests.map((request, i) => {
    const tag = getHeader(request.headers, 'x-wpc-request');
    return { conn, request, ...(responses[i] ? { response: responses[i] } : {}), ...(tag !== undefined ? { tag } : {}) };
  });
  const connect = requests.findIndex((r) => r.method === 'CONNECT');
  const ok = connect >= 0 && responses[connect] && responses[connect].status >= 200 && responses[connect].status < 300;
  return {
    pairs,
    tunnel: ok ? { fromInitiator: reqs.rest, fromAcceptor: res.rest } : undefined,
    problem: reqs.problem ?? res.problem,
  };
}

/** Every connection of the trace as HTTP, keyed by connection id, in opening order. */
export function conversations(trace: Trace): Map<string, Conversation> {
  const opens = new Map<string, OpenEvent>();
  const streams = new Map<string, Streams>();
  for (const e of trace.events) {
    if (e.kind === 'open') {
      opens.set(e.conn, e);
      streams.set(e.conn, { initRaw: [], accRaw: [], initTls: [], accTls: [], ended: false });
      continue;
    }
    if (e.kind === 'data') {
      const o = opens.get(e.conn);
      const s = streams.get(e.conn);
      if (!o || !s) continue;
      const init = e.from === o.initiator;
      (e.tls ? (init ? s.initTls : s.accTls) : init ? s.initRaw : s.accRaw).push(e);
    } else if (e.kind === 'close' || e.kind === 'end') {
      const s = streams.get(e.conn);
      if (s) s.ended = true;
    }
  }
  const out = new Map<string, Conversation>();
  for (const [id, open] of opens) {
    const s = streams.get(id)!;
    const raw = { fromInitiator: cat(s.initRaw), fromAcceptor: cat(s.accRaw) };
    const rawConv = pairUp(id, raw.fromInitiator, raw.fromAcceptor, s.ended);
    const hasTls = s.initTls.length > 0 || s.accTls.length > 0;
    if (!hasTls) {
      out.set(id, { open, pairs: rawConv.pairs, rawPairs: rawConv.pairs, raw, ...(rawConv.tunnel ? { tunnel: rawConv.tunnel } : {}), ...(rawConv.problem ? { parseProblem: rawConv.problem } : {}) });
      continue;
    }
    const plain = { fromInitiator: cat(s.initTls), fromAcceptor: cat(s.accTls) };
    const inner = pairUp(id, plain.fromInitiator, plain.fromAcceptor, s.ended);
    const problem = inner.problem;
    out.set(id, {
      open,
      pairs: inner.pairs,
      rawPairs: rawConv.tunnel ? rawConv.pairs : [],
      raw,
      plain,
      ...(rawConv.tunnel ? { tunnel: rawConv.tunnel } : {}),
      ...(problem ? { parseProblem: problem } : {}),
    });
  }
  return out;
}

/** The actor named in a tag `<actor>/<n>` (the client's tag format), or undefined. */
export function tagActor(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const i = tag.lastIndexOf('/');
  return i > 0 ? tag.slice(0, i) : undefined;
}
