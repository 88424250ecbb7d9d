import { describe, expect, it } from 'vitest';
import { parseNetshSetProxy, parseWinHttpProxy } from './winhttp-proxy.ts';

describe('parseWinHttpProxy', () => {
  it('sends every scheme through a proxy-server given without scheme', () => {
    const p = parseWinHttpProxy('127.0.0.1:8080');
    expect(p.forUrl('http://10.0.0.5:5985/wsman')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(p.forUrl('https://10.0.0.5:5986/wsman')).toEqual({ host: '127.0.0.1', port: 8080 });
  });

  it('accepts the quoted netsh value and defaults the proxy port to 80', () => {
    expect(parseWinHttpProxy('"proxy.corp"').forUrl('http://h.corp:5985/wsman')).toEqual({ host: 'proxy.corp', port: 80 });
  });

  it('picks the per-scheme entry for the URL scheme', () => {
    const p = parseWinHttpProxy('http=127.0.0.1:3128;https=127.0.0.1:3129');
    expect(p.forUrl('http://srv.corp:5985/wsman')).toEqual({ host: '127.0.0.1', port: 3128 });
    expect(p.forUrl('https://srv.corp:5986/wsman')).toEqual({ host: '127.0.0.1', port: 3129 });
  });

  it('goes direct for a scheme the per-scheme list does not name', () => {
    const p = parseWinHttpProxy('http=127.0.0.1:3128');
    expect(p.forUrl('https://srv.corp:5986/wsman')).toBe('direct');
    expect(p.forUrl('http://srv.corp:5985/wsman')).toEqual({ host: '127.0.0.1', port: 3128 });
  });

  it('takes the first of several entries for a scheme, whitespace or semicolons separating them', () => {
    const p = parseWinHttpProxy('http=a.corp:1  http=b.corp:2; https=c.corp:3');
    expect(p.forUrl('http://x.corp/wsman')).toEqual({ host: 'a.corp', port: 1 });
    expect(p.forUrl('https://x.corp/wsman')).toEqual({ host: 'c.corp', port: 3 });
  });

  it('ignores an http:// prefix on the proxy itself', () => {
    expect(parseWinHttpProxy('https=http://127.0.0.1:8443/').forUrl('https://s.corp:5986/')).toEqual({ host: '127.0.0.1', port: 8443 });
  });

  it('is direct when no proxy server is set', () => {
    expect(parseWinHttpProxy(undefined, '<local>').forUrl('http://srv.corp:5985/wsman')).toBe('direct');
    expect(parseWinHttpProxy('').forUrl('http://srv.corp:5985/wsman')).toBe('direct');
  });

  it('bypasses names without a period for <local>, but not dotted addresses such as 127.0.0.1', () => {
    const p = parseWinHttpProxy('proxy.corp:8080', '<local>');
    expect(p.forUrl('http://winsrv01:5985/wsman')).toBe('direct');
    expect(p.forUrl('http://localhost:5985/wsman')).toBe('direct');
    expect(p.forUrl('http://127.0.0.1:5985/wsman')).toEqual({ host: 'proxy.corp', port: 8080 });
    expect(p.forUrl('http://winsrv01.corp:5985/wsman')).toEqual({ host: 'proxy.corp', port: 8080 });
  });

  it('bypasses wildcard patterns case-insensitively', () => {
    const p = parseWinHttpProxy('proxy.corp:8080', '"<local>;*.Example.com;10.*"');
    expect(p.forUrl('http://host.example.com:5985/wsman')).toBe('direct');
    expect(p.forUrl('http://HOST.EXAMPLE.COM:5985/wsman')).toBe('direct');
    expect(p.forUrl('http://10.1.2.3:5985/wsman')).toBe('direct');
    expect(p.forUrl('http://example.com:5985/wsman')).toEqual({ host: 'proxy.corp', port: 8080 });
    expect(p.forUrl('http://110.1.2.3:5985/wsman')).toEqual({ host: 'proxy.corp', port: 8080 });
  });

  it('honours a scheme or port in a bypass entry', () => {
    const p = parseWinHttpProxy('proxy.corp:8080', 'https://*.corp;srv.lab:5985');
    expect(p.forUrl('https://a.corp:5986/wsman')).toBe('direct');
    expect(p.forUrl('http://a.corp:5985/wsman')).toEqual({ host: 'proxy.corp', port: 8080 });
    expect(p.forUrl('http://srv.lab:5985/wsman')).toBe('direct');
    expect(p.forUrl('https://srv.lab:5986/wsman')).toEqual({ host: 'proxy.corp', port: 8080 });
  });

  it('rejects an entry with a bad port, naming it', () => {
    expect(() => parseWinHttpProxy('proxy.corp:80x')).toThrow(/proxy\.corp:80x/);
    expect(() => parseWinHttpProxy('proxy.corp:70000')).toThrow(/out of range/);
  });
});

describe('parseNetshSetProxy', () => {
  it('reads the named form', () => {
    expect(parseNetshSetProxy('netsh winhttp set proxy proxy-server="http=p:1;https=p:2" bypass-list="<local>;*.corp"')).toEqual({
      proxyServer: 'http=p:1;https=p:2',
      bypassList: '<local>;*.corp',
    });
  });

  it('reads the positional form', () => {
    expect(parseNetshSetProxy('netsh winhttp set proxy myproxy:80 "<local>;bar"')).toEqual({
      proxyServer: 'myproxy:80',
      bypassList: '<local>;bar',
    });
  });
});
