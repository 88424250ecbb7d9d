// Public API of the proxy layer: the reference proxy and the fault catalogue.
export { startProxy } from './reference.ts';
export type { Fault, FaultContext, ProxyOptions, RelayContext, RelayStep, RunningProxy, UpstreamPolicy } from './types.ts';
export { composeFaults, faults, listFaults } from './faults/index.ts';
export type { ComposedFaults } from './faults/compose.ts';
