// https.1–https.5: the CONNECT tunnel (seed: "HTTPS-Based Proxy Connections").

import type { WinrmClient } from '../../client/types.ts';
import { parseChallenges, sameScheme } from '../../auth/challenge.ts';
import { connectProbe, PROBES, proxyChallenges } from './proxy-auth-probes.ts';
import type { TraceEvent } from '../../net/trace.ts';
import type { CaseContext, CaseDefinition } from '../types.ts';
import { describeLegs, firstDifference, legsOf, messages, header, serverActor } from '../observe.ts';
import { RawConnection } from '../raw.ts';
import { MessageParser, request } from '../../wire/index.ts';
import { attempt, error, fail, pass, skip } from './outcome.ts';
import { runSession } from './session.ts';

type Data = Extract<TraceEvent, { kind: 'data' }>;

/** The raw bytes written on a connection, split by who wrote them (TLS plaintext excluded). */
function rawBytes(ctx: CaseContext, conn: string, from: (actor: string) => boolean): Buffer {
  return Buffer.concat(
    ctx.net.trace.events.filter((e): e is Data => e.kind === 'data' && e.conn === conn && !e.tls && from(e.from)).map((e) => e.bytes),
  );
}

/** The bytes after the CONNECT exchange(s) — a 407 and a retry included — i.e. the tunnel's. */
function tunnelBytes(b: Buffer, side: 'request' | 'response'): Buffer {
  let rest: Buffer = b;
  // A request parser turns into a tunnel at each CONNECT: strip CONNECTs until TLS begins.
  for (let round = 0; round < 4; round++) {
    const p = new MessageParser(side);
    try {
      if (side === 'response') for (let i = 0; i < 4; i++) p.expectResponseTo('CONNECT');
      p.push(rest);
    } catch {
      return Buffer.alloc(0);
    }
    if (!p.tunnel) return Buffer.alloc(0);
    rest = Buffer.from(p.detach());
    if (side === 'response' || !rest.subarray(0, 8).equals(Buffer.from('CONNECT '))) return rest;
  }
  return rest;
}

/** Identify and one command through the tunnel: the client's error, when it failed. */
function session(client: WinrmClient): Promise<string | undefined> {
  return attempt(async () => {
    await client.identify();
    await client.runCommand('hostname');
  });
}

/** https.1: CONNECT to the WinRM HTTPS port gets 2xx; the tunnel carries bytes unchanged both ways. */
export const https1: CaseDefinition = {
  id: 'https.1',
  async run(ctx) {
    const server = await ctx.startServer();
    const client = ctx.client(server);
    const failure = await session(client);
    const legs = legsOf(client, server);
    const clientConn = legs[0]?.clientConn ?? client.exchanges[0]?.conn;
    // The answer that opened the tunnel (after a 407 when the proxy authenticates), else the first.
    const answers = messages(ctx.net, 'client#1', 'in').filter((m) => m.conn === clientConn);
    const connectResponse = answers.find((m) => / 2\d\d( |$)/.test(m.startLine)) ?? answers[0];
    const serverConn = legs.find((l) => l.serverConn)?.serverConn;
    const port = server.https!.port;
    if (!serverConn || !clientConn) {
      const refused = failure?.match(/refused CONNECT [^:]+: (.*)$/)?.[1];
      return fail(
        ctx,
        `CONNECT ${server.https!.host}:${port} to be answered 2xx and a tunnel to reach the WinRM HTTPS listener`,
        refused ? `the proxy answered "${refused}"` : (failure ?? 'no request arrived at the server'),
        { port, clientError: failure, connectResponse: connectResponse?.startLine },
      );
    }
    const sActor = serverActor(server);
    const upSent = tunnelBytes(rawBytes(ctx, clientConn, (a) => a === 'client#1'), 'request');
    const upGot = rawBytes(ctx, serverConn, (a) => a !== sActor);
    const downSent = rawBytes(ctx, serverConn, (a) => a === sActor);
    const downGot = tunnelBytes(rawBytes(ctx, clientConn, (a) => a !== 'client#1'), 'response');
    const up = firstDifference(upSent, upGot);
    const down = firstDifference(downSent, downGot);
    const evidence = { port, clientConn, serverConn, connectResponse: connectResponse?.startLine, bytesUp: upSent.length, bytesDown: downSent.length, clientError: failure };
    if (up || down) {
      return fail(ctx, `the tunnel from client ${clientConn} to server ${serverConn} to carry every byte unchanged`, [up && `client→server ${up}`, down && `server→client ${down}`].filter(Boolean).join('; '), evidence);
    }
    if (failure) return fail(ctx, 'the WinRM session to complete through the tunnel', failure, evidence);
    return pass(`CONNECT to port ${port} answered "${connectResponse?.startLine ?? '2xx'}"; ${upSent.length} bytes up and ${downSent.length} down arrived unchanged`, evidence);
  },
};

/** https.2: the client receives the WinRM server's own certificate. */
export const https2: CaseDefinition = {
  id: 'https.2',
  async run(ctx) {
    const server = await ctx.startServer();
    const client = ctx.client(server);
    const failure = await session(client);
    const expected = server.fingerprint256!;
    const seen = ctx.net.trace.events.flatMap((e) => {
      if (e.kind === 'tls' && e.client === 'client#1') return [e.fingerprint256];
      if (e.kind === 'note' && e.actor === 'client#1') return [e.text.match(/fingerprint ([0-9a-f]{64})/)?.[1]].filter((x): x is string => !!x);
      return [];
    });
    const evidence = { expected, seen, clientError: failure };
    if (seen.length === 0) return error(`no TLS handshake took place through the proxy: ${failure ?? 'unknown reason'}`, evidence);
    const other = seen.find((f) => f !== expected);
    if (other) {
      return fail(ctx, `the WinRM server's own certificate (sha256 ${expected})`, `the client received a certificate with sha256 ${other}: the proxy terminates TLS`, evidence);
    }
    return pass(`the client received the server's certificate (sha256 ${expected.slice(0, 16)}…)`, evidence);
  },
};

/** https.3: an authenticating proxy answers CONNECT without credentials 407, with them 2xx. */
export const https3: CaseDefinition = {
  id: 'https.3',
  async run(ctx) {
    const server = await ctx.startServer();
    const authority = `${server.https!.host}:${server.https!.port}`;
    const bare = await connectProbe(ctx, authority, 'prober#1', [undefined]);
    const first = bare.answers[0];
    const evidence: Record<string, unknown> = { withoutCredentials: first ? `${first.status} ${first.reason}` : '(no response)' };
    if (!first) return fail(ctx, 'an answer to CONNECT', 'the proxy closed the connection without answering', evidence);
    if (first.status !== 407) {
      if (first.status >= 200 && first.status < 300) return skip('the proxy asks for no authentication (CONNECT without credentials was answered 2xx)', evidence);
      return skip(`the proxy does not authenticate CONNECT (answered ${first.status} ${first.reason})`, evidence);
    }
    const challenge = proxyChallenges(first);
    evidence.proxyAuthenticate = challenge;
    if (!challenge.length) return fail(ctx, '407 with a Proxy-Authenticate challenge', '407 without Proxy-Authenticate', evidence);
    const offered = [...new Set(parseChallenges(challenge).map((c) => c.scheme))];
    evidence.offered = offered;
    if (!ctx.proxy.credentials) return error('the proxy requires authentication: give --proxy-user and --proxy-password (or credentials in the URL)', evidence);
    // Basic as before; where the proxy offers them, also the connection-bound handshake
    // (RFC 4559 §6: Negotiate preferred to NTLM) and Digest (RFC 7616).
    const tried = PROBES.filter((p) => offered.some((o) => sameScheme(o, p.scheme)));
    const connectionBound = tried.filter((p) => p.bound);
    const plan = [...tried.filter((p) => !p.bound), ...connectionBound.slice(0, 1)];
    if (!plan.length) return error(`the proxy offers only ${offered.join(', ')}; the harness answers Negotiate, NTLM, Digest and Basic`, evidence);
    const used: Array<{ scheme: string; answers: string[]; connections: number }> = [];
    evidence.used = used;
    for (const p of plan) {
      const r = await p.run(ctx, authority, first);
      used.push({ scheme: p.scheme, answers: r.answers.map((a) => (a ? `${a.status} ${a.reason}` : '(connection closed)')), connections: 1 });
      const last = r.answers[r.answers.length - 1];
      if (!last || last.status < 200 || last.status >= 300) {
        const what = p.bound ? `the ${p.scheme} handshake on one connection to open the tunnel (RFC 4559 §6)` : `CONNECT with ${p.scheme} proxy credentials to open the tunnel (2xx)`;
        return fail(ctx, what, `answered ${used[used.length - 1].answers.join(' → ')}`, evidence);
      }
    }
    evidence.withCredentials = used.map((u) => `${u.scheme}: ${u.answers[u.answers.length - 1]}`).join('; ');
    return pass(`407 with ${offered.join(', ')} without credentials; the tunnel opened with ${used.map((u) => `${u.scheme} (${u.answers.join(' → ')})`).join(', ')}`, evidence);
  },
};

/** https.4: the destination's Negotiate handshake completes inside the tunnel; no proxy credential reaches the server. */
export const https4: CaseDefinition = {
  id: 'https.4',
  async run(ctx) {
    const server = await ctx.startServer();
    const client = ctx.client(server, { encryption: 'always' });
    const failure = await session(client);
    const legs = legsOf(client, server);
    const sActor = serverActor(server);
    const complete = server.audit.entries.find((e) => e.kind === 'auth-complete' && e.listener === 'https');
    const leaked = messages(ctx.net, sActor, 'in').filter((m) => header(m, 'proxy-authorization').length);
    const creds = ctx.proxy.credentials;
    const serverBytes = Buffer.concat(
      ctx.net.trace.events.filter((e): e is Data => e.kind === 'data' && e.from !== sActor && server.audit.entries.some((a) => a.conn === e.conn)).map((e) => e.bytes),
    );
    const credentialSeen =
      creds && [creds.password, Buffer.from(`${creds.user}:${creds.password}`).toString('base64')].some((s) => serverBytes.includes(Buffer.from(s)));
    const evidence = { legs, authenticated: complete?.identity, serverConn: complete?.conn, clientError: failure };
    if (leaked.length || credentialSeen) {
      return fail(ctx, 'no Proxy-Authorization header or proxy credential in what the server received', `${leaked.length} request(s) at the server carried Proxy-Authorization${credentialSeen ? '; the proxy credential appears in the bytes the server received' : ''}`, evidence);
    }
    if (!complete) return fail(ctx, 'the Negotiate handshake to complete inside the tunnel', `${describeLegs(legs)}${failure ? `; client: ${failure}` : ''}`, evidence);
    if (failure) return fail(ctx, 'the session to be served after the handshake', failure, evidence);
    return pass(`authenticated as ${complete.identity} on ${complete.conn} inside the tunnel; no proxy credential reached the server`, evidence);
  },
};

/** https.5: a whole session with idle pauses over one tunnel on one server connection. */
export const https5: CaseDefinition = {
  id: 'https.5',
  async run(ctx) {
    const server = await ctx.startServer();
    const client = ctx.client(server);
    const failure = await attempt(async () => {
      await runSession(ctx.net, client, { pauseMs: ctx.timing.pauseMs, commands: 3 });
    });
    const legs = legsOf(client, server);
    const serverConns = [...new Set(legs.map((l) => l.serverConn ?? '(never arrived)'))];
    const clientConns = [...new Set(legs.map((l) => l.clientConn))];
    const evidence = { legs, serverConnections: serverConns, clientConnections: clientConns, handshakes: client.handshakes, clientError: failure };
    if (serverConns.length !== 1 || clientConns.length !== 1) {
      return fail(ctx, 'the whole session over one tunnel (one client connection) on one server connection', `client connections ${clientConns.join(', ')}; server connections ${serverConns.join(', ')}${failure ? `; client: ${failure}` : ''}`, evidence);
    }
    if (failure) return fail(ctx, 'the whole session to be served', failure, evidence);
    return pass(`${legs.length} requests with ${ctx.timing.pauseMs} ms pauses over tunnel ${clientConns[0]} → server ${serverConns[0]}`, evidence);
  },
};
