// The in-process simulated KDC that the Kerberos cases (http.3, and http.4's Kerberos-inside-
// CredSSP variant) run against on both transports: the cases test the proxy, not a KDC.
import { createSimKdc, type SimKdc } from '../../auth/kerberos/sim-kdc.ts';
import { EPOCH_MS } from '../../server/negotiate-deps.ts';
import type { CaseContext } from '../types.ts';

export const REALM = 'WPC.TEST';
export const SERVICE = 'HTTP/localhost';

/** A KDC knowing the case's account and the WinRM service (random key), on the network's clock. */
export function caseKdc(ctx: CaseContext): { kdc: SimKdc; now: () => number } {
  const now = () => EPOCH_MS + Math.floor(ctx.net.clock.now());
  const kdc = createSimKdc({
    realm: REALM,
    users: [{ name: ctx.account.user, password: ctx.account.password }],
    services: [{ name: SERVICE, password: Buffer.from(ctx.random.bytes(18)).toString('base64') }],
    random: ctx.random,
    now,
  });
  return { kdc, now };
}
