import type { Fault } from '../types.ts';

// WinRM Receive long polls are held up to OperationTimeout (60 s); 2 s cuts them.
export const shortTimeout: Fault = {
  name: 'short-timeout',
  description: 'cuts a response slower than 2 s with 504 and closes',
  kind: 'fault',
  caughtBy: ['http.11'],
  responseTimeoutMs: 2000,
};
