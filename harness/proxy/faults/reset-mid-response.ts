// Resets the client connection halfway through a response: a large body, or the first
// response with a body after the client authenticated.

import type { HttpResponse } from '../../wire/types.ts';
import { getHeader } from '../../wire/index.ts';
import type { Fault, RelayContext } from '../types.ts';

const LARGE = 64 * 1024;

function triggers(ctx: RelayContext): boolean {
  if (ctx.direction !== 'to-client' || ctx.message?.kind !== 'response') return false;
  const res = ctx.message as HttpResponse;
  if (res.body.length >= LARGE) return true;
  const authed = !!ctx.request && getHeader(ctx.request.headers, 'authorization') !== undefined;
  return authed && res.status >= 200 && res.status < 300 && res.body.length > 0;
}

export const resetMidResponse: Fault = {
  name: 'reset-mid-response',
  description: 'resets the client connection halfway through a large response or the first authenticated response with a body',
  kind: 'fault',
  caughtBy: ['http.9'],
  relay(bytes, ctx) {
    if (!triggers(ctx)) return [{ bytes }];
    // Cut inside the body: past the head, half the body in.
    const res = ctx.message as HttpResponse;
    const cut = Math.max(1, bytes.length - Math.ceil(res.body.length / 2));
    return [{ bytes: bytes.subarray(0, cut) }, { reset: true }];
  },
};
