import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hex } from './bytes.ts';
import { formatChallenge, formatCredentials, parseAuthorization, parseChallenges } from './challenge.ts';

describe('auth header values (RFC 9110 §11)', () => {
  it('parses the WinRM first challenge sent as separate header lines', () => {
    const cs = parseChallenges(['Negotiate', 'Kerberos', 'Basic realm="WSMAN"', 'CredSSP']);
    expect(cs.map((c) => c.scheme)).toEqual(['Negotiate', 'Kerberos', 'Basic', 'CredSSP']);
    expect(cs[2].params).toEqual({ realm: 'WSMAN' });
  });

  it('splits several challenges in one line, including params with commas and a token68', () => {
    const cs = parseChallenges(['Basic realm="a, b", charset="UTF-8", Negotiate TlRMTVNTUAACAAAA, Digest realm="x", nonce=abc, qop="auth"']);
    expect(cs.map((c) => c.scheme)).toEqual(['Basic', 'Negotiate', 'Digest']);
    expect(cs[0].params).toEqual({ realm: 'a, b', charset: 'UTF-8' });
    expect(new TextDecoder().decode(cs[1].token!.subarray(0, 7))).toBe('NTLMSSP');
    expect(cs[2].params).toEqual({ realm: 'x', nonce: 'abc', qop: 'auth' });
  });

  it('treats schemes case-insensitively and canonicalises known ones', () => {
    expect(parseAuthorization('negotiate TlRMTVNTUAABAAAA')?.scheme).toBe('Negotiate');
    expect(parseAuthorization('BASIC dTpw')?.scheme).toBe('Basic');
    expect(parseAuthorization('X-Custom abc')?.scheme).toBe('X-Custom');
  });

  it('decodes an Authorization token68 (with = padding) to bytes', () => {
    const v = parseAuthorization('Negotiate AQID')!;
    expect(hex(v.token!)).toBe('010203');
    expect(hex(parseAuthorization('Basic dTpwdw==')!.token!)).toBe(hex(new TextEncoder().encode('u:pw')));
  });

  it('keeps the raw value and unescapes quoted-pairs', () => {
    const [c] = parseChallenges(['Basic realm="say \\"hi\\""']);
    expect(c.params!.realm).toBe('say "hi"');
    expect(c.raw).toBe('Basic realm="say \\"hi\\""');
  });

  it('formats challenges and credentials that parse back', () => {
    const v = formatChallenge('Basic', { params: { realm: 'we "quote"' } });
    expect(parseChallenges([v])[0].params!.realm).toBe('we "quote"');
    expect(formatCredentials('Negotiate', new Uint8Array([1, 2, 3]))).toBe('Negotiate AQID');
    expect(formatChallenge('Negotiate')).toBe('Negotiate');
  });

  it('never throws on arbitrary header text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: 4 }), (vals) => {
        parseChallenges(vals);
        for (const v of vals) parseAuthorization(v);
      }),
      { numRuns: 1000 },
    );
  });
});
