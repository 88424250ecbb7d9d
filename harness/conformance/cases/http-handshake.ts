// http.2, http.5, http.6: connection-based authentication and persistence over plain HTTP
// (seed: "HTTP-Based Proxy Connections").

import type { CaseDefinition } from '../types.ts';
import { closesOf, describeLegs, legsOf } from '../observe.ts';
import { attempt, fail, nonStrict, pass } from './outcome.ts';
import { runSession } from './session.ts';

/** http.2: every leg of one NTLM handshake arrives on one server connection. */
export const http2: CaseDefinition = {
  id: 'http.2',
  async run(ctx) {
    const server = await ctx.startServer();
    const client = ctx.client(server);
    const failure = await attempt(async () => {
      await client.identify();
    });
    const legs = legsOf(client, server).filter((l) => l.step.startsWith('negotiate'));
    const first = legs.slice(0, 2); // the first handshake: Type 1, then Type 3
    const evidence = { legs, handshakes: client.handshakes, clientError: failure };
    const conns = new Set(first.map((l) => l.serverConn));
    if (first.length < 2) {
      return fail(ctx, 'a Negotiate Type 1 and Type 3 leg, answered 401 then 200', `the handshake stopped after ${first.length} leg(s): ${describeLegs(first)}${failure ? `; client: ${failure}` : ''}`, evidence);
    }
    if (first.some((l) => !l.serverConn) || conns.size !== 1) {
      return fail(ctx, 'both legs of the handshake sent on one client connection to arrive on one server connection', describeLegs(first), evidence);
    }
    if (failure || first[1].clientStatus !== 200) {
      return fail(ctx, 'the session to end authenticated (200 to the Type 3 leg, then served)', `${describeLegs(legs)}${failure ? `; client: ${failure}` : ''}`, evidence);
    }
    return pass(`both legs on server connection ${first[0].serverConn}; authenticated`, evidence);
  },
};

/** http.5: after the 200 that completes authentication, nothing closes and the next request reuses the connection. */
export const http5: CaseDefinition = {
  id: 'http.5',
  async run(ctx) {
    const server = await ctx.startServer();
    const client = ctx.client(server);
    const failure = await attempt(async () => {
      await client.identify(); // handshake (empty-body legs) + the first encrypted request
      await ctx.net.clock.sleep(Math.min(ctx.timing.pauseMs, 1000));
      await client.identify(); // and one more after a short idle time
    });
    const legs = legsOf(client, server);
    const complete = legs.find((l) => l.step === 'negotiate-3' && l.clientStatus === 200);
    const evidence = { legs, handshakes: client.handshakes, clientError: failure };
    if (!complete?.serverConn) {
      return fail(ctx, 'a completed Negotiate handshake', `${describeLegs(legs)}${failure ? `; client: ${failure}` : ''}`, evidence);
    }
    const after = legs.slice(legs.indexOf(complete) + 1);
    const completeAt = ctx.net.trace.events.find(
      (e) => e.kind === 'message' && e.conn === complete.clientConn && e.dir === 'in' && e.startLine.includes(' 200 '),
    )?.t;
    const closed = [complete.clientConn, complete.serverConn].flatMap((c) =>
      closesOf(ctx.net, c)
        .filter((e) => completeAt !== undefined && e.t >= completeAt)
        .map((e) => `${c} ${e.reset ? 'reset' : 'closed'} by ${e.from} at t=${e.t}`),
    );
    const next = after[0];
    if (client.handshakes > 1 || !next || next.serverConn !== complete.serverConn || next.step.startsWith('negotiate')) {
      return fail(
        ctx,
        `both connections to stay open after the 200 on client ${complete.clientConn} / server ${complete.serverConn}, and the next encrypted request to be served there without a new handshake`,
        `${closed.length ? closed.join(', ') + '; ' : ''}next: ${next ? describeLegs([next]) : 'none'}; handshakes: ${client.handshakes}${failure ? `; client: ${failure}` : ''}`,
        { ...evidence, closedAfter200: closed },
      );
    }
    if (failure) return fail(ctx, 'the requests after the handshake to be served', failure, evidence);
    return pass(`the request after the 200 was served on ${complete.serverConn} without re-authentication`, evidence);
  },
};

/** http.6: a whole session with idle pauses on one server connection, one handshake. */
export const http6: CaseDefinition = {
  id: 'http.6',
  async run(ctx) {
    const server = await ctx.startServer();
    const client = ctx.client(server);
    const failure = await attempt(async () => {
      // WinRM clients often probe with an anonymous Identify before authenticating.
      await client.identify({ unauthenticated: true });
      await runSession(ctx.net, client, { pauseMs: ctx.timing.pauseMs, commands: 3 });
    });
    const legs = legsOf(client, server);
    const firstLeg = legs.findIndex((l) => l.step.startsWith('negotiate'));
    const fromAuth = firstLeg >= 0 ? legs.slice(firstLeg) : legs;
    const beforeAuth = firstLeg > 0 ? legs.slice(0, firstLeg) : [];
    const conns = [...new Set(fromAuth.map((l) => l.serverConn ?? '(never arrived)'))];
    const early = [...new Set(beforeAuth.map((l) => l.serverConn ?? '(never arrived)'))];
    const evidence = { legs, serverConnections: conns, beforeAuthentication: early, handshakes: client.handshakes, pauseMs: ctx.timing.pauseMs, clientError: failure };
    if (conns.length !== 1 || client.handshakes !== 1) {
      return fail(
        ctx,
        `every request of client connection ${fromAuth[0]?.clientConn ?? '?'} from the first authentication leg on to arrive on one server connection, with one handshake`,
        `server connections ${conns.join(', ')}; ${client.handshakes} handshake(s); ${describeLegs(fromAuth)}${failure ? `; client: ${failure}` : ''}`,
        evidence,
      );
    }
    if (failure) return fail(ctx, 'the whole session to be served', failure, evidence);
    // The stricter reading: the client connection maps to one server connection from its first request on.
    const spread = [...new Set([...early, ...conns])];
    if (spread.length > 1) {
      return nonStrict(
        `from the first authentication leg on every request arrived on ${conns[0]} (the MUST holds), but the ${beforeAuth.length} request(s) before it arrived on ${early.join(', ')}: the client connection was not mapped to one server connection from its start`,
        evidence,
      );
    }
    return pass(`${legs.length} requests with ${ctx.timing.pauseMs} ms pauses, all on ${conns[0]}, one handshake`, evidence);
  },
};
