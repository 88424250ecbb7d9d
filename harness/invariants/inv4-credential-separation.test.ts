import { describe, expect, it } from 'vitest';
import { inv4 } from './inv4-credential-separation.ts';
import { client, context, req, TraceBuilder } from './test-support.ts';

const proxySecret = [{ label: 'the proxy password', user: 'pxuser', password: 'Proxy-Pw-9988' }];
const proxyAuth = `Proxy-Authorization: Basic ${Buffer.from('pxuser:Proxy-Pw-9988').toString('base64')}`;

describe('INV-4 credential separation', () => {
  it('holds when the proxy consumes Proxy-Authorization', () => {
    const b = new TraceBuilder().open('c1', 'alice#1', 'proxy').open('s1', 'proxy', 'server');
    b.write('c1', 'alice#1', req('alice#1/1', '', [proxyAuth, 'Authorization: Negotiate TlRMTVNTUAABAAAA'])).write('s1', 'proxy', req('alice#1/1', '', ['Authorization: Negotiate TlRMTVNTUAABAAAA']));
    expect(inv4(context(b, { proxy: proxySecret })).holds).toBe(true);
  });

  it('is violated when Proxy-Authorization reaches the server', () => {
    const b = new TraceBuilder().open('s1', 'proxy', 'server').write('s1', 'proxy', req('alice#1/1', '', [proxyAuth]));
    const r = inv4(context(b, { proxy: proxySecret }));
    expect(r.holds).toBe(false);
    expect(r.explanation).toContain('Proxy-Authorization header reached the server on s1');
    expect(r.explanation).toContain('the proxy password (Basic credentials pxuser:…)');
    expect(r.explanation).not.toContain('Proxy-Pw-9988');
  });

  it('is violated when the proxy sees destination Basic credentials, whatever the server policy', () => {
    const basic = `Authorization: Basic ${Buffer.from('alice:Alice-Pw-4711!').toString('base64')}`;
    const b = new TraceBuilder().open('c1', 'alice#1', 'proxy').write('c1', 'alice#1', req('alice#1/1', '', [basic]));
    const r = inv4(context(b, { policy: { allowUnencrypted: true } }));
    expect(r.holds).toBe(false);
    expect(r.explanation).toContain("the proxy saw alice's password");
  });

  it('looks inside TLS the client wrote through a tunnel for proxy credentials', () => {
    const b = new TraceBuilder().open('c1', 'alice#1', 'proxy').write('c1', 'alice#1', req('alice#1/1', '', [proxyAuth]), true);
    expect(inv4(context(b, { proxy: proxySecret, clients: [client('alice#1')] })).holds).toBe(false);
  });
});
