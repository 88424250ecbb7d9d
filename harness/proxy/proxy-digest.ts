// Digest proxy authentication, proxy side (RFC 7616 §3.3–§3.5): nonces from the injected
// RandomSource, their age from the network clock (virtual on sim), nc replay tracking, stale.

import { timingSafeEqual } from 'node:crypto';
import type { AuthValue } from '../auth/challenge.ts';
import { DIGEST_ALGORITHMS, digestAlgorithm, digestHa1, digestResponse, formatDigestChallenge, type DigestAlgorithm } from '../auth/digest.ts';
import type { RandomSource } from '../auth/random.ts';
import type { Clock } from '../net/types.ts';

export type DigestVerdict =
  | { kind: 'ok' }
  /** The response is right but the nonce expired or is unknown: stale=true (§3.3). */
  | { kind: 'stale' }
  | { kind: 'bad'; reason: string };

/** How long a nonce is honoured (§3.3 leaves it to the server). */
export const NONCE_LIFETIME_MS = 300_000;
/** Bound on remembered nonces: the oldest are forgotten first (their users get stale=true). */
const MAX_NONCES = 4096;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `http://host:port/p?q` → `/p?q`; undefined for other forms (RFC 9112 §3.2). */
function originForm(target: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i.exec(target);
  return m ? m[1] || '/' : undefined;
}

export class DigestNonces {
  readonly opaque: string;
  /** HA1 per algorithm: a password equivalent, kept only here and never logged. */
  #ha1: Map<DigestAlgorithm, string>;
  #nonces = new Map<string, { issuedAt: number; lastNc: number }>();

  constructor(
    private readonly creds: { user: string; password: string; realm: string },
    private readonly random: RandomSource,
    private readonly clock: Clock,
  ) {
    this.opaque = hex(random.bytes(8));
    this.#ha1 = new Map(DIGEST_ALGORITHMS.map((a) => [a, digestHa1(a, creds.user, creds.realm, creds.password)]));
  }

  /** One challenge per algorithm, SHA-256 first (§3.7: the client uses the first it supports). */
  challenges(stale = false): string[] {
    return DIGEST_ALGORITHMS.map((algorithm) => formatDigestChallenge({ realm: this.creds.realm, nonce: this.#issue(), opaque: this.opaque, algorithm, stale }));
  }

  #issue(): string {
    const nonce = Buffer.from(this.random.bytes(18)).toString('base64');
    if (this.#nonces.size >= MAX_NONCES) this.#nonces.delete(this.#nonces.keys().next().value!);
    this.#nonces.set(nonce, { issuedAt: this.clock.now(), lastNc: 0 });
    return nonce;
  }

  /** §3.4, §3.5: checks one Proxy-Authorization: Digest against the request's method and target. */
  verify(v: AuthValue, method: string, target: string): DigestVerdict {
    const p = v.params ?? {};
    const algorithm = digestAlgorithm(p.algorithm);
    if (!algorithm) return { kind: 'bad', reason: `unsupported algorithm ${p.algorithm}` };
    for (const k of ['username', 'realm', 'nonce', 'uri', 'response', 'nc', 'cnonce'] as const) {
      if (p[k] === undefined) return { kind: 'bad', reason: `missing ${k}` };
    }
    if (p.qop !== 'auth') return { kind: 'bad', reason: 'qop must be auth' };
    if (p.realm !== this.creds.realm) return { kind: 'bad', reason: 'another realm' };
    // §3.4.6: the uri names the same resource as the request-target, so a response cannot be
    // replayed for another one. For an absolute-form target clients send either the whole URI or
    // its origin-form (curl does), which designate the same resource.
    if (p.uri !== target && p.uri !== originForm(target)) return { kind: 'bad', reason: 'uri does not match the request-target' };
    if (p.opaque !== undefined && p.opaque !== this.opaque) return { kind: 'bad', reason: 'opaque does not match' };
    if (!/^[0-9a-fA-F]{8}$/.test(p.nc!)) return { kind: 'bad', reason: 'nc is not 8 hex digits' };
    const expected = digestResponse({ algorithm, ha1: this.#ha1.get(algorithm)!, method, uri: p.uri, nonce: p.nonce!, nc: p.nc!, cnonce: p.cnonce! });
    const userOk = equalText(p.username!, this.creds.user);
    if (!(equalText(p.response!.toLowerCase(), expected) && userOk)) return { kind: 'bad', reason: 'wrong user or response' };
    const entry = this.#nonces.get(p.nonce!);
    if (!entry || this.clock.now() - entry.issuedAt > NONCE_LIFETIME_MS) {
      this.#nonces.delete(p.nonce!);
      return { kind: 'stale' };
    }
    // §3.4 / §5.3: nc counts the requests made with this nonce; a repeated one is a replay.
    const nc = parseInt(p.nc!, 16);
    if (nc <= entry.lastNc) return { kind: 'bad', reason: `nc ${p.nc} already used with this nonce (replay)` };
    entry.lastNc = nc;
    return { kind: 'ok' };
  }
}
