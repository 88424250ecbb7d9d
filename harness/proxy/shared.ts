// State shared by every client connection of one running proxy.

import type { Network, TlsIdentity } from '../net/types.ts';
import type { ComposedFaults } from './faults/compose.ts';
import type { ProxyGate } from './proxy-gate.ts';
import type { UpstreamPool } from './pool.ts';

export interface ProxyTimeouts {
  /** Bound on opening a server connection (default 5 s). */
  connectMs: number;
  /** Bound on a client connection with nothing happening (default 300 s). */
  idleMs: number;
  /** Bound on waiting for a response (default 120 s: WinRM Receive long polls wait up to 60 s). */
  responseMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<ProxyTimeouts> = Object.freeze({
  connectMs: 5_000,
  idleMs: 300_000,
  responseMs: 120_000,
});

export interface ProxyShared {
  net: Network;
  actor: string;
  faults: ComposedFaults;
  /** Proxy authentication, when configured. */
  gate?: ProxyGate;
  identity?: TlsIdentity;
  timeouts: ProxyTimeouts;
  pool: UpstreamPool;
}
