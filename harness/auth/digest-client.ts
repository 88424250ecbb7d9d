// The client side of Digest (RFC 7616 §3.4): answers a challenge, and keeps answering with the
// same nonce (nc counting up) until the server says stale=true or challenges again.
import type { AuthValue } from './challenge.ts';
import { digestAlgorithm, digestHa1, digestResponse, formatDigestCredentials, formatNc, type DigestAlgorithm } from './digest.ts';
import type { RandomSource } from './random.ts';

export class DigestClient {
  #challenge?: { realm: string; nonce: string; opaque?: string; algorithm: DigestAlgorithm; ha1: string };
  #nc = 0;

  constructor(
    private readonly creds: { user: string; password: string },
    private readonly random: RandomSource,
  ) {}

  /** The first challenge we can answer (§3.7: the server lists its preferred first); false if none. */
  accept(challenges: readonly AuthValue[]): boolean {
    for (const c of challenges) {
      const p = c.params ?? {};
      const algorithm = digestAlgorithm(p.algorithm);
      // qop=auth only (§3.3: qop is a list; auth-int is not supported here).
      const qops = (p.qop ?? '').split(',').map((q) => q.trim());
      if (c.scheme !== 'Digest' || !algorithm || p.realm === undefined || p.nonce === undefined || !qops.includes('auth')) continue;
      this.#challenge = {
        realm: p.realm,
        nonce: p.nonce,
        ...(p.opaque !== undefined ? { opaque: p.opaque } : {}),
        algorithm,
        ha1: digestHa1(algorithm, this.creds.user, p.realm, this.creds.password),
      };
      this.#nc = 0;
      return true;
    }
    return false;
  }

  get ready(): boolean {
    return this.#challenge !== undefined;
  }

  /** Credentials for one request (`uri` is its request-target, §3.4.6); a new nc each time. */
  authorization(method: string, uri: string): string {
    const c = this.#challenge;
    if (!c) throw new Error('Digest: no challenge accepted yet');
    const nc = formatNc(++this.#nc);
    const cnonce = Buffer.from(this.random.bytes(12)).toString('hex');
    const response = digestResponse({ algorithm: c.algorithm, ha1: c.ha1, method, uri, nonce: c.nonce, nc, cnonce });
    return formatDigestCredentials({ user: this.creds.user, realm: c.realm, nonce: c.nonce, uri, algorithm: c.algorithm, response, cnonce, nc, ...(c.opaque !== undefined ? { opaque: c.opaque } : {}) });
  }
}
