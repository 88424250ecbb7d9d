// Public API of the simulated WinRM server (issue 3).
export type * from './types.ts';
export { startWinrmServer, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_OPERATION_TIMEOUT_MS, MAX_BODY_BYTES } from './server.ts';
