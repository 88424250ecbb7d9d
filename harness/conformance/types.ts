// What a certification case receives and returns. A case is a procedure over a world (a
// network, the harness's WinRM server, clients, and the proxy under test) whose verdict is
// computed from what was observed on both hops: the Trace, the server's audit log and the
// clients' exchanges — never from a status code alone.

import type { WinrmClient, WinrmClientOptions } from '../client/types.ts';
import type { Network } from '../net/types.ts';
import type { CaseStatus } from '../report/types.ts';
import type { WinrmServer, WinrmServerOptions } from '../server/types.ts';
import type { CaseInfo } from './catalogue.ts';

export interface ProxyTarget {
  host: string;
  port: number;
  /** Proxy credentials (from flags or the URL), never written to a report in clear. */
  credentials?: { user: string; password: string };
  /** Product name when known (--product, or guessed from Via/Server), for remediation hints. */
  product?: string;
}

export interface CaseTiming {
  /** Idle pause between the requests of a session (REQUIREMENTS: at least 2 s). */
  pauseMs: number;
  /** OperationTimeout the long-poll case asks for, seconds (5 by default; up to 60). */
  operationTimeoutS: number;
  /** Bound on any single exchange. */
  timeoutMs: number;
}

export interface CaseContext {
  readonly info: CaseInfo;
  readonly net: Network;
  readonly proxy: ProxyTarget;
  readonly timing: CaseTiming;
  readonly seed: number;
  /** The destination account the clients use (its password is a secret). */
  readonly account: { user: string; password: string; domain: string };
  /** Starts a WinRM server for this case (HTTP and HTTPS listeners on free ports). */
  startServer(opts?: Partial<Omit<WinrmServerOptions, 'random' | 'users'>>): Promise<WinrmServer>;
  /** A client of this case, going through the proxy under test. */
  client(server: WinrmServer, opts?: Partial<WinrmClientOptions> & { name?: string }): WinrmClient;
  /** Random bytes: seeded on sim, crypto on tcp. */
  random: { bytes(n: number): Uint8Array };
}

export interface CaseOutcome {
  status: CaseStatus;
  /** For a failure: what was expected, what was observed, and the seed sentence it breaks. */
  reason: string;
  evidence: Record<string, unknown>;
}

export interface CaseDefinition {
  id: string;
  run(ctx: CaseContext): Promise<CaseOutcome>;
}
