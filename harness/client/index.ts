// Public API of the simulated WinRM client (issue 3; REQUIREMENTS.md §4).
export * from './types.ts';
export { createWinrmClient, DEFAULT_TIMEOUT_MS, DEFAULT_OPERATION_TIMEOUT_S } from './client.ts';
export { parseWinHttpProxy, parseNetshSetProxy, type WinHttpProxy, type ProxyEndpoint } from './winhttp-proxy.ts';
export { resolveProxy, type ProxyRoute, type ProxyCredentials } from './proxy-resolution.ts';
export { SEED_UNENCRYPTED_PROXY, MAX_REAUTH_PER_OPERATION } from './session.ts';
