// HTTP/1.0 with Connection: close on one or both hops (seed: "Support for HTTP/1.1").

import type { HttpRequest, HttpResponse } from '../../wire/types.ts';
import { setHeader } from '../../wire/index.ts';
import { dechunk } from '../reframe.ts';
import type { Fault } from '../types.ts';

function downgradeRequest(req: HttpRequest): HttpRequest {
  // An HTTP/1.0 server may not understand chunked (RFC 9112 §7.1).
  const r = dechunk(req);
  return { ...r, version: 'HTTP/1.0', headers: setHeader(r.headers, 'Connection', 'close') };
}

function downgradeResponse(res: HttpResponse): HttpResponse {
  const r = dechunk(res);
  return { ...r, version: 'HTTP/1.0', headers: setHeader(r.headers, 'Connection', 'close') };
}

export const http10: Fault = {
  name: 'http10',
  description: 'speaks HTTP/1.0 with Connection: close on both hops',
  kind: 'fault',
  caughtBy: ['http.1'],
  onRequest: downgradeRequest,
  onResponse: downgradeResponse,
  afterResponse: () => 'close',
};

export const http10Upstream: Fault = {
  name: 'http10-upstream',
  description: 'sends requests to the server as HTTP/1.0 with Connection: close',
  kind: 'fault',
  caughtBy: ['http.1'],
  onRequest: downgradeRequest,
};

export const http10Client: Fault = {
  name: 'http10-client',
  description: 'answers the client as HTTP/1.0 with Connection: close, and closes',
  kind: 'fault',
  caughtBy: ['http.1'],
  onResponse: downgradeResponse,
  afterResponse: () => 'close',
};
