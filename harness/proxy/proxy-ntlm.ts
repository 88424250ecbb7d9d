// Negotiate / NTLM proxy authentication on ONE client connection (RFC 4559 §4, §6; MS-NLMP
// §3.2): `Proxy-Authorization: Negotiate|NTLM <Type1>` → 407 `Proxy-Authenticate: <scheme>
// <Type2>` → `<Type3>` → the request proceeds, and the connection stays authenticated. The
// context lives with the connection: a Type 3 on another connection finds no challenge and fails.

import { readU32le } from '../auth/bytes.ts';
import { formatCredentials, type AuthValue } from '../auth/challenge.ts';
import { isNtlmssp } from '../auth/ntlm/fields.ts';
import { NtlmServer } from '../auth/ntlm/server.ts';
import type { UserDb } from '../auth/ntlm/user-db.ts';
import type { RandomSource } from '../auth/random.ts';
import { extractNtlm, parseNegotiateToken, wrapAcceptorToken, type TokenStyle } from '../auth/spnego.ts';

export type NtlmStep =
  /** Type 1 answered: send 407 with this challenge and keep the connection. */
  | { kind: 'challenge'; challenge: string }
  | { kind: 'authenticated'; user: string }
  | { kind: 'refused'; reason: string };

export interface NtlmDeps {
  users: UserDb;
  random: RandomSource;
  nowFiletime: () => bigint;
}

export class ConnectionNtlm {
  /** The user this connection authenticated as, once the handshake completed. */
  user?: string;
  #server?: NtlmServer;
  #style: TokenStyle = 'raw';

  constructor(private readonly deps: NtlmDeps) {}

  /** One leg. `v.scheme` is Negotiate (raw NTLMSSP or SPNEGO, RFC 4178) or NTLM (raw NTLMSSP). */
  step(v: AuthValue): NtlmStep {
    if (!v.token) return { kind: 'refused', reason: `${v.scheme} without a token` };
    let ntlm: Uint8Array | undefined;
    try {
      if (v.scheme === 'NTLM') ({ ntlm, style: this.#style } = { ntlm: v.token, style: 'raw' });
      else ({ ntlm, style: this.#style } = extractNtlm(parseNegotiateToken(v.token)));
    } catch (e) {
      return { kind: 'refused', reason: `bad ${v.scheme} token: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (!ntlm || !isNtlmssp(ntlm)) return { kind: 'refused', reason: `${v.scheme} token carries no NTLMSSP message` };
    const type = readU32le(ntlm, 8);
    if (type === 1) {
      // A new Type 1 starts a new context, also on an already authenticated connection.
      this.user = undefined;
      this.#server = new NtlmServer({ users: this.deps.users, random: this.deps.random, nowFiletime: this.deps.nowFiletime, computerName: 'WPC-PROXY' });
      try {
        const type2 = this.#server.acceptNegotiate(ntlm);
        return { kind: 'challenge', challenge: formatCredentials(v.scheme, wrapAcceptorToken(this.#style, type2, 'accept-incomplete', true)) };
      } catch (e) {
        this.#server = undefined;
        return { kind: 'refused', reason: `Type 1 refused: ${e instanceof Error ? e.message : String(e)}` };
      }
    }
    if (type === 3) {
      const server = this.#server;
      this.#server = undefined;
      // MS-NLMP §3.2.5: the Type 3 answers the challenge issued on THIS connection, or none.
      if (!server || server.state !== 'challenged') return { kind: 'refused', reason: 'Type 3 without a Type 2 issued on this connection' };
      const r = server.acceptAuthenticate(ntlm);
      if (!r.ok) return { kind: 'refused', reason: `${r.reason}: ${r.detail}` };
      this.user = r.user;
      return { kind: 'authenticated', user: r.user };
    }
    return { kind: 'refused', reason: `unexpected NTLM message type ${type}` };
  }
}
