// HTTP Basic (RFC 7617) against the server's users. WinRM takes `user`, `DOMAIN\user` or
// `user@domain`; the user name compares case-insensitively, as Windows accounts do.

import type { ServerUser } from './types.ts';

export type BasicResult = { ok: true; identity: string } | { ok: false; reason: string };

export function verifyBasic(param: string, users: readonly ServerUser[], defaultDomain: string): BasicResult {
  let decoded: string;
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(param.trim())) return { ok: false, reason: 'Basic credentials are not base64' };
    decoded = Buffer.from(param.trim(), 'base64').toString('utf8');
  } catch {
    return { ok: false, reason: 'Basic credentials are not base64' };
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return { ok: false, reason: 'Basic credentials without a colon (RFC 7617 §2)' };
  const { user, domain } = splitAccount(decoded.slice(0, colon));
  const password = decoded.slice(colon + 1);
  const match = users.find(
    (u) =>
      u.user.toLowerCase() === user.toLowerCase() &&
      (domain === undefined || domain.toLowerCase() === (u.domain ?? defaultDomain).toLowerCase()),
  );
  // Same answer for an unknown user and a wrong password: no account enumeration.
  if (!match || !timingSafeEqualStr(match.password, password)) return { ok: false, reason: 'Basic: unknown user or wrong password' };
  return { ok: true, identity: `${(match.domain ?? defaultDomain).toUpperCase()}\\${match.user}` };
}

function splitAccount(account: string): { user: string; domain?: string } {
  const bs = account.indexOf('\\');
  if (bs >= 0) return { domain: account.slice(0, bs), user: account.slice(bs + 1) };
  const at = account.lastIndexOf('@');
  if (at > 0) return { user: account.slice(0, at), domain: account.slice(at + 1).split('.')[0] };
  return { user: account };
}

function timingSafeEqualStr(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
