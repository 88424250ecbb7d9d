// Serializes a message exactly as given: start line and header fields verbatim (name case,
// order, values), body framed by msg.framing. It never adds or fixes headers: endpoints that
// want correct framing headers build messages with build.ts; fault injectors write what they mean.

import { concatBytes, latin1Encode, latin1EncodeWith } from './bytes.ts';
import { startLine } from './headers.ts';
import type { HeaderField, HttpMessage } from './types.ts';

function fieldLines(fields: readonly HeaderField[]): string {
  let s = '';
  for (const f of fields) s += `${f.name}: ${f.value}\r\n`;
  return s;
}

export function serialize(msg: HttpMessage): Uint8Array {
  const headText = `${startLine(msg)}\r\n${fieldLines(msg.headers)}\r\n`;
  const body = msg.body;
  if (msg.framing.kind !== 'chunked') {
    // Head and body in one allocation.
    const out = latin1EncodeWith(headText, body.length);
    out.set(body, headText.length);
    return out;
  }
  const head = latin1Encode(headText);

  // chunked-body = *chunk last-chunk trailer-section CRLF (RFC 9112 §7.1).
  const { chunkSizes, trailers } = msg.framing;
  let sizes: number[];
  const sum = chunkSizes.reduce((a, b) => a + b, 0);
  if (sum === body.length && chunkSizes.every((n) => Number.isInteger(n) && n > 0)) sizes = chunkSizes;
  else sizes = body.length > 0 ? [body.length] : [];
  const parts: Uint8Array[] = [head];
  let at = 0;
  for (const n of sizes) {
    parts.push(latin1Encode(`${n.toString(16)}\r\n`), body.subarray(at, at + n), latin1Encode('\r\n'));
    at += n;
  }
  parts.push(latin1Encode(`0\r\n${fieldLines(trailers)}\r\n`));
  return concatBytes(parts);
}
