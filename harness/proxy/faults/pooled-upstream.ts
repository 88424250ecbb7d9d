import type { Fault } from '../types.ts';

// RFC 4559 §6 forbids it for authenticated connections: one client rides another's session.
export const pooledUpstream: Fault = {
  name: 'pooled-upstream',
  description: 'shares server connections between clients: any client takes any idle one',
  kind: 'fault',
  caughtBy: ['http.7'],
  upstreamPolicy: 'pool',
};
