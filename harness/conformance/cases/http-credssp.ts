// http.4: connection-based authentication with CredSSP over plain HTTP (seed: "HTTP-Based
// Proxy Connections"; MS-CSSP §3.1.5 over HTTP, PROTOCOL.md: five round trips or more, one
// connection). On sim the CredSSP TLS layer is the deterministic stand-in; on tcp it is node's
// TLS, so tcp runs are not byte-identical from one run to the next (the verdict is).

import type { CaseDefinition } from '../types.ts';
import { describeLegs, legsOf, type Leg } from '../observe.ts';
import { attempt, fail, pass } from './outcome.ts';

/** TLS 1.2 handshake (2) + NTLM NEGOTIATE, AUTHENTICATE with pubKeyAuth, credentials (3). */
export const MIN_CREDSSP_LEGS = 5;

/** The first handshake: legs from the first 'credssp-1' up to the first that was not a 401. */
function firstHandshake(legs: Leg[]): Leg[] {
  const out: Leg[] = [];
  for (const l of legs) {
    if (out.length > 0 && l.step === 'credssp-1') break; // the client started over
    out.push(l);
    if (l.clientStatus !== 401) break;
  }
  return out;
}

/** http.4: every leg of one CredSSP handshake arrives on one server connection. */
export const http4: CaseDefinition = {
  id: 'http.4',
  async run(ctx) {
    const server = await ctx.startServer({ auth: ['negotiate', 'credssp'] });
    const client = ctx.client(server, { auth: 'credssp' });
    const failure = await attempt(async () => {
      await client.identify();
      await client.runCommand('whoami');
    });
    const all = legsOf(client, server);
    const legs = all.filter((l) => l.step.startsWith('credssp'));
    const first = firstHandshake(legs);
    const evidence = { legs: all, handshakes: client.handshakes, clientError: failure };
    const clientConns = new Set(first.map((l) => l.clientConn));
    const serverConns = new Set(first.map((l) => l.serverConn));
    const last = first.at(-1);
    const observed = `${describeLegs(first)}${failure ? `; client: ${failure}` : ''}`;
    if (first.length < MIN_CREDSSP_LEGS || !last || last.clientStatus === 401) {
      return fail(
        ctx,
        `a CredSSP handshake of at least ${MIN_CREDSSP_LEGS} legs, answered 401 with a CredSSP token until the 200`,
        `the handshake stopped after ${first.length} leg(s): ${observed}`,
        evidence,
      );
    }
    if (clientConns.size !== 1 || first.some((l) => !l.serverConn) || serverConns.size !== 1) {
      return fail(
        ctx,
        `all ${first.length} CredSSP legs sent on one client connection to arrive on one server connection`,
        observed,
        evidence,
      );
    }
    if (failure || last.clientStatus !== 200 || last.serverKind !== 'auth-complete') {
      return fail(ctx, 'the session to end authenticated (200 to the last CredSSP leg, then served)', `${describeLegs(all)}${failure ? `; client: ${failure}` : ''}`, evidence);
    }
    return pass(`${first.length} CredSSP legs on server connection ${last.serverConn}; authenticated`, evidence);
  },
};
