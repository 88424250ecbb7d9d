// Control: field names are case-insensitive (RFC 9110 §5.1).

import type { HttpMessage } from '../../wire/types.ts';
import type { Fault } from '../types.ts';

function lower<M extends HttpMessage>(msg: M): M {
  return { ...msg, headers: msg.headers.map((h) => ({ name: h.name.toLowerCase(), value: h.value })) };
}

export const headerCase: Fault = {
  name: 'header-case',
  description: 'control: lower-cases every header name in both directions',
  kind: 'control',
  caughtBy: [],
  onRequest: (req) => lower(req),
  onResponse: (res) => lower(res),
};
