import type { Fault } from '../types.ts';

export const newUpstreamPerRequest: Fault = {
  name: 'new-upstream-per-request',
  description: 'opens a fresh server connection for every request (and closes it after the response)',
  kind: 'fault',
  caughtBy: ['http.2', 'http.3', 'http.4', 'http.6'],
  upstreamPolicy: 'per-request',
};
