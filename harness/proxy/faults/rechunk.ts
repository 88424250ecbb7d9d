// Control: chunked framing with other chunk sizes is a legal re-framing (RFC 9112 §7.1);
// the body bytes — multipart/encrypted included — stay identical.

import type { HttpMessage } from '../../wire/types.ts';
import { rechunk as reframe } from '../reframe.ts';
import type { Fault } from '../types.ts';

const SIZES = [1000, 17, 4096, 333];

function apply<M extends HttpMessage>(msg: M, to10: boolean): M {
  if (msg.body.length === 0 || msg.framing.kind === 'none' || msg.framing.kind === 'close') return msg;
  if (to10 || msg.version === 'HTTP/1.0') return msg; // HTTP/1.0 has no chunked coding
  return reframe(msg, SIZES);
}

export const rechunk: Fault = {
  name: 'rechunk',
  description: 'control: re-frames every body as chunked with other chunk sizes',
  kind: 'control',
  caughtBy: [],
  onRequest: (req) => apply(req, false),
  onResponse: (res, _req, ctx) => apply(res, ctx.clientVersion === 'HTTP/1.0'),
};
