// What every invariant (REQUIREMENTS.md §2) reads and returns. The context holds only what was
// observed — the Trace (both hops, every byte), the server's audit log, what each client did —
// plus the secrets to look for and the policy the run was set up with.

import type { Trace } from '../net/trace.ts';
import type { AuditEntry } from '../server/types.ts';
import type { ClientExchange } from '../client/types.ts';

export interface InvariantResult {
  id: string;
  holds: boolean;
  /** Plain words: what was expected, what was seen, with connection ids. */
  explanation: string;
  /** False when the invariant's premise does not apply to this run (it then holds). */
  applies?: boolean;
}

/** One client instance, as the runner saw it. */
export interface ClientRecord {
  /** Trace actor, e.g. `alice#1`. */
  actor: string;
  /** The scenario's client name, e.g. `alice`. */
  group: string;
  auth: 'negotiate' | 'basic' | 'none';
  /** The server user it claims to be (undefined for auth none). */
  user?: string;
  credentials: 'right' | 'wrong';
  transport: 'http' | 'https';
  encryption: 'always' | 'never';
  outcome: string;
  /** The error message behind a non-ok outcome (no secrets). */
  error?: string;
  exchanges: readonly ClientExchange[];
  /** Destination handshakes the client started. */
  handshakes: number;
  /** How many commands its steps ask the server to run (command and run steps). */
  plannedCommands: number;
}

export interface Secret {
  /** What it is, for explanations: never the value. */
  label: string;
  user?: string;
  password: string;
}

export interface InvariantPolicy {
  /** WinRM AllowUnencrypted on the server. */
  allowUnencrypted: boolean;
  /** Schemes the server offers. */
  serverAuth: string[];
  serverActor: string;
  /** Actors whose observations are the proxy's: the simulated proxy, or 'external'. Empty: no proxy. */
  proxyActors: string[];
}

export interface InvariantContext {
  trace: Trace;
  audit: readonly AuditEntry[];
  clients: readonly ClientRecord[];
  secrets: { destination: Secret[]; proxy: Secret[] };
  policy: InvariantPolicy;
}

export type Invariant = (ctx: InvariantContext) => InvariantResult;
