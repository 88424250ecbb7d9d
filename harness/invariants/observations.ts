// Facts several invariants need, computed once per context: the trace as HTTP conversations,
// which client connection each request tag left on, and the bytes a proxy observed.

import type { TraceEvent } from '../net/trace.ts';
import { conversations, tagActor, type Conversation } from './conversations.ts';
import type { InvariantContext } from './types.ts';

type DataEvent = Extract<TraceEvent, { kind: 'data' }>;

export interface TagOrigin {
  actor: string;
  /** The client-side connection the request left on. */
  conn: string;
}

export interface Observations {
  convs: Map<string, Conversation>;
  /** Request tag → the client (actor) and client connection that sent it. */
  tagOrigin: Map<string, TagOrigin>;
  /** Data events the proxy observed: raw bytes on its connections, plaintext where it terminated TLS. */
  proxySaw: DataEvent[];
  /** Connections the proxy took part in. */
  proxyConns: Set<string>;
}

const cache = new WeakMap<InvariantContext, Observations>();

export function observe(ctx: InvariantContext): Observations {
  const hit = cache.get(ctx);
  if (hit) return hit;
  const convs = conversations(ctx.trace);
  const clientActors = new Set(ctx.clients.map((c) => c.actor));

  const tagOrigin = new Map<string, TagOrigin>();
  for (const c of ctx.clients) {
    for (const x of c.exchanges) if (x.tag && x.conn) tagOrigin.set(x.tag, { actor: c.actor, conn: x.conn });
  }
  // The wire is the truth: a tagged request a client wrote on a connection it opened.
  for (const conv of convs.values()) {
    if (!clientActors.has(conv.open.initiator)) continue;
    for (const p of conv.pairs) if (p.tag) tagOrigin.set(p.tag, { actor: conv.open.initiator, conn: conv.open.conn });
  }

  const proxies = new Set(ctx.policy.proxyActors);
  const proxyConns = new Set<string>();
  for (const conv of convs.values()) {
    if (proxies.has(conv.open.initiator) || proxies.has(conv.open.acceptor)) proxyConns.add(conv.open.conn);
  }
  const terminates = new Set<string>(); // connections where the proxy is a TLS endpoint
  for (const e of ctx.trace.events) if (e.kind === 'data' && e.tls && proxies.has(e.from) && proxyConns.has(e.conn)) terminates.add(e.conn);
  const proxySaw: DataEvent[] = [];
  for (const e of ctx.trace.events) {
    if (e.kind !== 'data' || !proxyConns.has(e.conn)) continue;
    if (!e.tls || terminates.has(e.conn)) proxySaw.push(e);
  }
  const obs = { convs, tagOrigin, proxySaw, proxyConns };
  cache.set(ctx, obs);
  return obs;
}

/** The client (actor) a tag belongs to: by what was seen on the wire, else by the tag's form. */
export function ownerOf(obs: Observations, tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  return obs.tagOrigin.get(tag)?.actor ?? tagActor(tag);
}

/** `DOMAIN\user` or `user@domain` → `user`, lower case. */
export function userPart(identity: string | undefined): string | undefined {
  if (!identity) return undefined;
  const bs = identity.lastIndexOf('\\');
  const name = bs >= 0 ? identity.slice(bs + 1) : identity.split('@')[0];
  return name.toLowerCase();
}

/** WS-Man data went back: a 2xx on a served request with a SOAP body. */
export function carriesData(e: { kind: string; status: number; responseBytes?: number }): boolean {
  return (e.kind === 'wsman' || e.kind === 'auth-complete') && e.status >= 200 && e.status < 300 && (e.responseBytes ?? 0) > 0;
}
