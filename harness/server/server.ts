// startWinrmServer: HTTP and/or HTTPS listeners on one Network (sim or tcp), each accepted
// connection served by a ServerConnection with its own auth context, one shared shell host,
// one audit log.

import type { Connection, Endpoint, Listener, Network } from '../net/types.ts';
import { AuditRecorder } from './audit.ts';
import { ServerConnection, type ConnectionDeps } from './connection.ts';
import { kerberosAcceptorFrom } from './kerberos-context.ts';
import { credSspServerFactory } from './credssp-context.ts';
import { negotiateCodec, ntlmAcceptorFactory } from './negotiate-deps.ts';
import { policyFrom, type ListenerKind } from './policy.ts';
import { sessionCrypto } from './session-crypto.ts';
import { ShellService } from './shell-service.ts';
import type { WinrmServer, WinrmServerOptions } from './types.ts';

/** HTTP.sys default: an idle connection is closed after 120 s (netsh http IdleConnectionTimeout). */
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
/** WinRM MaxTimeoutms default is 60 s. */
export const DEFAULT_MAX_OPERATION_TIMEOUT_MS = 60_000;
/** Largest request body accepted (WinRM MaxEnvelopeSize is far smaller; this bounds memory). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function startWinrmServer(net: Network, opts: WinrmServerOptions): Promise<WinrmServer> {
  if (opts.httpPort === undefined && opts.httpsPort === undefined) throw new Error('startWinrmServer: no httpPort and no httpsPort');
  if (opts.httpsPort !== undefined && !opts.identity) throw new Error('startWinrmServer: httpsPort needs an identity');
  if (opts.auth?.includes('credssp') && !opts.identity) throw new Error('startWinrmServer: credssp needs an identity (the CredSSP TLS certificate)');
  for (const s of opts.auth ?? []) {
    if (s === 'kerberos' && !opts.kerberos) throw new Error('startWinrmServer: kerberos needs the service keys (opts.kerberos)');
  }
  const host = opts.host ?? '127.0.0.1';
  const actor = opts.actor ?? 'server';
  const computerName = (opts.computerName ?? 'WINRM-SIM').toUpperCase();
  const domain = (opts.domain ?? computerName).toUpperCase();
  const audit = new AuditRecorder(net.clock);
  const seed = Buffer.from(opts.random.bytes(4)).toString('hex');
  const wsman = new ShellService({
    clock: net.clock,
    hostname: computerName,
    maxOperationTimeoutMs: opts.maxOperationTimeoutMs ?? DEFAULT_MAX_OPERATION_TIMEOUT_MS,
    seed,
  });
  const kerberos = kerberosAcceptorFrom(opts, net.clock);
  // Built field by field, not with conditional spreads: a spread literal makes fresh hidden
  // classes on every start, and servers start once per scenario.
  const deps: ConnectionDeps = {
    net,
    actor,
    audit,
    policy: policyFrom(opts),
    users: opts.users,
    domain,
    crypto: sessionCrypto,
    wsman,
    newAcceptor: ntlmAcceptorFactory({ users: opts.users, random: opts.random, clock: net.clock, computerName, domain }),
    codec: negotiateCodec,
    newCredSsp: undefined,
    // The HTTP Kerberos scheme only when offered; CredSSP gets the acceptor above either way.
    kerberos: opts.auth?.includes('kerberos') ? kerberos : undefined,
    idleTimeoutMs: opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    maxBodyBytes: MAX_BODY_BYTES,
    chunkBytes: opts.chunkedResponses || undefined,
  };
  if (opts.auth?.includes('credssp')) {
    deps.newCredSsp = credSspServerFactory({
      net,
      identity: opts.identity!,
      users: opts.users,
      random: opts.random,
      computerName,
      domain,
      ...(kerberos ? { kerberos } : {}),
    });
  }

  const live = new Set<ServerConnection>();
  const listeners: Listener[] = [];
  try {
    if (opts.httpPort !== undefined) listeners.push(await net.listen({ host, port: opts.httpPort, actor }, acceptor('http', deps, live)));
    if (opts.httpsPort !== undefined) {
      listeners.push(await net.listen({ host, port: opts.httpsPort, actor, tls: { identity: opts.identity! } }, acceptor('https', deps, live)));
    }
  } catch (e) {
    await Promise.all(listeners.map((l) => l.close()));
    throw e;
  }
  const [httpL, httpsL] = opts.httpPort !== undefined ? [listeners[0], listeners[1]] : [undefined, listeners[0]];

  return new RunningServer(httpL?.address, httpsL?.address, httpsL ? opts.identity!.fingerprint256 : undefined, audit, net, listeners, live);
}

/** What startWinrmServer returns (a class: one hidden class for every server, not a literal with spreads). */
class RunningServer implements WinrmServer {
  private closed = false;

  constructor(
    readonly http: Endpoint | undefined,
    readonly https: Endpoint | undefined,
    readonly fingerprint256: string | undefined,
    readonly audit: AuditRecorder,
    readonly net: Network,
    private readonly listeners: readonly Listener[],
    private readonly live: Set<ServerConnection>,
  ) {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.listeners.map((l) => l.close()));
    for (const c of [...this.live]) c.close();
  }
}

/** Serves each connection a listener accepts (module-level: a named closure per start costs a re-naming under tsx). */
function acceptor(kind: ListenerKind, deps: ConnectionDeps, live: Set<ServerConnection>): (conn: Connection) => void {
  return (conn) => {
    live.add(new ServerConnection(conn, kind, deps, (gone) => live.delete(gone)));
  };
}
