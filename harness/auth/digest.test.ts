import { describe, expect, it } from 'vitest';
import { parseAuthorization, parseChallenges } from './challenge.ts';
import { digestAlgorithm, digestHa1, digestResponse, formatDigestChallenge, formatDigestCredentials, formatNc } from './digest.ts';

// RFC 7616 §3.9.1: the worked example, for MD5 and for SHA-256.
const EXAMPLE = {
  user: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  nc: '00000001',
};

describe('Digest (RFC 7616)', () => {
  it('§3.9.1 known answer with MD5', () => {
    const ha1 = digestHa1('MD5', EXAMPLE.user, EXAMPLE.realm, EXAMPLE.password);
    expect(digestResponse({ algorithm: 'MD5', ha1, ...EXAMPLE })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('§3.9.1 known answer with SHA-256', () => {
    const ha1 = digestHa1('SHA-256', EXAMPLE.user, EXAMPLE.realm, EXAMPLE.password);
    expect(digestResponse({ algorithm: 'SHA-256', ha1, ...EXAMPLE })).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('algorithm names: absent is MD5, case-insensitive, -sess and unknown refused', () => {
    expect(digestAlgorithm(undefined)).toBe('MD5');
    expect(digestAlgorithm('sha-256')).toBe('SHA-256');
    expect(digestAlgorithm('MD5-sess')).toBeUndefined();
    expect(digestAlgorithm('SHA-512-256')).toBeUndefined();
  });

  it('challenge and credentials round-trip through the header parsers', () => {
    const ch = parseChallenges([formatDigestChallenge({ realm: 'r "q"', nonce: 'n1', opaque: 'o', algorithm: 'SHA-256', stale: true })])[0];
    expect(ch.scheme).toBe('Digest');
    expect(ch.params).toMatchObject({ realm: 'r "q"', nonce: 'n1', opaque: 'o', algorithm: 'SHA-256', qop: 'auth', stale: 'true' });
    const cr = parseAuthorization(formatDigestCredentials({ user: 'u', realm: 'r', nonce: 'n1', uri: 'h:1', algorithm: 'MD5', response: 'ab', cnonce: 'c', nc: formatNc(10), opaque: 'o' }));
    expect(cr?.params).toMatchObject({ username: 'u', uri: 'h:1', nc: '0000000a', qop: 'auth', response: 'ab', opaque: 'o' });
  });
});
