// Observations over both hops. A request is followed across the proxy by its `X-Wpc-Request`
// tag: the client records the connection it left on, the server the connection it arrived on.

import type { ClientExchange, WinrmClient } from '../client/types.ts';
import type { TraceEvent } from '../net/trace.ts';
import type { Network } from '../net/types.ts';
import type { AuditEntry, WinrmServer } from '../server/types.ts';

export type MessageEvent = Extract<TraceEvent, { kind: 'message' }>;

export interface Leg {
  tag: string;
  step: string;
  clientConn: string;
  /** Server connection the request arrived on; undefined when it never arrived. */
  serverConn?: string;
  clientStatus: number;
  serverKind?: AuditEntry['kind'];
}

/**
 * Each of a client's requests to the server, matched with the server's audit entry by tag.
 * Requests the proxy answered itself (CONNECT, and the 407 that asks for proxy credentials
 * before the request is sent again) are not legs of the destination's handshake: left out.
 */
export function legsOf(client: WinrmClient, server: WinrmServer): Leg[] {
  const byTag = new Map<string, AuditEntry>();
  for (const e of server.audit.entries) if (e.requestTag) byTag.set(e.requestTag, e);
  const forServer = (x: ClientExchange) => x.step !== 'CONNECT' && !(x.status === 407 && !byTag.has(x.tag));
  return client.exchanges.filter(forServer).map((x: ClientExchange) => {
    const a = byTag.get(x.tag);
    return {
      tag: x.tag,
      step: x.step,
      clientConn: x.conn,
      clientStatus: x.status,
      ...(a ? { serverConn: a.conn, serverKind: a.kind } : {}),
    };
  });
}

export function describeLegs(legs: Leg[]): string {
  return legs
    .map((l) => `${l.step} [${l.tag}] client ${l.clientConn} → server ${l.serverConn ?? '(never arrived)'} → ${l.clientStatus || 'no answer'}`)
    .join('; ');
}

/** Message events one actor recorded, in order. */
export function messages(net: Network, actor: string, dir?: 'in' | 'out'): MessageEvent[] {
  return net.trace.events.filter(
    (e): e is MessageEvent => e.kind === 'message' && e.actor === actor && (dir === undefined || e.dir === dir),
  );
}

export function header(m: MessageEvent, name: string): string[] {
  const n = name.toLowerCase();
  return m.headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
}

export interface Exchange {
  tag?: string;
  conn: string;
  request: MessageEvent;
  response?: MessageEvent;
}

/**
 * Requests and the responses that followed them on the same connection, from one endpoint's
 * point of view: a client sends requests ('out') and receives responses ('in'); a server the
 * reverse. Our endpoints do not pipeline, so the next response on a connection answers the
 * last request.
 */
export function exchangesOf(net: Network, actor: string, role: 'client' | 'server'): Exchange[] {
  const reqDir = role === 'client' ? 'out' : 'in';
  const out: Exchange[] = [];
  const open = new Map<string, Exchange[]>();
  for (const m of messages(net, actor)) {
    if (m.dir === reqDir) {
      const x: Exchange = { conn: m.conn, request: m, ...(tagOf(m) ? { tag: tagOf(m) } : {}) };
      out.push(x);
      const q = open.get(m.conn) ?? [];
      q.push(x);
      open.set(m.conn, q);
    } else {
      const q = open.get(m.conn);
      const x = q?.shift();
      if (x) x.response = m;
    }
  }
  return out;
}

function tagOf(m: MessageEvent): string | undefined {
  return header(m, 'x-wpc-request')[0];
}

/** Close/reset events of a connection, with time. */
export function closesOf(net: Network, conn: string): Array<Extract<TraceEvent, { kind: 'close' }>> {
  return net.trace.events.filter((e): e is Extract<TraceEvent, { kind: 'close' }> => e.kind === 'close' && e.conn === conn);
}

/** Time of the first close/reset of a connection after time t (inclusive), or undefined. */
export function closedAfter(net: Network, conn: string, t: number): number | undefined {
  return closesOf(net, conn).find((e) => e.t >= t)?.t;
}

/** Server connections accepted by a server's listeners, in order. */
export function serverConnections(net: Network, server: WinrmServer): string[] {
  const actor = serverActor(server);
  return net.trace
    .connections()
    .filter((o) => o.acceptor === actor)
    .map((o) => o.conn);
}

export function serverActor(server: WinrmServer): string {
  const e = server.net.trace.events.find(
    (x) => x.kind === 'listen' && server.http && x.addr.endsWith(`:${server.http.port}`),
  );
  return e && e.kind === 'listen' ? e.actor : 'server';
}

/** First index at which two byte strings differ, and a short hex view around it. */
export function firstDifference(a: Uint8Array, b: Uint8Array): string | undefined {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  if (i === n && a.length === b.length) return undefined;
  const hex = (x: Uint8Array) => Buffer.from(x.subarray(i, i + 16)).toString('hex');
  return `first difference at byte ${i}: sent ${hex(a) || '(end)'}…, received ${hex(b) || '(end)'}…`;
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return `${(e as { code?: string }).code ? `${(e as { code?: string }).code}: ` : ''}${e.message}`;
  return String(e);
}
