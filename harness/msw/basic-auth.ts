// HTTP Basic as WinRM checks it (RFC 7617; MS-WSMV §2.2.9.1: Basic over HTTP needs
// AllowUnencrypted — a request-level mock has no transport to enforce that on).

import { timingSafeEqual } from 'node:crypto';
import { parseBasic } from '../auth/basic.ts';

/** The challenge WinRM sends when Basic is enabled. */
export const BASIC_CHALLENGE = 'Basic realm="WSMAN"';

export function basicMatches(authorization: string | null, user: string, password: string): boolean {
  const creds = parseBasic(authorization ?? undefined);
  if (!creds) return false;
  const eq = (a: string, b: string): boolean => {
    const x = Buffer.from(a, 'utf8');
    const y = Buffer.from(b, 'utf8');
    return x.length === y.length && timingSafeEqual(x, y);
  };
  // Windows account names compare case-insensitively; passwords do not.
  return eq(creds.user.toLowerCase(), user.toLowerCase()) && eq(creds.password, password);
}
