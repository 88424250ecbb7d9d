// INV-7 Fail closed (seed: "If encryption is enforced, the destination server sends an access
// denied message to the unauthenticated client"): when a proxy breaks affinity the client gets
// an error with a reason — never another identity's session, never a hang past its bound.

import { carriesData, observe, ownerOf, userPart } from './observations.ts';
import type { InvariantContext, InvariantResult } from './types.ts';

export const ID = 'INV-7';

export function inv7(ctx: InvariantContext): InvariantResult {
  const obs = observe(ctx);
  const problems: string[] = [];
  const byActor = new Map(ctx.clients.map((c) => [c.actor, c]));
  for (const c of ctx.clients) {
    if (c.outcome === 'hang') problems.push(`${c.actor} was still waiting when the scenario's bound expired${c.error ? ` (${c.error})` : ''}`);
    else if (c.outcome !== 'ok' && !c.error) problems.push(`${c.actor} failed (${c.outcome}) without saying why`);
  }
  for (const e of ctx.audit) {
    if (!carriesData(e)) continue;
    const owner = ownerOf(obs, e.requestTag);
    const c = owner ? byActor.get(owner) : undefined;
    if (!c) continue;
    const mine = c.auth !== 'none' && c.credentials === 'right' && userPart(e.identity) === c.user?.toLowerCase();
    if (!mine) {
      problems.push(`${c.actor}'s ${e.action ?? 'request'} ${e.requestTag} was served in ${e.identity ?? 'an unknown'}'s session on server connection ${e.conn}`);
    }
  }
  if (problems.length === 0) {
    const failed = ctx.clients.filter((c) => c.outcome !== 'ok').map((c) => `${c.actor}: ${c.outcome}`);
    return { id: ID, holds: true, explanation: `no client was served in another identity's session or hung${failed.length ? `; failures closed: ${failed.join(', ')}` : ''}` };
  }
  return { id: ID, holds: false, explanation: `expected failures to close (an error, never another identity's session, never a hang); ${problems.slice(0, 4).join('; ')}` };
}
