// CredSSP (MS-CSSP §3.1.5) on one server connection: `Authorization: CredSSP <b64>` drives ONE
// CredSspServer per connection, answered with `401 WWW-Authenticate: CredSSP <b64>` until the
// credentials arrive (PROTOCOL.md: five round trips or more, one connection). The context dies
// with the connection: a token that belongs to an exchange begun on another connection reaches
// a fresh acceptor, whose TLS layer refuses it (401).

import { CredSspServer } from '../auth/credssp/server.ts';
import type { KerberosAcceptor } from '../auth/kerberos/acceptor.ts';
import { nodeTls } from '../auth/credssp/node-tls.ts';
import { simTlsEngines } from '../auth/credssp/sim-tls.ts';
import { userDb } from '../auth/ntlm/user-db.ts';
import type { InnerMechanism } from '../auth/credssp/gss-wrap.ts';
import type { RandomSource } from '../auth/random.ts';
import type { Network, TlsIdentity } from '../net/types.ts';
import type { HttpRequest } from '../wire/index.ts';
import { challengeValues } from './policy.ts';
import { unauthorized } from './http-replies.ts';
import { filetimeAt } from './negotiate-deps.ts';
import type { ConnectionScope, HandlerDeps, Reply } from './request-handler.ts';
import type { ServerUser } from './types.ts';

export type CredSspServerFactory = () => CredSspServer;

/** One acceptor per handshake; TLS is node's on tcp and the deterministic stand-in on sim. */
export function credSspServerFactory(o: {
  net: Network;
  identity: TlsIdentity;
  users: readonly ServerUser[];
  random: RandomSource;
  computerName: string;
  domain: string;
  /** Kerberos inside CredSSP's SPNEGO (MS-CSSP §3.1.5); without it CredSSP carries NTLM only. */
  kerberos?: KerberosAcceptor;
}): CredSspServerFactory {
  const db = userDb(o.users.map((u) => ({ user: u.user, password: u.password, ...(u.domain ? { domain: u.domain } : {}) })));
  const tls = o.net.kind === 'sim' ? simTlsEngines(o.random) : nodeTls();
  return () =>
    new CredSspServer({
      identity: o.identity,
      users: db,
      random: o.random,
      nowFiletime: () => filetimeAt(o.net.clock),
      tls,
      computerName: o.computerName,
      domain: o.domain,
      ...(o.kerberos ? { kerberos: o.kerberos } : {}),
    });
}

/** The connection's CredSSP acceptor; the connection calls close() when it goes away. */
export class CredSspConnection {
  #server?: CredSspServer;

  constructor(private readonly make: CredSspServerFactory) {}

  /** The acceptor for the next token: a new one when none runs or the last one is finished. */
  acceptor(): CredSspServer {
    if (!this.#server || this.#server.result) {
      this.#server?.close();
      this.#server = this.make();
    }
    return this.#server;
  }

  close(): void {
    this.#server?.close();
    this.#server = undefined;
  }
}

type ServeBody = (req: HttpRequest, scope: ConnectionScope, deps: HandlerDeps, who: Served) => Reply | undefined | Promise<Reply | undefined>;
interface Served {
  kind: 'auth-complete';
  identity: string;
  scheme: 'credssp';
  session: object;
}

/** One `Authorization: CredSSP <b64>` leg on this connection. */
export async function credSspLeg(
  req: HttpRequest,
  param: string,
  scope: ConnectionScope,
  deps: HandlerDeps,
  serveBody: ServeBody,
): Promise<Reply | undefined> {
  const failed = (reason: string, token?: Uint8Array, mechanism?: InnerMechanism): Reply => ({
    // MS-CSSP §3.1.5: the refusal carries the server's errorCode TSRequest when there is one.
    response: unauthorized(token ? [`CredSSP ${Buffer.from(token).toString('base64')}`] : challengeValues(deps.policy)),
    close: false,
    audit: { kind: 'auth-failed', status: 401, scheme: 'credssp', reason, ...(mechanism ? { mechanism } : {}) },
  });
  const conn = scope.credssp;
  if (!conn) return failed('CredSSP is not enabled on this connection');
  const token = /^[A-Za-z0-9+/]+={0,2}$/.test(param) && param.length % 4 !== 1 ? new Uint8Array(Buffer.from(param, 'base64')) : undefined;
  scope.auth.reset(); // a CredSSP leg replaces whatever this connection was authenticated as
  if (!token) {
    conn.close();
    return failed('CredSSP token is not base64');
  }
  const server = conn.acceptor();
  const r = await server.step(token);
  // The audit names CredSSP's inner mechanism once the first TSRequest chose it.
  const mechanism = server.mechanism;
  if (!r.done) {
    return {
      response: unauthorized([`CredSSP ${Buffer.from(r.token ?? new Uint8Array(0)).toString('base64')}`]),
      close: false,
      audit: { kind: 'auth-leg', status: 401, scheme: 'credssp', ...(mechanism ? { mechanism } : {}) },
    };
  }
  const result = r.result!;
  if (!result.ok) {
    conn.close();
    return failed(`CredSSP ${result.reason}: ${result.detail}`, r.token, mechanism);
  }
  const identity = mechanism === 'kerberos' ? `${result.user}@${result.domain}` : ntlmIdentity(deps, result.user);
  scope.auth.state = { kind: 'authenticated', identity, scheme: 'credssp', session: server.tls };
  const reply = await serveBody(req, scope, deps, { kind: 'auth-complete', identity, scheme: 'credssp', session: server.tls });
  return reply && mechanism ? { ...reply, audit: { ...reply.audit, mechanism } } : reply;
}

/** NTLM: the account's identity, as for Negotiate (negotiate-deps.ts): `DOMAIN\\user`. Kerberos
 * identities are the client principal, `user@REALM`, as for the HTTP Kerberos scheme. */
function ntlmIdentity(deps: HandlerDeps, user: string): string {
  const acct = deps.users.find((u) => u.user.toLowerCase() === user.toLowerCase());
  return `${(acct?.domain ?? deps.domain).toUpperCase()}\\${acct?.user ?? user}`;
}
