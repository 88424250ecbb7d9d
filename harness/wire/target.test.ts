import { describe, expect, it } from 'vitest';
import { parseTarget } from './target.ts';
import { WireError } from './types.ts';

function code(target: string, method = 'GET'): string {
  try {
    parseTarget(target, method);
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    return (e as WireError).code;
  }
  return 'accepted';
}

describe('parseTarget (RFC 9112 §3.2)', () => {
  it('origin-form keeps path and query', () => {
    expect(parseTarget('/wsman?a=b', 'POST')).toEqual({ form: 'origin', path: '/wsman?a=b' });
  });
  it('absolute-form splits scheme, host, port and path, defaulting ports', () => {
    expect(parseTarget('http://h.example:5985/wsman', 'POST')).toEqual({ form: 'absolute', scheme: 'http', host: 'h.example', port: 5985, path: '/wsman' });
    expect(parseTarget('HTTPS://h', 'GET')).toEqual({ form: 'absolute', scheme: 'https', host: 'h', port: 443, path: '/' });
    expect(parseTarget('http://h?x=1', 'GET')).toMatchObject({ port: 80, path: '/?x=1' });
  });
  it('IPv6 literals come without brackets', () => {
    expect(parseTarget('http://[::1]:8080/a', 'GET')).toMatchObject({ host: '::1', port: 8080 });
    expect(parseTarget('[fe80::1]:5986', 'CONNECT')).toEqual({ form: 'authority', host: 'fe80::1', port: 5986 });
  });
  it('authority-form is for CONNECT and requires a port', () => {
    expect(parseTarget('h:5986', 'CONNECT')).toEqual({ form: 'authority', host: 'h', port: 5986 });
    expect(code('h', 'CONNECT')).toBe('bad-start-line');
    expect(code('h:', 'CONNECT')).toBe('bad-start-line');
    expect(code('/x', 'CONNECT')).toBe('bad-start-line');
    expect(code('h:5986', 'GET')).toBe('bad-start-line');
  });
  it('asterisk-form is for OPTIONS only', () => {
    expect(parseTarget('*', 'OPTIONS')).toEqual({ form: 'asterisk' });
    expect(code('*', 'GET')).toBe('bad-start-line');
  });
  it('rejects nonsense', () => {
    for (const t of ['', 'wsman', 'ftp://h/', 'http://', 'http://u@h/', 'http://h:99999/', 'http://h:0/', 'http://h:x/', 'http://[::1/', 'http://[zz]/', '/a#frag', '/a b', 'http://h/a"b']) {
      expect(code(t), t).toBe('bad-start-line');
    }
    expect(code('h:70000', 'CONNECT')).toBe('bad-start-line');
  });
});
