import type { Fault } from '../types.ts';

export const poolAfterAuth: Fault = {
  name: 'pool-after-auth',
  description: 'pins a server connection during the handshake, returns it to a shared pool after the first 2xx',
  kind: 'fault',
  caughtBy: ['http.7'],
  upstreamPolicy: 'pool-after-auth',
};
