import type { Fault } from '../types.ts';

export const LATENCY_MS = 50;

export const latency: Fault = {
  name: 'latency',
  description: `control: delays every relayed write by ${LATENCY_MS} ms`,
  kind: 'control',
  caughtBy: [],
  relay: (bytes) => [{ delayMs: LATENCY_MS }, { bytes }],
};
