// Parsed-message events in the Trace, so that verdicts can name what the proxy saw and sent.

import type { Trace } from '../net/trace.ts';
import type { HttpMessage } from '../wire/types.ts';
import { startLine } from '../wire/index.ts';

export function traceMessage(trace: Trace, conn: string, actor: string, dir: 'in' | 'out', msg: HttpMessage): void {
  trace.add({
    kind: 'message',
    conn,
    actor,
    dir,
    startLine: startLine(msg),
    headers: msg.headers.map((h) => [h.name, h.value] as [string, string]),
    bodyLength: msg.body.length,
  });
}
