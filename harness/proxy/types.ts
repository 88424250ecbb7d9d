// The reference proxy's options and the hook interface that faults plug into.
//
// A Fault is a small, declarative change to the reference proxy (REQUIREMENTS.md §3). Faults
// compose: several may be active at once, their hooks run in the order they were named.
//   - policies (upstreamPolicy, reconnectIdleMs, responseTimeoutMs, keepProxyAuthorization,
//     interceptTls): the last fault that sets one wins;
//   - onRequest / onResponse: message rewrites, chained;
//   - afterResponse: 'close' from any fault closes both connections after the response;
//   - onConnect: the first refusal (a response) wins;
//   - relay: how bytes are written (split, delayed, cut by a reset), chained piece by piece.

import type { HttpRequest, HttpResponse } from '../wire/types.ts';
import type { Clock, Endpoint, TlsIdentity } from '../net/types.ts';
import type { Trace } from '../net/trace.ts';
import type { RandomSource } from '../auth/random.ts';
import type { ProxyCredentials } from './proxy-auth.ts';

export interface ProxyOptions {
  host: string;
  port: number;
  /** Actor name in the Trace. Default "proxy". */
  actor?: string;
  /** Fault names, composed in order (see faults/index.ts). */
  faults?: string[];
  /** Proxy authentication (RFC 9110 §11.7): Basic unless `schemes` names others. */
  proxyAuth?: ProxyCredentials;
  /** Digest nonces and NTLM challenges. Default: seeded from the actor name on sim, crypto on tcp. */
  random?: RandomSource;
  /** The certificate tls-intercept presents to clients. */
  identity?: TlsIdentity;
  timeouts?: { connectMs?: number; idleMs?: number; responseMs?: number };
}

export interface RunningProxy {
  address: Endpoint;
  close(): Promise<void>;
}

/**
 * How client connections map to server connections.
 * - per-client: 1:1 affinity, the reference behaviour (seed: "strong link client↔server").
 * - per-request: a fresh server connection for every request.
 * - pool: server connections shared by authority; any client takes any idle one.
 * - pool-after-auth: pinned to its client until a 2xx is seen on it, pooled afterwards.
 */
export type UpstreamPolicy = 'per-client' | 'per-request' | 'pool' | 'pool-after-auth';

/** What a hook knows about where it runs. `state` is per client connection, per fault. */
export interface FaultContext {
  readonly clock: Clock;
  readonly trace: Trace;
  readonly actor: string;
  /** Client connection id. */
  readonly clientConn: string;
  /** HTTP version of the client's latest request. */
  readonly clientVersion: string;
  readonly state: Record<string, unknown>;
}

/** One step of writing bytes to a connection. */
export type RelayStep = { bytes: Uint8Array } | { delayMs: number } | { reset: true };

export interface RelayContext extends FaultContext {
  /** to-client: towards the client; to-server: towards the server. */
  readonly direction: 'to-client' | 'to-server';
  /** The message these bytes serialize, when they are one (absent for tunnel bytes). */
  readonly message?: HttpRequest | HttpResponse;
  /** For a response: the request it answers. */
  readonly request?: HttpRequest;
}

export interface Fault {
  name: string;
  /** One line: what the proxy does. */
  description: string;
  /** fault: breaks something; control: a legal variation that must pass; passive: observes only. */
  kind: 'fault' | 'control' | 'passive';
  /** Case ids (REQUIREMENTS.md §1) expected to catch it; empty for controls. */
  caughtBy: string[];

  upstreamPolicy?: UpstreamPolicy;
  /** Silently replace a server connection idle for longer than this (ms). */
  reconnectIdleMs?: number;
  /** Overrides the response timeout (ms): a slower response gets 504 and a close. */
  responseTimeoutMs?: number;
  /** Forward Proxy-Authorization to the server instead of consuming it. */
  keepProxyAuthorization?: boolean;
  /** After CONNECT 200, terminate TLS with the proxy's identity and relay plaintext. */
  interceptTls?: boolean;

  /** Rewrites a request after the reference proxy prepared it for the server. */
  onRequest?(req: HttpRequest, ctx: FaultContext): HttpRequest;
  /** Rewrites a response after the reference proxy prepared it for the client. */
  onResponse?(res: HttpResponse, req: HttpRequest, ctx: FaultContext): HttpResponse;
  /** After a response was relayed: 'close' closes both connections. */
  afterResponse?(res: HttpResponse, req: HttpRequest, ctx: FaultContext): 'close' | void;
  /** A CONNECT to host:port: return a response to refuse it. */
  onConnect?(target: Endpoint, req: HttpRequest, ctx: FaultContext): HttpResponse | void;
  /** Rewrites one write into steps (split it, delay it, cut it with a reset). */
  relay?(bytes: Uint8Array, ctx: RelayContext): RelayStep[];
}
