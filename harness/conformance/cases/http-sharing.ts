// http.7: no server connection carries two clients once authentication started on it; an
// unauthenticated client never lands on a connection another client authenticated (seed:
// "If the proxy does not strongly link a client to a server …").

import { basicHeader } from '../../auth/index.ts';
import { request } from '../../wire/index.ts';
import * as wsman from '../../wsman/index.ts';
import type { CaseContext, CaseDefinition } from '../types.ts';
import { errorText, legsOf, type Leg } from '../observe.ts';
import { RawConnection } from '../raw.ts';
import { fail, pass } from './outcome.ts';

const RIDER = 'rider';

export const http7: CaseDefinition = {
  id: 'http.7',
  async run(ctx) {
    const server = await ctx.startServer();
    const errors: Record<string, string> = {};
    const clients = ['client#1', 'client#2', 'client#3'].map((name) => ({ name, c: ctx.client(server, { name }) }));
    const pause = Math.min(ctx.timing.pauseMs, 500);
    // Three concurrent sessions, interleaved by pauses, so idle authenticated server
    // connections exist while others send.
    await Promise.all(
      clients.map(async ({ name, c }, i) => {
        try {
          await ctx.net.clock.sleep(i * 50);
          await c.identify();
          await ctx.net.clock.sleep(pause);
          await c.runCommand('whoami');
        } catch (e) {
          errors[name] = errorText(e);
        }
      }),
    );
    // While those connections sit idle (and authenticated), an unauthenticated client sends
    // a WS-Man request without credentials, on a connection of its own.
    const rider = await riderRequest(ctx, server.http!);
    // And a successive client after the others finished.
    const late = ctx.client(server, { name: 'client#4' });
    try {
      await late.identify();
    } catch (e) {
      errors['client#4'] = errorText(e);
    }
    clients.push({ name: 'client#4', c: late });

    // Which client connections each server connection carried, from its first auth leg on.
    const legs: Array<Leg & { client: string }> = clients.flatMap(({ name, c }) => legsOf(c, server).map((l) => ({ ...l, client: name })));
    const authStart = new Map<string, number>(); // server conn → audit seq of first auth leg
    for (const e of server.audit.entries) {
      if ((e.kind === 'auth-leg' || e.kind === 'auth-complete') && !authStart.has(e.conn)) authStart.set(e.conn, e.seq);
    }
    const carried = new Map<string, Set<string>>();
    const tagToClientConn = new Map(legs.map((l) => [l.tag, `${l.client}:${l.clientConn}`]));
    if (rider.tag && rider.conn) tagToClientConn.set(rider.tag, `${RIDER}:${rider.conn}`);
    for (const e of server.audit.entries) {
      const start = authStart.get(e.conn);
      if (start === undefined || e.seq < start || !e.requestTag) continue;
      const who = tagToClientConn.get(e.requestTag);
      if (!who) continue;
      const set = carried.get(e.conn) ?? new Set<string>();
      set.add(who);
      carried.set(e.conn, set);
    }
    const shared = [...carried].filter(([, s]) => s.size > 1).map(([conn, s]) => `server ${conn} carried ${[...s].join(' and ')}`);
    const riderEntry = server.audit.entries.find((e) => e.requestTag === rider.tag);
    const riderOnAuthenticated = riderEntry && authStart.has(riderEntry.conn) && authStart.get(riderEntry.conn)! < riderEntry.seq;
    // Whose authentication the rider's server connection carried when the rider arrived.
    const owner = riderEntry
      ? [...server.audit.entries].reverse().find((e) => e.conn === riderEntry.conn && e.seq < riderEntry.seq && e.kind === 'auth-complete')?.identity
      : undefined;
    const evidence = {
      carried: Object.fromEntries([...carried].map(([k, v]) => [k, [...v]])),
      rider: { clientConn: rider.conn, serverConn: riderEntry?.conn, status: rider.status, serverKind: riderEntry?.kind, connectionAuthenticatedAs: owner, servedAs: riderEntry?.identity },
      clientErrors: errors,
    };
    if (shared.length || riderOnAuthenticated) {
      const riderText = riderOnAuthenticated
        ? `the unauthenticated client's request (client ${rider.conn}) arrived on server ${riderEntry!.conn}, which another client had authenticated${owner ? ` as ${owner}` : ''}, and got ${rider.status || 'no answer'}${riderEntry!.kind === 'wsman' ? ' WITH DATA' : ''}`
        : '';
      return fail(
        ctx,
        'each server connection to carry the requests of one client connection only, once authentication started on it',
        [...shared, riderText].filter(Boolean).join('; '),
        evidence,
      );
    }
    if (Object.keys(errors).length) {
      return fail(ctx, 'every client session to be served on its own server connection', Object.entries(errors).map(([k, v]) => `${k}: ${v}`).join('; '), evidence);
    }
    return pass(`${carried.size} authenticated server connections, each carrying one client connection; the unauthenticated client got ${rider.status || 'no answer'} on its own connection`, evidence);
  },
};

/** An unauthenticated client: a plain WS-Man Create with no Authorization, absolute-form through the proxy. */
async function riderRequest(ctx: CaseContext, dest: { host: string; port: number }): Promise<{ tag?: string; conn?: string; status: number }> {
  const tag = `${RIDER}/1`;
  let raw: RawConnection | undefined;
  try {
    raw = await RawConnection.open(ctx.net, ctx.proxy, RIDER, ctx.timing.timeoutMs);
    const authority = `${dest.host}:${dest.port}`;
    const body = wsman.createShell({ to: `http://${authority}/wsman`, messageId: 'uuid:00000000-0000-4000-8000-0000000000a1' });
    const headers: Array<[string, string]> = [
      ['Host', authority],
      ['Content-Type', 'application/soap+xml;charset=UTF-8'],
      ['X-Wpc-Request', tag],
    ];
    if (ctx.proxy.credentials) headers.push(['Proxy-Authorization', basicHeader(ctx.proxy.credentials.user, ctx.proxy.credentials.password)]);
    const res = await raw.send(request({ method: 'POST', target: `http://${authority}/wsman`, headers, body }), ctx.timing.timeoutMs);
    return { tag, conn: raw.conn.id, status: res?.status ?? 0 };
  } catch {
    return { tag, ...(raw ? { conn: raw.conn.id } : {}), status: 0 };
  } finally {
    raw?.close();
  }
}
