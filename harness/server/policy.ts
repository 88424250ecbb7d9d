// Server policy (WinRM service configuration): which schemes the 401 offers, and when a
// WS-Man body may travel in clear (AllowUnencrypted, MS-WSMV §2.2.9.1 and PROTOCOL.md).

import type { ServerAuthScheme, WinrmServerOptions } from './types.ts';

export type ListenerKind = 'http' | 'https';

export interface ServerPolicy {
  readonly schemes: readonly ServerAuthScheme[];
  readonly allowUnencrypted: boolean;
  readonly extraChallenges: readonly string[];
}

export function policyFrom(opts: WinrmServerOptions): ServerPolicy {
  const schemes = opts.auth && opts.auth.length > 0 ? [...opts.auth] : (['negotiate'] as ServerAuthScheme[]);
  return {
    schemes,
    allowUnencrypted: opts.allowUnencrypted ?? false,
    extraChallenges: [...(opts.extraChallenges ?? [])],
  };
}

export function offers(policy: ServerPolicy, scheme: ServerAuthScheme): boolean {
  return policy.schemes.includes(scheme);
}

/**
 * One `WWW-Authenticate` value per offered scheme, in WinRM's order (PROTOCOL.md: Negotiate
 * always, Kerberos on domain members, Basic realm="WSMAN", CredSSP), then the extra ones.
 * Kerberos is offered both inside Negotiate and as `Kerberos` (MS-WSMV §2.2.9.1).
 */
export function challengeValues(policy: ServerPolicy): string[] {
  const out: string[] = [];
  if (offers(policy, 'negotiate') || offers(policy, 'kerberos')) out.push('Negotiate');
  if (offers(policy, 'kerberos')) out.push('Kerberos');
  if (offers(policy, 'basic')) out.push('Basic realm="WSMAN"');
  if (offers(policy, 'credssp')) out.push('CredSSP');
  out.push(...policy.extraChallenges);
  return out;
}

/**
 * A SOAP body in clear is served only inside TLS or when AllowUnencrypted is set: WinRM
 * answers an unencrypted body after Negotiate over HTTP with 500 + Connection: close.
 */
export function clearBodyAllowed(policy: ServerPolicy, listener: ListenerKind): boolean {
  return listener === 'https' || policy.allowUnencrypted;
}

/** Basic sends the password in every request: over HTTP only with AllowUnencrypted (else 401). */
export function basicAllowed(policy: ServerPolicy, listener: ListenerKind): boolean {
  return offers(policy, 'basic') && clearBodyAllowed(policy, listener);
}
