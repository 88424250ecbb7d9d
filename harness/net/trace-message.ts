// Parsed-message events in the Trace: every endpoint records what it sent and received, so
// verdicts can compare a message on both hops (start line, headers, body hash).

import * as nodeCrypto from 'node:crypto';
import { copyBytes } from '../wire/bytes.ts';
import { startLine } from '../wire/headers.ts';
import type { HttpMessage } from '../wire/types.ts';
import type { Trace, TraceInput } from './trace.ts';

export function traceMessage(trace: Trace, conn: string, actor: string, dir: 'in' | 'out', msg: HttpMessage): void {
  // Sized up front: a list grown by push() from empty reserves room for 16.
  const fields = msg.headers;
  const headers = new Array<[string, string]>(fields.length);
  for (let i = 0; i < fields.length; i++) headers[i] = [fields[i].name, fields[i].value];
  const body = msg.body;
  // bodySha256 only for a body, last (the Trace's field order is part of its text).
  const e: TraceInput =
    body.length > 0
      ? { kind: 'message', conn, actor, dir, startLine: startLine(msg), headers, bodyLength: body.length, bodySha256: bodySha256(body) }
      : { kind: 'message', conn, actor, dir, startLine: startLine(msg), headers, bodyLength: 0 };
  trace.add(e);
}

// One body is traced four times on its way (sent, received by the proxy, forwarded, received):
// the last few digests are remembered with a copy of their bytes and reused on an exact match.
const RECENT = 8;
// The copies come from the byte slab: Buffer.from would take a fresh 8 KB pool every few bodies.
const recent: Array<{ bytes: Uint8Array; hex: string }> = [];

/** SHA-256 of `body`, lower-case hex. */
export function bodySha256(body: Uint8Array): string {
  for (const r of recent) {
    if (r.bytes.length === body.length && Buffer.compare(r.bytes, body) === 0) return r.hex;
  }
  const hex = sha256Hex(body);
  if (recent.length === RECENT) recent.pop();
  recent.unshift({ bytes: copyBytes(body), hex });
  return hex;
}

// crypto.hash (Node ≥ 20.12) hashes in one call, without a Hash object per digest.
const oneShot = (nodeCrypto as { hash?: (alg: string, data: Uint8Array, enc: 'hex') => string }).hash;

function sha256Hex(body: Uint8Array): string {
  return oneShot ? oneShot('sha256', body, 'hex') : nodeCrypto.createHash('sha256').update(body).digest('hex');
}
