// Builders for well-formed messages: they add the framing header (Content-Length or
// Transfer-Encoding: chunked) the serializer never adds, unless the caller's headers already frame.

import { EMPTY_BYTES } from './bytes.ts';
import { listTokens, nameIs } from './headers.ts';
import type { Framing, HeaderField, HttpRequest, HttpResponse } from './types.ts';

export type HeadersInit = Array<[string, string]> | HeaderField[];

/** Reason phrases of RFC 9110 §15. */
export const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  426: 'Upgrade Required',
  431: 'Request Header Fields Too Large', // RFC 6585 §5
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};

function toFields(init: HeadersInit | undefined): HeaderField[] {
  if (!init) return [];
  return init.map((h) => (Array.isArray(h) ? { name: h[0], value: h[1] } : { name: h.name, value: h.value }));
}

const UTF8 = new TextEncoder();

function toBytes(body: Uint8Array | string | undefined): Uint8Array {
  if (body === undefined) return EMPTY_BYTES;
  return typeof body === 'string' ? UTF8.encode(body) : body;
}

/** Framing the caller's own headers already declare (RFC 9112 §6.3 precedence), if any. */
function declaredFraming(headers: HeaderField[], body: Uint8Array): Framing | undefined {
  // Both framing fields looked for in one pass; the usual built message has neither.
  let hasTe = false;
  let hasCl = false;
  for (const h of headers) {
    if (nameIs(h.name, 'transfer-encoding')) hasTe = true;
    else if (nameIs(h.name, 'content-length')) hasCl = true;
  }
  const te = hasTe ? listTokens(headers, 'transfer-encoding') : [];
  if (te.length > 0) {
    if (te[te.length - 1].toLowerCase() === 'chunked') {
      return { kind: 'chunked', chunkSizes: body.length ? [body.length] : [], trailers: [] };
    }
    return { kind: 'close' };
  }
  if (hasCl) return { kind: 'length', length: body.length };
  return undefined;
}

function frame(headers: HeaderField[], body: Uint8Array, chunked: boolean | undefined, needsLength: boolean): Framing {
  const declared = declaredFraming(headers, body);
  if (declared) return declared;
  if (chunked) {
    headers.push({ name: 'Transfer-Encoding', value: 'chunked' });
    return { kind: 'chunked', chunkSizes: body.length ? [body.length] : [], trailers: [] };
  }
  if (body.length > 0 || needsLength) {
    headers.push({ name: 'Content-Length', value: String(body.length) });
    return { kind: 'length', length: body.length };
  }
  return { kind: 'none' };
}

export function request(init: {
  method: string;
  target: string;
  version?: string;
  headers?: HeadersInit;
  body?: Uint8Array | string;
  chunked?: boolean;
}): HttpRequest {
  const headers = toFields(init.headers);
  const body = toBytes(init.body);
  // RFC 9110 §8.6: a user agent SHOULD send Content-Length when a method defines content (POST, PUT), even 0.
  const needsLength = init.method === 'POST' || init.method === 'PUT';
  const framing = frame(headers, body, init.chunked, needsLength);
  return { kind: 'request', method: init.method, target: init.target, version: init.version ?? 'HTTP/1.1', headers, body, framing };
}

export function response(init: {
  status: number;
  reason?: string;
  version?: string;
  headers?: HeadersInit;
  body?: Uint8Array | string;
  chunked?: boolean;
  /** No content and no framing header added (response to HEAD, 2xx to CONNECT). Implied for 1xx, 204, 304. */
  bodiless?: boolean;
}): HttpResponse {
  const headers = toFields(init.headers);
  const s = init.status;
  const bodiless = init.bodiless || s < 200 || s === 204 || s === 304;
  const body = bodiless ? EMPTY_BYTES : toBytes(init.body);
  // A response without framing would be close-delimited; always frame, with Content-Length: 0 if empty.
  const framing: Framing = bodiless ? { kind: 'none' } : frame(headers, body, init.chunked, true);
  return {
    kind: 'response',
    version: init.version ?? 'HTTP/1.1',
    status: s,
    reason: init.reason ?? REASON_PHRASES[s] ?? '',
    headers,
    body,
    framing,
  };
}
