// The reference proxy's gate: decides, per request, whether the client authenticated to the
// proxy (RFC 9110 §11.7.1), with the configured schemes. Basic and Digest authenticate each
// request; Negotiate / NTLM authenticate the client connection (RFC 4559 §6), so their state
// lives in one ConnectionGate per client connection.

import { parseAuthorization, sameScheme } from '../auth/challenge.ts';
import { userDb } from '../auth/ntlm/user-db.ts';
import type { RandomSource } from '../auth/random.ts';
import type { Clock } from '../net/types.ts';
import type { HttpRequest } from '../wire/types.ts';
import { getHeader } from '../wire/index.ts';
import { filetimeAt } from '../server/negotiate-deps.ts';
import { basicMatches, type ProxyAuthScheme, type ProxyCredentials } from './proxy-auth.ts';
import { DigestNonces } from './proxy-digest.ts';
import { ConnectionNtlm, type NtlmDeps } from './proxy-ntlm.ts';

export type GateVerdict =
  | { ok: true; scheme: string; note?: string }
  /** Answer 407 with these challenges; `note` says why, without any secret. */
  | { ok: false; challenges: string[]; connectionBound: boolean; note: string };

export class ProxyGate {
  readonly schemes: readonly ProxyAuthScheme[];
  readonly realm: string;
  readonly digest?: DigestNonces;
  readonly ntlmDeps?: NtlmDeps;

  constructor(
    readonly creds: ProxyCredentials,
    random: RandomSource,
    clock: Clock,
  ) {
    this.schemes = creds.schemes?.length ? creds.schemes : ['basic'];
    this.realm = creds.realm ?? 'wpc';
    if (this.schemes.includes('digest')) this.digest = new DigestNonces({ user: creds.user, password: creds.password, realm: this.realm }, random, clock);
    if (this.schemes.includes('negotiate') || this.schemes.includes('ntlm')) {
      this.ntlmDeps = { users: userDb([{ user: creds.user, password: creds.password }]), random, nowFiletime: () => filetimeAt(clock) };
    }
  }

  get connectionBound(): boolean {
    return this.ntlmDeps !== undefined;
  }

  /** Every challenge, in the order the schemes are configured (strongest first). */
  challenges(opts: { stale?: boolean; negotiateChallenge?: string } = {}): string[] {
    return this.schemes.flatMap((s) => {
      if (s === 'negotiate') return ['Negotiate'];
      if (s === 'ntlm') return ['NTLM'];
      if (s === 'digest') return this.digest!.challenges(opts.stale);
      return [`Basic realm="${this.realm}"`];
    });
  }

  forConnection(): ConnectionGate {
    return new ConnectionGate(this);
  }
}

export class ConnectionGate {
  readonly #ntlm?: ConnectionNtlm;

  constructor(private readonly gate: ProxyGate) {
    if (gate.ntlmDeps) this.#ntlm = new ConnectionNtlm(gate.ntlmDeps);
  }

  /** The user of a completed Negotiate/NTLM handshake on this connection. */
  get connectionUser(): string | undefined {
    return this.#ntlm?.user;
  }

  check(req: HttpRequest): GateVerdict {
    const g = this.gate;
    const value = getHeader(req.headers, 'proxy-authorization');
    const refuse = (note: string, stale = false): GateVerdict => ({ ok: false, challenges: g.challenges({ stale }), connectionBound: g.connectionBound, note });
    const v = value !== undefined ? parseAuthorization(value) : undefined;
    // RFC 4559 §6: once the handshake completed, the connection is authenticated; a new
    // Negotiate/NTLM token restarts it (handled below), anything else rides on it.
    const restarts = v && (sameScheme(v.scheme, 'Negotiate') || sameScheme(v.scheme, 'NTLM'));
    if (this.#ntlm?.user !== undefined && !restarts) return { ok: true, scheme: 'connection' };
    if (value === undefined) return refuse('no Proxy-Authorization');
    if (!v) return refuse('unparsable Proxy-Authorization');
    const offered = (s: ProxyAuthScheme) => g.schemes.includes(s);
    if (sameScheme(v.scheme, 'Basic') && offered('basic')) {
      return v.token && basicMatches(v.token, g.creds) ? { ok: true, scheme: 'Basic' } : refuse('Basic: wrong credentials');
    }
    if (sameScheme(v.scheme, 'Digest') && offered('digest')) {
      const r = g.digest!.verify(v, req.method, req.target);
      if (r.kind === 'ok') return { ok: true, scheme: 'Digest' };
      return r.kind === 'stale' ? refuse('Digest: stale nonce', true) : refuse(`Digest: ${r.reason}`);
    }
    const asNtlm = sameScheme(v.scheme, 'NTLM') && offered('ntlm');
    const asNegotiate = sameScheme(v.scheme, 'Negotiate') && offered('negotiate');
    if ((asNtlm || asNegotiate) && this.#ntlm) {
      const step = this.#ntlm.step({ ...v, scheme: asNtlm ? 'NTLM' : 'Negotiate' });
      if (step.kind === 'authenticated') return { ok: true, scheme: v.scheme, note: `${v.scheme}: connection authenticated as ${step.user}` };
      if (step.kind === 'challenge') return { ok: false, challenges: [step.challenge], connectionBound: true, note: `${v.scheme}: Type 2 challenge issued` };
      return refuse(`${v.scheme}: ${step.reason}`);
    }
    return refuse(`scheme ${v.scheme} not offered`);
  }
}
