// INV-5 Liveness (seed "HTTP-Based Proxy Connections": connection-based authentication and
// persistence): every request completes within a bounded number of round trips (no 401 loop),
// and handshakes = client connections. A client whose credentials are right and whose scheme
// the server accepts on its transport ends `ok` (or refuses by its own policy, before sending).
// Through a conformant proxy this must hold; a fault that breaks it is caught here.

import type { ClientRecord, InvariantContext, InvariantResult } from './types.ts';

export const ID = 'INV-5';

/** 401s in a row one client may see: the challenge, NTLM's Type2, and a final refusal. */
export const MAX_CONSECUTIVE_401 = 3;

function shouldSucceed(c: ClientRecord, ctx: InvariantContext): boolean {
  if (c.auth === 'none' || c.credentials !== 'right') return false;
  if (!ctx.policy.serverAuth.includes(c.auth)) return false;
  if (c.transport === 'https') return true;
  if (c.auth === 'basic') return ctx.policy.allowUnencrypted; // WinRM answers Basic over HTTP with 401 otherwise
  return c.encryption === 'always' || ctx.policy.allowUnencrypted;
}

export function inv5(ctx: InvariantContext): InvariantResult {
  const problems: string[] = [];
  for (const c of ctx.clients) {
    let run = 0;
    let worst = 0;
    let last = '';
    for (const x of c.exchanges) {
      run = x.status === 401 && x.conn === last ? run + 1 : x.status === 401 ? 1 : 0;
      last = x.conn;
      worst = Math.max(worst, run);
    }
    if (worst > MAX_CONSECUTIVE_401) problems.push(`${c.actor} got ${worst} 401 answers in a row (at most ${MAX_CONSECUTIVE_401}: a 401 loop)`);
    const open = c.exchanges.filter((x) => x.status === 0);
    if (open.length > 0) {
      const x = open[0];
      problems.push(`${c.actor}'s ${x.step} request ${x.tag} on ${x.conn} never got a response (${c.outcome}${c.error ? `: ${c.error}` : ''})`);
    } else if (c.outcome === 'hang' || c.outcome === 'timeout') {
      problems.push(`${c.actor} did not complete: ${c.outcome}${c.error ? ` (${c.error})` : ''}`);
    }
    if (c.auth === 'negotiate') {
      // Connections that carried destination requests (a refused CONNECT carried none).
      const conns = new Set(c.exchanges.filter((x) => x.step !== 'CONNECT' && x.status !== 407).map((x) => x.conn)).size;
      if (c.handshakes !== conns) problems.push(`${c.actor} ran ${c.handshakes} handshake(s) on ${conns} client connection(s); expected one per connection`);
    }
    if (shouldSucceed(c, ctx) && c.outcome !== 'ok' && c.outcome !== 'refused-unencrypted-proxy') {
      problems.push(`${c.actor} has the right credentials for a scheme the server accepts, but ended '${c.outcome}'${c.error ? ` (${c.error})` : ''}`);
    }
  }
  if (problems.length === 0) {
    return { id: ID, holds: true, explanation: `every request of ${ctx.clients.length} client(s) completed, with no 401 loop and one handshake per client connection` };
  }
  return {
    id: ID,
    holds: false,
    explanation: `expected every request to complete in a bounded number of round trips; ${problems.slice(0, 4).join('; ')}${problems.length > 4 ? '; …' : ''}`,
  };
}
