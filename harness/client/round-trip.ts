// One request and its response on one connection, tagged and recorded in `exchanges`
// (the tag `X-Wpc-Request: <actor>/<n>` lets a Trace correlate the request on both hops).

import { EMPTY_BYTES } from '../wire/bytes.ts';
import { startLine } from '../wire/index.ts';
import type { HeaderField, HttpRequest, HttpResponse } from '../wire/types.ts';
import type { ClientContext } from './context.ts';
import type { HttpConnection } from './http-connection.ts';

export interface OutgoingRequest {
  method: string;
  target: string;
  /** The request's own fields, in order; taken over (the tag and Content-Length are appended). Never framing fields. */
  headers: HeaderField[];
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
  const headers = out.headers;
  headers.push({ name: 'X-Wpc-Request', value: tag });
  // Built here rather than with wire's request(): the headers are already fields (no copy) and
  // never frame the body themselves, so the framing is known. RFC 9110 §8.6: a POST carries
  // Content-Length even when empty; a CONNECT has no content and no framing header.
  const body = out.body ?? EMPTY_BYTES;
  const framed = body.length > 0 || out.method === 'POST';
  if (framed) headers.push({ name: 'Content-Length', value: String(body.length) });
  const req: HttpRequest = {
    kind: 'request',
    method: out.method,
    target: out.target,
    version: 'HTTP/1.1',
    headers,
    body,
    framing: framed ? { kind: 'length', length: body.length } : { kind: 'none' },
  };
  const entry = { conn: http.id, tag, requestLine: startLine(req), status: 0, step };
  ctx.exchanges.push(entry);
  return http.send(req, timeoutMs, entry);
}
