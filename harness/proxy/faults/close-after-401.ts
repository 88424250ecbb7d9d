import type { Fault } from '../types.ts';

// Breaks connection-based authentication: the next leg must travel on the challenged connection.
export const closeAfter401: Fault = {
  name: 'close-after-401',
  description: 'closes both connections after relaying a 401 challenge',
  kind: 'fault',
  caughtBy: ['http.2'],
  afterResponse: (res) => (res.status === 401 ? 'close' : undefined),
};
