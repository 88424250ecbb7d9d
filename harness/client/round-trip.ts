// One request and its response on one connection, tagged and recorded in `exchanges`
// (the tag `X-Wpc-Request: <actor>/<n>` lets a Trace correlate the request on both hops).

import { request, startLine, type HeadersInit } from '../wire/index.ts';
import type { HttpResponse } from '../wire/types.ts';
import type { ClientContext } from './context.ts';
import type { HttpConnection } from './http-connection.ts';

export interface OutgoingRequest {
  method: string;
  target: string;
  headers: HeadersInit;
  body?: Uint8Array;
}

/** Not async: the exchange's status is filled in by the connection itself, so the caller awaits the one response promise. */
export function roundTrip(
  ctx: ClientContext,
  http: HttpConnection,
  step: string,
  out: OutgoingRequest,
  timeoutMs = ctx.timeoutMs,
): Promise<HttpResponse> {
  const tag = ctx.nextTag();
  const headers = [...out.headers.map((h) => (Array.isArray(h) ? { name: h[0], value: h[1] } : h)), { name: 'X-Wpc-Request', value: tag }];
  const req = request({ method: out.method, target: out.target, headers, ...(out.body ? { body: out.body } : {}) });
  const entry = { conn: http.id, tag, requestLine: startLine(req), status: 0, step };
  ctx.exchanges.push(entry);
  return http.send(req, timeoutMs, entry);
}
