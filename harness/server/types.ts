// The simulated WinRM server's public shape (issue 3). Written once against `Network`, so the
// same server runs on `sim` and on `tcp`.

import type { Endpoint, Network, TlsIdentity } from '../net/types.ts';

export type ServerAuthScheme = 'negotiate' | 'kerberos' | 'credssp' | 'basic';

export interface ServerUser {
  user: string;
  password: string;
  /** NetBIOS domain; default the server's. */
  domain?: string;
}

/** The service's Kerberos keys (issue 6): an MIT keytab, or the service principal's password. */
export type KerberosServerOptions = ({ keytab: Uint8Array } | { principal: string; password: string; realm: string }) & {
  /** Accept tickets only for these principals (e.g. ['HTTP/localhost']); default every key held. */
  services?: string[];
  /** Epoch ms for ticket and authenticator times; default the simulated calendar (EPOCH_MS + clock). */
  now?: () => number;
};

export interface WinrmServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Port of the HTTP listener (0 = free port). Omit (undefined) for no HTTP listener. */
  httpPort?: number;
  /** Port of the HTTPS listener (0 = free port). Omit for none. */
  httpsPort?: number;
  /** Certificate for HTTPS; the caller makes it (generateIdentity on tcp, simIdentity on sim). */
  identity?: TlsIdentity;
  users: ServerUser[];
  /** Schemes offered in the 401 challenge, in order. Default ['negotiate']. Basic only when listed. */
  auth?: ServerAuthScheme[];
  /** Kerberos keys; with 'kerberos' in `auth` the server accepts Kerberos in Negotiate and as `Kerberos`. */
  kerberos?: KerberosServerOptions;
  /** WinRM AllowUnencrypted; default false. */
  allowUnencrypted?: boolean;
  /** NetBIOS computer name and domain used in NTLM TargetInfo and `hostname`. */
  computerName?: string;
  domain?: string;
  /** Longest long poll the server holds a Receive (caps the client's OperationTimeout). Default 60000. */
  maxOperationTimeoutMs?: number;
  /** Trace actor name; default 'server'. */
  actor?: string;
  /** Source of challenges and session keys: seeded on sim, crypto on tcp. */
  random: { bytes(n: number): Uint8Array };
  /** Send responses whose body exceeds this many bytes chunked (Transfer-Encoding: chunked), in chunks of that size. */
  chunkedResponses?: number;
  /** Extra WWW-Authenticate values to add to every 401 (http.8 checks several pass unchanged). */
  extraChallenges?: string[];
  /** Close a connection that sends nothing for this long. Default 120000 (HTTP.sys IdleConnectionTimeout). */
  idleTimeoutMs?: number;
}

/** One line of the audit log: which server connection, with which identity, received what. */
export interface AuditEntry {
  seq: number;
  t: number;
  /** Server-side connection id (the Trace's). */
  conn: string;
  listener: 'http' | 'https';
  /** The request's start line and the value of the client's `X-Wpc-Request` header, if any. */
  requestLine: string;
  requestTag?: string;
  /** Authentication step this request was: a handshake leg, a request on an authenticated connection, … */
  kind:
    | 'anonymous-identify'
    | 'challenge' // 401 with the scheme list, no Authorization
    | 'auth-leg' // a Negotiate/Kerberos/CredSSP leg answered with 401 + token
    | 'auth-complete' // the leg that completed authentication (answered non-401)
    | 'auth-failed'
    | 'wsman' // a WS-Man request served on an authenticated connection
    | 'rejected'; // refused by policy (unencrypted, bad encryption, foreign connection, …)
  /** Authenticated identity of the connection when the request was served, `DOMAIN\user`. */
  identity?: string;
  scheme?: ServerAuthScheme;
  /**
   * The mechanism inside the scheme: on 'auth-complete' for Negotiate/Kerberos (e.g. 'NTLM in
   * SPNEGO'), and CredSSP's inner one on its legs (MS-CSSP §3.1.5: 'ntlm' or 'kerberos').
   */
  mechanism?: string;
  /** WS-Man action (local name, e.g. 'Create', 'Command', 'Receive'), when a body was read. */
  action?: string;
  encrypted?: boolean;
  status: number;
  /** Commands executed by this request (INV-6 counts them). */
  commandId?: string;
  commandLine?: string;
  /** Why a request was rejected or failed authentication. */
  reason?: string;
  /** Bytes of WS-Man data (plaintext SOAP) sent back. */
  responseBytes?: number;
}

export interface AuditLog {
  readonly entries: readonly AuditEntry[];
}

export interface WinrmServer {
  readonly http?: Endpoint;
  readonly https?: Endpoint;
  /** SHA-256 fingerprint (lower-case hex) of the HTTPS certificate: what clients pin. */
  readonly fingerprint256?: string;
  readonly audit: AuditLog;
  readonly net: Network;
  close(): Promise<void>;
}

export type StartWinrmServer = (net: Network, opts: WinrmServerOptions) => Promise<WinrmServer>;
