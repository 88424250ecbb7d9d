// createWinrmClient: the simulated WinRM 2.0 client (REQUIREMENTS.md §4), written once against
// `Network` so that it runs on `sim` and on `tcp`.

import type { Network } from '../net/types.ts';
import type { ClientContext } from './context.ts';
import { messageIdGenerator } from './message-ids.ts';
import * as ops from './operations.ts';
import { resolveProxy } from './proxy-resolution.ts';
import { ProxyAuthClient } from './proxy-auth.ts';
// The harness's one calendar (virtual time on sim), shared with the server side.
import { filetimeAt } from '../server/negotiate-deps.ts';
import { WinrmSession } from './session.ts';
import { KerberosInitiator } from './kerberos.ts';
import { WinrmClientError, type ClientExchange, type WinrmClient, type WinrmClientOptions } from './types.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_OPERATION_TIMEOUT_S = 20;
export const DEFAULT_MAX_RECEIVE_ROUNDS = 1000;

function kerberosInitiator(net: Network, opts: WinrmClientOptions, endpoint: URL): KerberosInitiator {
  if (!opts.kerberos) throw new WinrmClientError('protocol', `auth '${opts.auth}'${opts.auth === 'credssp' ? " with credsspMechanism 'kerberos'" : ''} needs the kerberos option (realm and KDC)`);
  const host = endpoint.hostname.replace(/^\[|\]$/g, '');
  return new KerberosInitiator(opts.kerberos, { user: opts.user, password: opts.password, host, clock: net.clock, random: opts.random });
}

export function createWinrmClient(net: Network, opts: WinrmClientOptions): WinrmClient {
  let endpoint: URL;
  try {
    endpoint = new URL(opts.endpoint);
  } catch {
    throw new WinrmClientError('protocol', `endpoint '${opts.endpoint}' is not a URL`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new WinrmClientError('protocol', `endpoint '${opts.endpoint}' is neither http nor https`);
  }
  let route;
  try {
    route = resolveProxy(opts, endpoint);
  } catch (e) {
    throw new WinrmClientError('protocol', `proxy settings: ${(e as Error).message}`);
  }
  const actor = opts.actor ?? 'client';
  const exchanges: ClientExchange[] = [];
  let tagN = 0;
  const ctx: ClientContext = {
    net,
    actor,
    endpoint,
    route,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(opts.pinFingerprint256 ? { pinFingerprint256: opts.pinFingerprint256 } : {}),
    exchanges,
    nextTag: () => `${actor}/${++tagN}`,
    proxyAuth: new ProxyAuthClient(route.kind === 'proxy' ? route.auth : undefined, opts.random, () => filetimeAt(net.clock)),
  };
  const session = new WinrmSession(ctx, {
    user: opts.user,
    password: opts.password,
    ...(opts.domain !== undefined ? { domain: opts.domain } : {}),
    auth: opts.auth ?? 'negotiate',
    ...(opts.auth === 'kerberos' || (opts.auth === 'credssp' && opts.credsspMechanism === 'kerberos')
      ? { kerberos: kerberosInitiator(net, opts, endpoint) }
      : {}),
    encryption: opts.encryption ?? 'always',
    spnego: opts.spnego ?? false,
    unsafeAllowUnencryptedThroughProxy: opts.unsafeAllowUnencryptedThroughProxy ?? false,
    random: opts.random,
  });
  const env: ops.OperationEnv = {
    session,
    to: endpoint.href,
    nextMessageId: messageIdGenerator(opts.random),
    timeoutMs: ctx.timeoutMs,
    operationTimeoutS: opts.operationTimeoutS ?? DEFAULT_OPERATION_TIMEOUT_S,
  };
  const maxRounds = opts.maxReceiveRounds ?? DEFAULT_MAX_RECEIVE_ROUNDS;

  return {
    exchanges,
    get handshakes() {
      return session.handshakes;
    },
    // Method shorthand: tsx (esbuild keepNames) re-names every arrow-valued property at run time.
    identify(o) {
      return ops.identify(env, o?.unauthenticated === true);
    },
    createShell() {
      return ops.createShell(env);
    },
    command(shellId, cmd, args = []) {
      return ops.command(env, shellId, cmd, args);
    },
    receive(shellId, commandId) {
      return ops.receive(env, shellId, commandId);
    },
    signal(shellId, commandId, code = 'terminate') {
      return ops.signal(env, shellId, commandId, code);
    },
    deleteShell(shellId) {
      return ops.deleteShell(env, shellId);
    },
    runCommand(cmd, args = []) {
      return ops.runCommand(env, cmd, args, maxRounds);
    },
    close() {
      session.close();
    },
  };
}
