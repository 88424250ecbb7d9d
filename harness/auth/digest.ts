// HTTP Digest access authentication (RFC 7616), the parts a proxy and its client need:
// algorithms MD5 and SHA-256 (not the -sess variants, not userhash), qop=auth only.
// Pure functions: nonces and cnonces are made by the caller from an injected RandomSource.
import { createHash } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'SHA-256';
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

export function digestAlgorithm(name: string | undefined): DigestAlgorithm | undefined {
  // RFC 7616 §3.3: absent means MD5; names compare case-insensitively.
  const n = (name ?? 'MD5').toUpperCase();
  return n === 'MD5' ? 'MD5' : n === 'SHA-256' ? 'SHA-256' : undefined;
}

/** RFC 7616 §3.4: H(data), lower-case hex. */
export function digestHash(alg: DigestAlgorithm, data: string): string {
  return createHash(alg === 'MD5' ? 'md5' : 'sha256').update(data, 'utf8').digest('hex');
}

/** RFC 7616 §3.4.2: A1 = username ":" realm ":" passwd (non-session algorithms). The HA1 is a secret. */
export function digestHa1(alg: DigestAlgorithm, user: string, realm: string, password: string): string {
  return digestHash(alg, `${user}:${realm}:${password}`);
}

export interface DigestResponseInput {
  algorithm: DigestAlgorithm;
  ha1: string;
  method: string;
  uri: string;
  nonce: string;
  /** 8 hex digits (RFC 7616 §3.4: nc). */
  nc: string;
  cnonce: string;
}

/**
 * RFC 7616 §3.4.1 with qop=auth: response = KD(H(A1), nonce:nc:cnonce:qop:H(A2)),
 * KD(secret, data) = H(secret ":" data), A2 = method ":" request-uri (§3.4.3).
 */
export function digestResponse(i: DigestResponseInput): string {
  const ha2 = digestHash(i.algorithm, `${i.method}:${i.uri}`);
  return digestHash(i.algorithm, `${i.ha1}:${i.nonce}:${i.nc}:${i.cnonce}:auth:${ha2}`);
}

/** RFC 7616 §3.4: nc as 8 lower-case hex digits. */
export function formatNc(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** A quoted-string (RFC 9110 §5.6.4): backslash-escape '"' and '\'. */
function quote(s: string): string {
  return `"${s.replace(/(["\\])/g, '\\$1')}"`;
}

/** RFC 7616 §3.3: the challenge. qop="auth" only; `stale=true` when the nonce alone was refused. */
export function formatDigestChallenge(o: { realm: string; nonce: string; opaque: string; algorithm: DigestAlgorithm; stale?: boolean }): string {
  return (
    `Digest realm=${quote(o.realm)}, qop="auth", algorithm=${o.algorithm}, nonce=${quote(o.nonce)}, opaque=${quote(o.opaque)}` +
    (o.stale ? ', stale=true' : '')
  );
}

/** RFC 7616 §3.4: the credentials (Authorization / Proxy-Authorization value). */
export function formatDigestCredentials(o: {
  user: string;
  realm: string;
  nonce: string;
  uri: string;
  algorithm: DigestAlgorithm;
  response: string;
  cnonce: string;
  nc: string;
  opaque?: string;
}): string {
  return (
    `Digest username=${quote(o.user)}, realm=${quote(o.realm)}, uri=${quote(o.uri)}, algorithm=${o.algorithm}, ` +
    `nonce=${quote(o.nonce)}, nc=${o.nc}, cnonce=${quote(o.cnonce)}, qop=auth, response=${quote(o.response)}` +
    (o.opaque !== undefined ? `, opaque=${quote(o.opaque)}` : '')
  );
}
