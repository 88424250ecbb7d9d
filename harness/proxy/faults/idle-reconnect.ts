import type { Fault } from '../types.ts';

export const idleReconnect: Fault = {
  name: 'idle-reconnect',
  description: 'silently replaces a server connection idle for more than 1 s with a new one',
  kind: 'fault',
  caughtBy: ['http.6'],
  reconnectIdleMs: 1000,
};
