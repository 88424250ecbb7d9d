import type { Fault } from '../types.ts';

// Changes nothing: the Trace already holds every byte the proxy saw. Marked so that the
// negative controls (INV-3, INV-4) know this proxy's observations are an attacker's.
export const sniff: Fault = {
  name: 'sniff',
  description: 'passive: records every byte it relays',
  kind: 'passive',
  caughtBy: [],
};
