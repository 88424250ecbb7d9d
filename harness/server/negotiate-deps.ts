// Binds the server's auth view (auth-deps.ts) to harness/auth: one NtlmServer per handshake,
// and the token codec for `Authorization: Negotiate` (raw NTLMSSP as pywinrm sends it, or
// SPNEGO as Windows and pypsrp send it; the answer goes back in the client's style).

import { readU32le } from '../auth/bytes.ts';
import { isNtlmssp } from '../auth/ntlm/fields.ts';
import { extractNtlm, parseNegotiateToken, wrapAcceptorToken } from '../auth/spnego.ts';
import { NtlmServer } from '../auth/ntlm/server.ts';
import { userDb } from '../auth/ntlm/user-db.ts';
import type { RandomSource } from '../auth/random.ts';
import type { Clock } from '../net/types.ts';
import type { NegotiateCodec, NtlmAcceptorFactory } from './auth-deps.ts';
import type { ServerUser } from './types.ts';

/** The simulated server's calendar: virtual time 0 is 2024-01-01T00:00:00Z (deterministic on sim). */
export const EPOCH_MS = Date.UTC(2024, 0, 1);
/** Milliseconds between 1601-01-01 (FILETIME origin) and 1970-01-01. */
const FILETIME_UNIX_OFFSET_MS = 11_644_473_600_000n;

/** MS-DTYP §2.3.3 FILETIME (100 ns ticks since 1601) for the clock's current time. */
export function filetimeAt(clock: Clock): bigint {
  const ms = BigInt(EPOCH_MS + Math.floor(clock.now()));
  return (ms + FILETIME_UNIX_OFFSET_MS) * 10_000n;
}

export function ntlmAcceptorFactory(o: {
  users: readonly ServerUser[];
  random: RandomSource;
  clock: Clock;
  computerName: string;
  domain: string;
}): NtlmAcceptorFactory {
  const db = userDb(o.users.map((u) => ({ user: u.user, password: u.password, ...(u.domain ? { domain: u.domain } : {}) })));
  return () => {
    const server = new NtlmServer({
      users: db,
      random: o.random,
      nowFiletime() {
        return filetimeAt(o.clock);
      },
      computerName: o.computerName,
      domain: o.domain,
    });
    // Method shorthand: tsx (esbuild keepNames) re-names every arrow-valued property at run time.
    return {
      acceptNegotiate(t1) {
        return server.acceptNegotiate(t1);
      },
      acceptAuthenticate(t3) {
        const r = server.acceptAuthenticate(t3);
        if (!r.ok) return { ok: false, reason: `${r.reason}: ${r.detail}` };
        // The identity is the account's (its domain, or the server's for local accounts),
        // whatever spelling the client used: `DOMAIN\user`, as Windows names a logon.
        const acct = o.users.find((u) => u.user.toLowerCase() === r.user.toLowerCase());
        const user = acct?.user ?? r.user;
        const domain = (acct?.domain ?? o.domain).toUpperCase();
        return { ok: true, user, domain, session: r.session };
      },
    };
  };
}

/** MS-NTHT §2.2.1 / RFC 4178: NTLM inside Negotiate, raw or SPNEGO-wrapped. */
export const negotiateCodec: NegotiateCodec = {
  unwrap(token) {
    let ntlm: Uint8Array | undefined;
    let style: 'raw' | 'spnego';
    try {
      ({ ntlm, style } = extractNtlm(parseNegotiateToken(token)));
    } catch (e) {
      return { ok: false, reason: `bad Negotiate token: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (!ntlm || !isNtlmssp(ntlm)) return { ok: false, reason: 'Negotiate token carries no NTLMSSP message' };
    return { ok: true, ntlm, style, messageType: readU32le(ntlm, 8) };
  },
  // RFC 4178 §4.2.2: the first answer names the mechanism and says accept-incomplete.
  wrapChallenge: (type2, style) => wrapAcceptorToken(style, type2, 'accept-incomplete', true),
  // The last answer of a SPNEGO exchange says accept-completed; raw NTLM has none.
  wrapComplete: (style) => (style === 'spnego' ? wrapAcceptorToken('spnego', undefined, 'accept-completed', false) : undefined),
};
