// INV-3 Confidentiality (seed "Encryption and WinRM 2.0": "a malicious proxy server could
// examine every request/response pair, including credentials"): when the server enforces
// encryption, no byte sequence that a proxy observes contains plaintext SOAP, the password, or
// the NT hash; through a CONNECT tunnel the proxy observes only TLS records.
// An unauthenticated client's own plaintext requests (and the refusals they get) are that
// client's business, not a leak of anyone's data: they are not counted as plaintext SOAP.

import type { TraceEvent } from '../net/trace.ts';
import { findNeedles, secretNeedles, SOAP_MARKERS } from './needles.ts';
import { observe, ownerOf } from './observations.ts';
import { tlsRecordProblem } from './tls-records.ts';
import type { InvariantContext, InvariantResult } from './types.ts';

export const ID = 'INV-3';

type DataEvent = Extract<TraceEvent, { kind: 'data' }>;

/** Concatenates observed bytes per (connection, writer, tls) so that a secret split across writes is still found. */
export function streamsOf(events: readonly DataEvent[]): Array<{ conn: string; from: string; tls: boolean; bytes: Buffer }> {
  const m = new Map<string, { conn: string; from: string; tls: boolean; parts: Uint8Array[] }>();
  for (const e of events) {
    const k = `${e.conn}\u0000${e.from}\u0000${e.tls ? 1 : 0}`;
    let s = m.get(k);
    if (!s) m.set(k, (s = { conn: e.conn, from: e.from, tls: !!e.tls, parts: [] }));
    s.parts.push(e.bytes);
  }
  return [...m.values()].map((s) => ({ conn: s.conn, from: s.from, tls: s.tls, bytes: Buffer.concat(s.parts) }));
}

export function inv3(ctx: InvariantContext): InvariantResult {
  if (ctx.policy.allowUnencrypted) {
    return { id: ID, holds: true, applies: false, explanation: 'not applicable: the server allows unencrypted traffic (AllowUnencrypted=true)' };
  }
  if (ctx.policy.proxyActors.length === 0) {
    return { id: ID, holds: true, applies: false, explanation: 'not applicable: no proxy in the path' };
  }
  const obs = observe(ctx);
  const problems: string[] = [];

  const needles = ctx.secrets.destination.flatMap(secretNeedles);
  for (const s of streamsOf(obs.proxySaw)) {
    for (const f of findNeedles(s.bytes, needles)) {
      problems.push(`the proxy saw ${f.what} in bytes ${s.from} wrote on ${s.conn}${s.tls ? ' (inside TLS it terminated)' : ''} at offset ${f.at}`);
    }
  }

  const unauthenticated = new Set(ctx.clients.filter((c) => c.auth === 'none').map((c) => c.actor));
  const sawPlain = new Set(obs.proxySaw.filter((e) => e.tls).map((e) => e.conn));
  for (const conn of obs.proxyConns) {
    const conv = obs.convs.get(conn);
    if (!conv) continue;
    // What the proxy could read as HTTP: plaintext where it terminated TLS, else the raw bytes.
    const pairs = sawPlain.has(conn) ? conv.pairs : conv.plain ? conv.rawPairs : conv.pairs;
    for (const p of pairs) {
      const owner = ownerOf(obs, p.tag);
      if (owner !== undefined && unauthenticated.has(owner)) continue;
      for (const [side, msg] of [['request', p.request], ['response', p.response]] as const) {
        if (!msg || msg.body.length === 0) continue;
        for (const f of findNeedles(msg.body, SOAP_MARKERS)) {
          problems.push(`the proxy saw ${f.what} in the ${side} body of ${p.tag ?? 'an untagged request'} on ${conn}`);
        }
      }
    }
    if (conv.parseProblem && !conv.plain) {
      // Bytes the parser could not frame are still bytes the proxy saw.
      const unframed = Buffer.concat([conv.raw.fromInitiator, conv.raw.fromAcceptor]);
      if (unauthenticated.size === 0) {
        for (const f of findNeedles(unframed, SOAP_MARKERS)) problems.push(`the proxy saw ${f.what} in unframed bytes on ${conn}`);
      }
    }
    if (conv.tunnel) {
      if (sawPlain.has(conn)) problems.push(`the proxy terminated TLS inside the CONNECT tunnel on ${conn} and read the plaintext`);
      for (const [who, bytes] of [[conv.open.initiator, conv.tunnel.fromInitiator], [conv.open.acceptor, conv.tunnel.fromAcceptor]] as const) {
        const bad = tlsRecordProblem(bytes);
        if (bad) problems.push(`tunnel bytes from ${who} on ${conn} are not TLS records (${bad})`);
      }
    }
  }
  const unique = [...new Set(problems)];
  if (unique.length === 0) {
    return { id: ID, holds: true, explanation: `the proxy observed ${obs.proxySaw.length} writes on ${obs.proxyConns.size} connections: no plaintext SOAP, password or NT hash; tunnels carried TLS records only` };
  }
  return {
    id: ID,
    holds: false,
    explanation: `expected the proxy to observe only encrypted WS-Man and no credentials (AllowUnencrypted=false); ${unique.slice(0, 4).join('; ')}${unique.length > 4 ? `; … (${unique.length} in all)` : ''}`,
  };
}
