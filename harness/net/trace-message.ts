// Parsed-message events in the Trace: every endpoint records what it sent and received, so
// verdicts can compare a message on both hops (start line, headers, body hash).

import { createHash } from 'node:crypto';
import { startLine } from '../wire/headers.ts';
import type { HttpMessage } from '../wire/types.ts';
import type { Trace } from './trace.ts';

export function traceMessage(trace: Trace, conn: string, actor: string, dir: 'in' | 'out', msg: HttpMessage): void {
  trace.add({
    kind: 'message',
    conn,
    actor,
    dir,
    startLine: startLine(msg),
    headers: msg.headers.map((h) => [h.name, h.value] as [string, string]),
    bodyLength: msg.body.length,
    ...(msg.body.length > 0 ? { bodySha256: createHash('sha256').update(msg.body).digest('hex') } : {}),
  });
}
