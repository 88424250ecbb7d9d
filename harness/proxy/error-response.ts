// The proxy's own answers when it cannot forward: a status and a one-line reason
// (RFC 9110 §15.5.1 400, §15.6.3 502, §15.6.5 504, §15.5.4 403).

import type { HttpResponse } from '../wire/types.ts';
import { response } from '../wire/index.ts';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  502: 'Bad Gateway',
  504: 'Gateway Timeout',
};

/** An error response whose body is the one-line `detail`; `close` adds Connection: close. */
export function errorResponse(status: number, detail: string, close = true): HttpResponse {
  const reason = REASONS[status] ?? 'Error';
  const line = `${reason}: ${detail.split('\n')[0]}`;
  return response({
    status,
    reason,
    headers: [
      { name: 'Content-Type', value: 'text/plain' },
      ...(close ? [{ name: 'Connection', value: 'close' }] : []),
    ],
    body: new TextEncoder().encode(line + '\n'),
  });
}
