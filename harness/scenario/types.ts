// A scenario as data (DESIGN.md layer 6; docs and examples in scenarios/README.md). These types
// mirror schema.json; `validateScenario` turns a parsed YAML value into a `Scenario` with every
// default filled in (`NormalizedScenario`), so the runner never guesses.

import type { ProxyAccessType } from '../client/types.ts';
import type { ProxyAuthScheme } from '../proxy/proxy-auth.ts';

export type ClientAuth = 'negotiate' | 'basic' | 'none';
export type ServerScheme = 'negotiate' | 'basic';

/** What a client ended with: `ok`, a WinrmClientError code, or the runner's own verdicts. */
export type ClientOutcome =
  | 'ok'
  | 'access-denied'
  | 'proxy-auth'
  | 'refused-unencrypted-proxy'
  | 'wsman-fault'
  | 'protocol'
  | 'network'
  | 'timeout'
  | 'tls'
  /** Still running when the scenario's bound expired (INV-7 forbids it). */
  | 'hang';

export const CLIENT_OUTCOMES: readonly ClientOutcome[] = [
  'ok',
  'access-denied',
  'proxy-auth',
  'refused-unencrypted-proxy',
  'wsman-fault',
  'protocol',
  'network',
  'timeout',
  'tls',
  'hang',
];

export const INVARIANT_IDS = ['INV-1', 'INV-2', 'INV-3', 'INV-4', 'INV-5', 'INV-6', 'INV-7', 'INV-8'] as const;
export type InvariantId = (typeof INVARIANT_IDS)[number];

/** One step of a client, as written: `identify`, `create`, `command <cmdline>`, `receive`, `signal`, `delete`, `run <cmdline>`, `pause <ms>`. */
export type Step =
  | { op: 'identify' }
  | { op: 'create' }
  | { op: 'command'; line: string }
  | { op: 'receive' }
  | { op: 'signal' }
  | { op: 'delete' }
  | { op: 'run'; line: string }
  | { op: 'pause'; ms: number };

export interface ClientProxyConfig {
  /** WinRM 2.0 ProxyAccessType; default ProxyWinHttpConfig. */
  accessType?: ProxyAccessType;
  /** The URL ProxyIEConfig / ProxyAutoDetect would yield; `{proxy}` = the scenario's proxy host:port. */
  url?: string;
  /** `netsh winhttp set proxy` settings; `{proxy}` is replaced as above. */
  winhttp?: { proxyServer?: string; bypassList?: string };
  /** Internet Explorer proxy string (WinRM 1.1 ignores it). */
  ie?: string;
  /** Proxy credentials, independent of the destination's (seed: Note). */
  /** Proxy credential; scheme default 'basic' in scenarios; 'auto': Negotiate, NTLM, Digest, Basic by what is offered. */
  auth?: { scheme?: 'auto' | 'basic' | 'negotiate' | 'ntlm' | 'digest'; user: string; password: string };
}

export interface ScenarioClient {
  name: string;
  count?: number;
  /** Which server user this client claims to be; default the first user. */
  user?: string;
  auth?: ClientAuth;
  credentials?: 'right' | 'wrong';
  encryption?: 'always' | 'never';
  transport?: 'http' | 'https';
  profile?: 'winrm2' | 'winrm1.1';
  /** Omitted: through the scenario's proxy via WinHTTP settings (`{proxy}`), or direct when there is none. */
  proxy?: ClientProxyConfig | 'direct';
  /** Negative controls only: send unencrypted WS-Man through a proxy anyway. */
  unsafeAllowUnencryptedThroughProxy?: boolean;
  steps: string[];
}

export type HostileProxy = 'black-hole' | 'half-open' | 'reset-happy' | 'connect-blackhole';

export type ScenarioProxy =
  | 'none'
  | 'reference'
  | {
      faults?: string[];
      /** Proxy authentication the proxy requires: Basic unless `schemes` says otherwise. */
      auth?: { user: string; password: string; schemes?: ProxyAuthScheme[] };
      external?: string;
      /** A proxy that is not a proxy: for the never-hang property. */
      hostile?: HostileProxy;
    };

export interface ScenarioServer {
  allowUnencrypted?: boolean;
  auth?: ServerScheme[];
  users?: Array<{ user: string; password: string }>;
}

export type OutcomeExpectation = ClientOutcome | 'failed' | ClientOutcome[];

export interface ClientExpectation {
  outcome?: OutcomeExpectation;
  /** Which way its connections went: through the proxy, or straight to the server. */
  via?: 'proxy' | 'direct';
}

export interface ScenarioExpect {
  /** Invariants that must hold: 'all' (default) or a list; those in `violated` are excluded from 'all'. */
  hold?: 'all' | InvariantId[];
  violated?: InvariantId[];
  /** Per client name (every instance) or instance (`name#2`); default every client `ok`. */
  clients?: Record<string, OutcomeExpectation | ClientExpectation>;
}

export interface Scenario {
  name: string;
  description?: string;
  /** Seed used when the runner is given none. */
  seed?: number;
  /** Virtual (sim) or real (tcp) milliseconds after which the run ends with reason 'bound'. */
  boundMs?: number;
  /** Where it can run (default both): `wpc run --transport` elsewhere skips it. */
  transports?: Array<'sim' | 'tcp'>;
  server?: ScenarioServer;
  proxy?: ScenarioProxy;
  clients: ScenarioClient[];
  /** Clients run at the same time (default) or one after another. */
  concurrent?: boolean;
  /** Step-level interleaving: each entry advances the named instance by one step; leftovers run after. */
  order?: string[];
  expect?: ScenarioExpect;
}

// ---- normalized (defaults filled) ----

export interface NormalizedClient {
  name: string;
  count: number;
  user: string;
  auth: ClientAuth;
  credentials: 'right' | 'wrong';
  encryption: 'always' | 'never';
  transport: 'http' | 'https';
  profile: 'winrm2' | 'winrm1.1';
  proxy: ClientProxyConfig | 'direct' | 'default';
  unsafeAllowUnencryptedThroughProxy: boolean;
  steps: Step[];
}

export type NormalizedProxy =
  | { kind: 'none' }
  | { kind: 'sim'; faults: string[]; auth?: { user: string; password: string; schemes?: ProxyAuthScheme[] } }
  | { kind: 'external'; url: string }
  | { kind: 'hostile'; behaviour: HostileProxy };

export interface NormalizedScenario {
  name: string;
  description?: string;
  seed: number;
  boundMs: number;
  transports: Array<'sim' | 'tcp'>;
  server: { allowUnencrypted: boolean; auth: ServerScheme[]; users: Array<{ user: string; password: string }> };
  proxy: NormalizedProxy;
  clients: NormalizedClient[];
  concurrent: boolean;
  order?: string[];
  expect: { hold: InvariantId[]; violated: InvariantId[]; clients: Record<string, ClientExpectation> };
  /** The scenario as written (for formatScenario). */
  source: Scenario;
}

export const DEFAULT_USERS: ReadonlyArray<{ user: string; password: string }> = [
  { user: 'alice', password: 'Alice-Pw-4711!' },
  { user: 'bob', password: 'Bob-Pw-0815#x' },
];
export const DEFAULT_BOUND_MS = 300_000;
export const DEFAULT_SEED = 1;
