// INV-4 Credential separation (seed Note: "Authentication to the proxy server is independent
// from the authentication to the destination server"; RFC 9110 §11.7.1: Proxy-Authorization is
// consumed by the proxy it is meant for): proxy credentials never appear in bytes that reach
// the server; destination credentials never appear in clear to the proxy.

import { getHeader } from '../wire/index.ts';
import type { TraceEvent } from '../net/trace.ts';
import { findNeedles, secretNeedles } from './needles.ts';
import { observe } from './observations.ts';
import { streamsOf } from './inv3-confidentiality.ts';
import type { InvariantContext, InvariantResult } from './types.ts';

export const ID = 'INV-4';

type DataEvent = Extract<TraceEvent, { kind: 'data' }>;

export function inv4(ctx: InvariantContext): InvariantResult {
  const obs = observe(ctx);
  const server = ctx.policy.serverActor;
  const problems: string[] = [];

  // 1. What reached the server: bytes others wrote on its connections, and plaintext clients
  //    wrote inside TLS (which, through a tunnel, is recorded on the client's connection).
  const clientActors = new Set(ctx.clients.map((c) => c.actor));
  const serverConns = new Set([...obs.convs.values()].filter((c) => c.open.acceptor === server).map((c) => c.open.conn));
  const reached: DataEvent[] = [];
  for (const e of ctx.trace.events) {
    if (e.kind !== 'data' || e.from === server) continue;
    if (serverConns.has(e.conn) || (e.tls && clientActors.has(e.from))) reached.push(e);
  }
  const proxyNeedles = ctx.secrets.proxy.flatMap(secretNeedles);
  for (const s of streamsOf(reached)) {
    for (const f of findNeedles(s.bytes, proxyNeedles)) problems.push(`the server received ${f.what} in bytes ${s.from} wrote on ${s.conn}`);
  }
  for (const conn of serverConns) {
    for (const p of obs.convs.get(conn)!.pairs) {
      if (getHeader(p.request.headers, 'proxy-authorization') !== undefined) {
        problems.push(`a Proxy-Authorization header reached the server on ${conn} (request ${p.tag ?? p.request.method + ' ' + p.request.target})`);
      }
    }
  }

  // 2. What the proxy saw in clear: destination credentials, whatever the server's policy.
  if (ctx.policy.proxyActors.length > 0) {
    const destNeedles = ctx.secrets.destination.flatMap(secretNeedles);
    for (const s of streamsOf(obs.proxySaw)) {
      for (const f of findNeedles(s.bytes, destNeedles)) problems.push(`the proxy saw ${f.what} in bytes ${s.from} wrote on ${s.conn}`);
    }
  }
  const unique = [...new Set(problems)];
  if (unique.length === 0) {
    return {
      id: ID,
      holds: true,
      explanation: `no proxy credential (of ${ctx.secrets.proxy.length}) reached the server and no destination credential (of ${ctx.secrets.destination.length}) was in clear to the proxy`,
    };
  }
  return {
    id: ID,
    holds: false,
    explanation: `expected proxy and destination credentials to stay on their own hop; ${unique.slice(0, 4).join('; ')}${unique.length > 4 ? `; … (${unique.length} in all)` : ''}`,
  };
}
