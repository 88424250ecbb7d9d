// INV-1 No unauthenticated access (REQUIREMENTS.md §2; seed "Encryption and WinRM 2.0": "an
// unauthorized client could connect to the destination server by using the same authenticated
// connection"): every response that carries WS-Man data goes to a client connection whose own
// credentials authenticated the server connection it was served on.

import { carriesData, observe, userPart } from './observations.ts';
import type { InvariantContext, InvariantResult } from './types.ts';

export const ID = 'INV-1';

export function inv1(ctx: InvariantContext): InvariantResult {
  const obs = observe(ctx);
  const byActor = new Map(ctx.clients.map((c) => [c.actor, c]));
  const problems: string[] = [];
  let served = 0;
  /** server connection → tag of the request that completed its latest handshake. */
  const authBy = new Map<string, string | undefined>();
  for (const e of ctx.audit) {
    if (e.kind === 'auth-complete') authBy.set(e.conn, e.requestTag);
    if (!carriesData(e)) continue;
    served++;
    const origin = e.requestTag ? obs.tagOrigin.get(e.requestTag) : undefined;
    const what = `${e.action ?? 'a request'} (tag ${e.requestTag ?? 'none'}) served on server connection ${e.conn} as ${e.identity ?? 'nobody'}`;
    if (!origin) {
      problems.push(`${what}: no client connection of this run sent that request`);
      continue;
    }
    const client = byActor.get(origin.actor);
    if (e.scheme === 'basic') {
      // Basic authenticates each request by itself (RFC 7617): it must carry this client's own user.
      if (!client || client.auth !== 'basic' || userPart(e.identity) !== client.user?.toLowerCase()) {
        problems.push(`${what}: went to ${origin.actor} on ${origin.conn}, which did not send those Basic credentials`);
      }
      continue;
    }
    const authTag = authBy.get(e.conn);
    const authOrigin = authTag ? obs.tagOrigin.get(authTag) : undefined;
    if (!authOrigin) {
      problems.push(`${what}: went to ${origin.actor} on ${origin.conn}, but no client handshake of this run authenticated ${e.conn}`);
    } else if (authOrigin.conn !== origin.conn) {
      problems.push(
        `${what}: went to ${origin.actor} on client connection ${origin.conn}, but ${e.conn} was authenticated by ${authOrigin.actor} on client connection ${authOrigin.conn}`,
      );
    }
  }
  if (problems.length === 0) {
    return { id: ID, holds: true, explanation: `each of ${served} responses with WS-Man data went to the client connection that authenticated its server connection` };
  }
  return {
    id: ID,
    holds: false,
    explanation: `expected WS-Man data only for the client connection whose credentials authenticated the server connection; saw ${problems.length} violation(s): ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`,
  };
}
