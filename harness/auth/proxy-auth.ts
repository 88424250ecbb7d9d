// Proxy authentication with Basic (RFC 9110 §11.7): 407 + Proxy-Authenticate, answered with
// Proxy-Authorization, which the proxy consumes. Independent of the destination's auth.
import { createHash } from 'node:crypto';
import { basicHeader, parseBasic, type BasicCredentials } from './basic.ts';
import { bytesEqual } from './bytes.ts';
import { formatChallenge, parseChallenges, sameScheme } from './challenge.ts';

export type ProxyCheck = { ok: true } | { ok: false; challenge: string };

const digest = (s: string) => new Uint8Array(createHash('sha256').update(s, 'utf8').digest());

export class ProxyAuthenticator {
  readonly realm: string;
  readonly challenge: string;
  #user: Uint8Array;
  #password: Uint8Array;

  constructor(opts: { user: string; password: string; realm?: string }) {
    this.realm = opts.realm ?? 'wpc-proxy';
    this.challenge = formatChallenge('Basic', { params: { realm: this.realm } });
    // Compare digests so the comparison time does not depend on the secret's length or content.
    this.#user = digest(opts.user);
    this.#password = digest(opts.password);
  }

  /** Checks one request's Proxy-Authorization value; on failure gives the Proxy-Authenticate to send with 407. */
  check(proxyAuthorizationValue: string | undefined): ProxyCheck {
    const creds = parseBasic(proxyAuthorizationValue);
    if (creds) {
      const userOk = bytesEqual(digest(creds.user), this.#user);
      const passOk = bytesEqual(digest(creds.password), this.#password);
      if (userOk && passOk) return { ok: true };
    }
    return { ok: false, challenge: this.challenge };
  }
}

/** The client side: a Proxy-Authorization value answering the offered challenges, if Basic is among them. */
export function proxyAuthorizationFor(challengeValues: string[], creds: BasicCredentials): string | undefined {
  const basic = parseChallenges(challengeValues).find((c) => sameScheme(c.scheme, 'Basic'));
  return basic ? basicHeader(creds.user, creds.password) : undefined;
}
