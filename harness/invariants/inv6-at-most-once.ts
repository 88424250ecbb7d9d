// INV-6 At most once: no WS-Man Command executes twice because a proxy dropped or re-routed a
// connection. Counted on the server's audit log: a request (tag) runs at most one command, and
// a client runs no more commands than its steps ask for.

import { observe, ownerOf } from './observations.ts';
import type { InvariantContext, InvariantResult } from './types.ts';

export const ID = 'INV-6';

export function inv6(ctx: InvariantContext): InvariantResult {
  const obs = observe(ctx);
  const problems: string[] = [];
  const perTag = new Map<string, string[]>();
  const perClient = new Map<string, number>();
  let executed = 0;
  for (const e of ctx.audit) {
    if (!e.commandId) continue;
    executed++;
    const tag = e.requestTag ?? '(untagged)';
    perTag.set(tag, [...(perTag.get(tag) ?? []), `${e.commandId} on ${e.conn}`]);
    const owner = ownerOf(obs, e.requestTag) ?? '(unknown)';
    perClient.set(owner, (perClient.get(owner) ?? 0) + 1);
  }
  for (const [tag, runs] of perTag) {
    if (tag !== '(untagged)' && runs.length > 1) problems.push(`request ${tag} executed ${runs.length} times (${runs.join(', ')})`);
  }
  for (const c of ctx.clients) {
    const n = perClient.get(c.actor) ?? 0;
    if (n > c.plannedCommands) problems.push(`${c.actor} asked for ${c.plannedCommands} command(s) but the server executed ${n}`);
  }
  if (problems.length === 0) return { id: ID, holds: true, explanation: `${executed} command(s) executed, none twice` };
  return { id: ID, holds: false, explanation: `expected every command to execute at most once; ${problems.slice(0, 4).join('; ')}` };
}
