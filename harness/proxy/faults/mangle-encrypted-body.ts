// Alters WinRM message encryption in transit (MS-WSMV §2.2.9.1: multipart/encrypted).

import type { HttpMessage } from '../../wire/types.ts';
import { getHeader } from '../../wire/index.ts';
import type { Fault } from '../types.ts';

function mangle<M extends HttpMessage>(msg: M): M {
  const ct = getHeader(msg.headers, 'content-type');
  if (!ct || !/^\s*multipart\/(x-multi-)?encrypted/i.test(ct) || msg.body.length === 0) return msg;
  // Flip one bit in the middle of the body: the length (and framing) stay the same.
  const body = new Uint8Array(msg.body);
  body[body.length >> 1] ^= 0x01;
  return { ...msg, body };
}

export const mangleEncryptedBody: Fault = {
  name: 'mangle-encrypted-body',
  description: 'flips a bit in the middle of every multipart/encrypted body',
  kind: 'fault',
  caughtBy: ['http.9'],
  onRequest: (req) => mangle(req),
  onResponse: (res) => mangle(res),
};
