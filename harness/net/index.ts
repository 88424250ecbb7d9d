// Public API of net/: the Connection/Network interfaces, the Trace, the seeded random
// source, and the two transports (sim: in-memory and deterministic; tcp: real sockets).

export * from './types.ts';
export { Trace, type TraceEvent, type TraceInput } from './trace.ts';
export { SeededRandom } from './random.ts';
export { SimNetwork, SimTimeoutError, SimStallError, type SimNetworkOptions } from './sim/sim-network.ts';
export type { RunOptions, RunOutcome } from './sim/scheduler.ts';
export { simIdentity } from './sim/identity.ts';
export { TcpNetwork } from './tcp/tcp-network.ts';
export { generateIdentity } from './tcp/identity.ts';
export { traceMessage } from './trace-message.ts';
