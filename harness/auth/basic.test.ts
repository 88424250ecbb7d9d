import { describe, expect, it } from 'vitest';
import { basicHeader, parseBasic } from './basic.ts';
import { ProxyAuthenticator, proxyAuthorizationFor } from './proxy-auth.ts';

describe('Basic (RFC 7617)', () => {
  it('builds the RFC 7617 §2 example', () => {
    expect(basicHeader('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });
  it('round-trips UTF-8 and passwords containing colons', () => {
    expect(parseBasic(basicHeader('jürgen', 'a:b:c'))).toEqual({ user: 'jürgen', password: 'a:b:c' });
  });
  it('rejects other schemes, missing colon and invalid base64', () => {
    expect(parseBasic('Negotiate TlRMTVNTUAAB')).toBeUndefined();
    expect(parseBasic('Basic ' + Buffer.from('nocolon').toString('base64'))).toBeUndefined();
    expect(parseBasic('Basic !!!')).toBeUndefined();
    expect(parseBasic(undefined)).toBeUndefined();
  });
  it('refuses a user-id with a colon', () => {
    expect(() => basicHeader('a:b', 'x')).toThrow(/colon|":"/);
  });
});

describe('ProxyAuthenticator (RFC 9110 §11.7)', () => {
  const proxy = new ProxyAuthenticator({ user: 'proxyuser', password: 'proxypass', realm: 'squid' });

  it('accepts the right Proxy-Authorization', () => {
    expect(proxy.check(basicHeader('proxyuser', 'proxypass'))).toEqual({ ok: true });
  });
  it('answers a missing or wrong credential with a Basic Proxy-Authenticate challenge', () => {
    expect(proxy.check(undefined)).toEqual({ ok: false, challenge: 'Basic realm="squid"' });
    expect(proxy.check(basicHeader('proxyuser', 'nope')).ok).toBe(false);
    expect(proxy.check(basicHeader('other', 'proxypass')).ok).toBe(false);
    expect(proxy.check('Negotiate TlRMTVNTUAAB').ok).toBe(false);
  });
  it('client side: answers a Basic challenge among others, and nothing else', () => {
    const creds = { user: 'proxyuser', password: 'proxypass' };
    const value = proxyAuthorizationFor(['Negotiate', 'Basic realm="squid"'], creds);
    expect(proxy.check(value)).toEqual({ ok: true });
    expect(proxyAuthorizationFor(['Negotiate, NTLM'], creds)).toBeUndefined();
  });
  it('does not put the secret in the challenge', () => {
    expect(JSON.stringify(proxy.check(basicHeader('proxyuser', 'wrong')))).not.toContain('proxypass');
  });
});
