import { describe, expect, it } from 'vitest';
import { resolveProxy } from './proxy-resolution.ts';

const HTTP = new URL('http://srv.corp:5985/wsman');
const HTTPS = new URL('https://srv.corp:5986/wsman');

describe('resolveProxy — WinRM 1.1 profile', () => {
  it('ignores IE settings and ProxyAccessType, and goes direct without WinHTTP settings', () => {
    const r = resolveProxy(
      { profile: 'winrm1.1', ieProxy: 'ie.corp:8080', proxy: { accessType: 'ProxyIEConfig', url: 'http://ie.corp:8080' } },
      HTTP,
    );
    expect(r).toEqual({ kind: 'direct', source: 'winhttp' });
  });

  it('takes the WinHTTP proxy even when IE settings name another one', () => {
    const r = resolveProxy({ profile: 'winrm1.1', ieProxy: 'ie.corp:8080', winhttp: { proxyServer: 'wh.corp:3128' } }, HTTP);
    expect(r).toMatchObject({ kind: 'proxy', proxy: { host: 'wh.corp', port: 3128 }, source: 'winhttp' });
  });

  it('applies the WinHTTP bypass list', () => {
    const r = resolveProxy({ profile: 'winrm1.1', winhttp: { proxyServer: 'wh.corp:3128', bypassList: '*.corp' } }, HTTP);
    expect(r.kind).toBe('direct');
  });
});

describe('resolveProxy — WinRM 2.0 profile', () => {
  it('defaults to ProxyWinHttpConfig', () => {
    const r = resolveProxy({ winhttp: { proxyServer: 'http=wh.corp:3128;https=wh.corp:3129' }, ieProxy: 'ie.corp:1' }, HTTPS);
    expect(r).toMatchObject({ kind: 'proxy', proxy: { host: 'wh.corp', port: 3129 }, source: 'ProxyWinHttpConfig' });
  });

  it('is direct with ProxyNoProxyServer whatever else is set', () => {
    const r = resolveProxy(
      { proxy: { accessType: 'ProxyNoProxyServer', url: 'http://p:1' }, winhttp: { proxyServer: 'wh.corp:3128' } },
      HTTP,
    );
    expect(r).toEqual({ kind: 'direct', source: 'ProxyNoProxyServer' });
  });

  it('uses proxy.url for ProxyIEConfig and ProxyAutoDetect, not WinHTTP', () => {
    for (const accessType of ['ProxyIEConfig', 'ProxyAutoDetect'] as const) {
      const r = resolveProxy({ proxy: { accessType, url: 'http://ie.corp:8080' }, winhttp: { proxyServer: 'wh.corp:3128' } }, HTTP);
      expect(r).toMatchObject({ kind: 'proxy', proxy: { host: 'ie.corp', port: 8080 }, source: accessType });
    }
  });

  it('falls back to the IE settings for ProxyIEConfig without a URL', () => {
    const r = resolveProxy({ proxy: { accessType: 'ProxyIEConfig' }, ieProxy: 'ie.corp:8080' }, HTTP);
    expect(r).toMatchObject({ kind: 'proxy', proxy: { host: 'ie.corp', port: 8080 } });
  });

  it('carries proxy credentials from proxy.auth, else from the URL userinfo', () => {
    const a = resolveProxy(
      { proxy: { accessType: 'ProxyIEConfig', url: 'http://u1:p1@ie.corp:8080', auth: { scheme: 'basic', user: 'u2', password: 'p2' } } },
      HTTP,
    );
    expect(a).toMatchObject({ auth: { user: 'u2', password: 'p2' } });
    const b = resolveProxy({ proxy: { accessType: 'ProxyIEConfig', url: 'http://u%31:p%3A1@ie.corp:8080' } }, HTTP);
    expect(b).toMatchObject({ proxy: { host: 'ie.corp', port: 8080 }, auth: { scheme: 'basic', user: 'u1', password: 'p:1' } });
  });
});
