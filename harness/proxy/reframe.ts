// Changing how a body is framed without changing its bytes (RFC 9112 §6, §7.1).

import type { HttpMessage } from '../wire/types.ts';
import { removeHeaders } from '../wire/index.ts';

/** The same message with a Content-Length body (for an HTTP/1.0 recipient). */
export function dechunk<M extends HttpMessage>(msg: M): M {
  if (msg.framing.kind !== 'chunked') return msg;
  const headers = removeHeaders(msg.headers, ['transfer-encoding', 'content-length']);
  headers.push({ name: 'Content-Length', value: String(msg.body.length) });
  return { ...msg, headers, framing: { kind: 'length', length: msg.body.length } };
}

/** The same message framed as chunked, with chunks of the given sizes (cycled). */
export function rechunk<M extends HttpMessage>(msg: M, sizes: readonly number[]): M {
  const chunkSizes: number[] = [];
  let left = msg.body.length;
  for (let i = 0; left > 0; i++) {
    const n = Math.min(left, Math.max(1, sizes[i % sizes.length]));
    chunkSizes.push(n);
    left -= n;
  }
  const headers = removeHeaders(msg.headers, ['transfer-encoding', 'content-length']);
  headers.push({ name: 'Transfer-Encoding', value: 'chunked' });
  return { ...msg, headers, framing: { kind: 'chunked', chunkSizes, trailers: [] } };
}
