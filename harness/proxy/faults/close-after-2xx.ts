import type { Fault } from '../types.ts';

// Seed, HTTP-Based: "the proxy should not close the connection" after authentication.
export const closeAfter2xx: Fault = {
  name: 'close-after-2xx',
  description: 'closes both connections after the first 2xx response',
  kind: 'fault',
  caughtBy: ['http.5'],
  afterResponse: (res) => (res.status >= 200 && res.status < 300 ? 'close' : undefined),
};
