// The initiator of an HTTP NTLM handshake under the `NTLM` scheme (raw NTLMSSP) or `Negotiate`
// (SPNEGO-wrapped, RFC 4178 / RFC 4559 §4): Type 1 out, Type 2 in, Type 3 out. One instance per
// connection: the server's context is bound to the connection the Type 1 arrived on.
import { formatCredentials, parseChallenges, sameScheme } from './challenge.ts';
import { NtlmClient } from './ntlm/client.ts';
import type { RandomSource } from './random.ts';
import { extractNtlm, parseNegotiateToken, wrapInitiatorToken } from './spnego.ts';

export type NtlmHttpScheme = 'Negotiate' | 'NTLM';

export class NtlmHttpInitiator {
  #ntlm: NtlmClient;
  #sentType3 = false;

  constructor(
    readonly scheme: NtlmHttpScheme,
    creds: { user: string; password: string; domain?: string },
    random: RandomSource,
    /** The client's clock, for a Type 2 without MsvAvTimestamp (MS-NLMP §3.1.5.1.2: CurrentTime). */
    nowFiletime?: () => bigint,
  ) {
    // "DOMAIN\user" names the domain the way Windows prompts accept it.
    const slash = creds.user.indexOf('\\');
    const user = slash >= 0 ? creds.user.slice(slash + 1) : creds.user;
    const domain = creds.domain ?? (slash >= 0 ? creds.user.slice(0, slash) : undefined);
    this.#ntlm = new NtlmClient({ user, password: creds.password, ...(domain !== undefined ? { domain } : {}), random, ...(nowFiletime ? { nowFiletime } : {}) });
  }

  get sentType3(): boolean {
    return this.#sentType3;
  }

  /** The first leg: `<scheme> <Type1>`. */
  start(): string {
    const style = this.scheme === 'Negotiate' ? 'spnego' : 'raw';
    return formatCredentials(this.scheme, wrapInitiatorToken(style, this.#ntlm.negotiate(), true));
  }

  /** The third leg from the challenge headers of the response to the first; undefined when they carry no Type 2. */
  answer(challengeValues: string[]): string | undefined {
    const c = parseChallenges(challengeValues).find((v) => sameScheme(v.scheme, this.scheme) && v.token);
    if (!c?.token) return undefined;
    let type2: Uint8Array | undefined;
    try {
      type2 = extractNtlm(parseNegotiateToken(c.token)).ntlm;
    } catch {
      return undefined;
    }
    if (!type2) return undefined;
    const style = this.scheme === 'Negotiate' ? 'spnego' : 'raw';
    const type3 = this.#ntlm.authenticate(type2);
    this.#sentType3 = true;
    return formatCredentials(this.scheme, wrapInitiatorToken(style, type3, false));
  }
}
