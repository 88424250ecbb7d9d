import { errorResponse } from '../error-response.ts';
import type { Fault } from '../types.ts';

export const connectRefused: Fault = {
  name: 'connect-refused',
  description: 'answers every CONNECT with 403',
  kind: 'fault',
  caughtBy: ['https.1'],
  onConnect: (t) => errorResponse(403, `CONNECT to ${t.host}:${t.port} is not allowed`),
};
