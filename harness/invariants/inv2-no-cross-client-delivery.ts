// INV-2 No cross-client delivery: no client ever receives the response to another client's
// request. Read from the wire: every response body the server wrote is known with the tag of
// the request it answered; a client that received that same body in answer to its own request
// got someone else's response. (Bodies, not headers: a proxy may reframe, RFC 9112 §7.)

import { createHash } from 'node:crypto';
import { observe, ownerOf } from './observations.ts';
import type { InvariantContext, InvariantResult } from './types.ts';

export const ID = 'INV-2';

const key = (b: Uint8Array): string => createHash('sha1').update(b).digest('base64');

export function inv2(ctx: InvariantContext): InvariantResult {
  const obs = observe(ctx);
  const server = ctx.policy.serverActor;
  const clientActors = new Set(ctx.clients.map((c) => c.actor));
  /** body → tag and server connection of the request it answered. */
  const served = new Map<string, { tag?: string; conn: string }>();
  for (const conv of obs.convs.values()) {
    if (conv.open.acceptor !== server) continue;
    for (const p of conv.pairs) if (p.response && p.response.body.length > 0) served.set(key(p.response.body), { tag: p.tag, conn: conv.open.conn });
  }
  const problems: string[] = [];
  let checked = 0;
  for (const conv of obs.convs.values()) {
    const actor = conv.open.initiator;
    if (!clientActors.has(actor) || conv.open.acceptor === server) continue; // direct: one connection, nothing to mix up
    for (const p of conv.pairs) {
      if (!p.response || p.response.body.length === 0) continue;
      const origin = served.get(key(p.response.body));
      if (!origin) continue;
      checked++;
      const owner = ownerOf(obs, origin.tag);
      if (owner !== undefined && owner !== actor) {
        problems.push(
          `${actor} on ${conv.open.conn} sent ${p.tag ?? 'an untagged request'} and received the response the server wrote on ${origin.conn} for ${origin.tag} (${owner}'s request)`,
        );
      }
    }
  }
  if (problems.length === 0) {
    return { id: ID, holds: true, explanation: `each of ${checked} relayed responses went to the client whose request it answered` };
  }
  return {
    id: ID,
    holds: false,
    explanation: `expected each client to receive only responses to its own requests; ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`,
  };
}
