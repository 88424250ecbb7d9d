// Public API of the proxy layer: the reference proxy and the fault catalogue.
export { startProxy } from './reference.ts';
export type { Fault, FaultContext, ProxyOptions, RelayContext, RelayStep, RunningProxy, UpstreamPolicy } from './types.ts';
export { composeFaults, faults, listFaults } from './faults/index.ts';
export type { ComposedFaults } from './faults/compose.ts';
export { parseProxyAuthSchemes, PROXY_AUTH_SCHEMES, type ProxyAuthScheme, type ProxyCredentials } from './proxy-auth.ts';
