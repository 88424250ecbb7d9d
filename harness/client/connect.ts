// Opening the client's connection: directly to the WinRM listener, to the proxy (HTTP), or to
// the proxy and through a CONNECT tunnel (HTTPS, RFC 9110 §9.3.6), with TLS end to end and the
// server certificate pinned (seed: HTTPS-Based Proxy Connections).

import { isIP } from 'node:net';
import type { Connection } from '../net/types.ts';
import type { HeaderField } from '../wire/types.ts';
import { authority, endpointPort, isHttps, type ClientContext } from './context.ts';
import { ConnectionLost, toClientError } from './errors.ts';
import { HttpConnection } from './http-connection.ts';
import { roundTrip } from './round-trip.ts';
import { WinrmClientError } from './types.ts';

function tlsOptions(ctx: ClientContext): { servername?: string; pinFingerprint256?: string } {
  const host = ctx.endpoint.hostname.replace(/^\[|\]$/g, '');
  // RFC 6066 §3: SNI carries host names only, never address literals.
  return {
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...(ctx.pinFingerprint256 ? { pinFingerprint256: ctx.pinFingerprint256.toLowerCase().replace(/:/g, '') } : {}),
  };
}

function wrap(ctx: ClientContext, conn: Connection): HttpConnection {
  return new HttpConnection(conn, { trace: ctx.net.trace, clock: ctx.net.clock, actor: ctx.actor });
}

async function tcpConnect(ctx: ClientContext, host: string, port: number, hop: string, tls: boolean): Promise<Connection> {
  try {
    return await ctx.net.connect({
      host,
      port,
      actor: ctx.actor,
      hop,
      timeoutMs: ctx.timeoutMs,
      ...(tls ? { tls: tlsOptions(ctx) } : {}),
    });
  } catch (e) {
    throw toClientError(e, `connect to ${host}:${port}`);
  }
}

/** Legs a CONNECT may take: bare → 407, Type 1 → 407 (Type 2), Type 3 → 200; one more for a stale Digest nonce. */
const MAX_CONNECT_LEGS = 5;

/**
 * CONNECT host:port on `http`, answering the proxy's 407s with the proxy credential (a
 * Negotiate/NTLM handshake stays on one connection). Resolves with the connection the tunnel is
 * open on (a new one when the proxy closed after a 407 that did not bind a handshake to it).
 */
async function openTunnel(ctx: ClientContext, http: HttpConnection): Promise<HttpConnection> {
  const route = ctx.route;
  if (route.kind !== 'proxy') throw new Error('openTunnel without a proxy');
  const target = authority(ctx);
  const what = `CONNECT ${target}`;
  for (let leg = 1; ; leg++) {
    const headers: HeaderField[] = [{ name: 'Host', value: target }];
    // RFC 7616 §3.4.6: the Digest uri of a CONNECT is its authority-form target.
    const sent = ctx.proxyAuth.authorization(http, 'CONNECT', target);
    if (sent !== undefined) headers.push({ name: 'Proxy-Authorization', value: sent });
    let res;
    try {
      res = await roundTrip(ctx, http, 'CONNECT', { method: 'CONNECT', target, headers });
    } catch (e) {
      throw toClientError(e, `${what} via ${route.proxy.host}:${route.proxy.port}`);
    }
    if (res.status >= 200 && res.status < 300) {
      ctx.proxyAuth.accepted(http);
      return http;
    }
    if (res.status !== 407) {
      http.close();
      throw new WinrmClientError('network', `the proxy refused ${what}: ${res.status} ${res.reason}`, { status: res.status, reason: res.reason });
    }
    try {
      if (leg >= MAX_CONNECT_LEGS) throw new WinrmClientError('proxy-auth', `the proxy still answers 407 after ${leg} legs (${what})`, { status: 407 });
      ctx.proxyAuth.challenged(http, res, sent, what);
      if (!http.usable) {
        // RFC 4559 §6: a handshake in progress is bound to the connection that just closed.
        if (ctx.proxyAuth.connectionBound && sent !== undefined) {
          throw new WinrmClientError('proxy-auth', `the proxy closed the connection in the middle of the ${ctx.proxyAuth.scheme} handshake (${what})`, { status: 407 });
        }
        http.close();
        http = wrap(ctx, await tcpConnect(ctx, route.proxy.host, route.proxy.port, 'client-proxy', false));
      }
    } catch (e) {
      http.close();
      throw e;
    }
  }
}

/** A fresh connection ready for WinRM requests (TLS established for https endpoints). */
export async function openConnection(ctx: ClientContext): Promise<HttpConnection> {
  const host = ctx.endpoint.hostname.replace(/^\[|\]$/g, '');
  const port = endpointPort(ctx);
  const https = isHttps(ctx);
  const route = ctx.route;
  if (route.kind === 'direct') return wrap(ctx, await tcpConnect(ctx, host, port, 'client-server', https));

  const toProxy = wrap(ctx, await tcpConnect(ctx, route.proxy.host, route.proxy.port, 'client-proxy', false));
  if (!https) return toProxy;

  const tunnel = await openTunnel(ctx, toProxy);
  const initialData = tunnel.detachTunnel();
  try {
    const tls = await ctx.net.startTls(tunnel.conn, {
      role: 'client',
      ...tlsOptions(ctx),
      ...(initialData.length ? { initialData } : {}),
      timeoutMs: ctx.timeoutMs,
    });
    return wrap(ctx, tls);
  } catch (e) {
    tunnel.conn.close();
    if (e instanceof ConnectionLost) throw e;
    throw toClientError(e, `TLS with ${host}:${port} through the CONNECT tunnel`);
  }
}
