import { describe, expect, it } from 'vitest';
import { inv3 } from './inv3-confidentiality.ts';
import { client, context, req, res, TraceBuilder } from './test-support.ts';

const tlsRecord = (n: number) => Buffer.concat([Buffer.from([0x17, 3, 3, n >> 8, n & 0xff]), Buffer.alloc(n, 0xaa)]);

describe('INV-3 confidentiality', () => {
  it('holds when the proxy relays only encrypted bodies', () => {
    const b = new TraceBuilder().open('c1', 'alice#1', 'proxy').write('c1', 'alice#1', req('alice#1/1', '\x10\x00\x00\x00sealed-bytes'));
    expect(inv3(context(b, { clients: [client('alice#1')] })).holds).toBe(true);
  });

  it('is violated by plaintext SOAP the proxy relays while the server enforces encryption', () => {
    const b = new TraceBuilder().open('c1', 'alice#1', 'proxy').write('c1', 'alice#1', req('alice#1/1', '<s:Envelope xmlns:s="x"/>'));
    const r = inv3(context(b, { clients: [client('alice#1')] }));
    expect(r.holds).toBe(false);
    expect(r.explanation).toContain('plaintext SOAP (<s:Envelope) in the request body of alice#1/1 on c1');
  });

  it('does not apply when the server allows unencrypted traffic', () => {
    const b = new TraceBuilder().open('c1', 'alice#1', 'proxy').write('c1', 'alice#1', req('alice#1/1', '<s:Envelope/>'));
    const r = inv3(context(b, { clients: [client('alice#1')], policy: { allowUnencrypted: true } }));
    expect(r).toMatchObject({ holds: true, applies: false });
  });

  it('finds the password as UTF-16LE even when split across two writes', () => {
    const pw = Buffer.from('Alice-Pw-4711!', 'utf16le');
    const b = new TraceBuilder().open('s1', 'proxy', 'server').write('s1', 'proxy', pw.subarray(0, 7)).write('s1', 'proxy', pw.subarray(7));
    const r = inv3(context(b));
    expect(r.holds).toBe(false);
    expect(r.explanation).toContain("alice's password (UTF-16LE)");
    expect(r.explanation).not.toContain('Alice-Pw-4711!');
  });

  it('finds Basic credentials (base64) and the NT hash', () => {
    const basic = Buffer.from('alice:Alice-Pw-4711!').toString('base64');
    const b = new TraceBuilder().open('c1', 'alice#1', 'proxy').write('c1', 'alice#1', req('alice#1/1', '', [`Authorization: Basic ${basic}`]));
    expect(inv3(context(b)).explanation).toContain('Basic credentials alice:…');
    const b2 = new TraceBuilder().open('c1', 'alice#1', 'proxy').write('c1', 'alice#1', 'hash=22a8a7d7f3bc8b1b8fb0f81b4e1b9a1e');
    // not alice's hash: no finding
    expect(inv3(context(b2)).holds).toBe(true);
  });

  it("does not count an unauthenticated client's own plaintext request and its refusal", () => {
    const b = new TraceBuilder().open('c2', 'rider#1', 'proxy').write('c2', 'rider#1', req('rider#1/1', '<env:Envelope/>')).write('c2', 'proxy', res(500));
    expect(inv3(context(b, { clients: [client('rider#1', { auth: 'none' })] })).holds).toBe(true);
  });

  it('holds for a CONNECT tunnel that carries TLS records only, and is violated by plaintext in it', () => {
    const ok = new TraceBuilder()
      .open('c1', 'alice#1', 'proxy')
      .write('c1', 'alice#1', 'CONNECT 127.0.0.1:5986 HTTP/1.1\r\nHost: 127.0.0.1:5986\r\n\r\n')
      .write('c1', 'proxy', 'HTTP/1.1 200 Connection established\r\n\r\n')
      .write('c1', 'alice#1', tlsRecord(40))
      .write('c1', 'proxy', tlsRecord(100));
    expect(inv3(context(ok)).holds).toBe(true);
    const bad = new TraceBuilder()
      .open('c1', 'alice#1', 'proxy')
      .write('c1', 'alice#1', 'CONNECT 127.0.0.1:5986 HTTP/1.1\r\nHost: 127.0.0.1:5986\r\n\r\n')
      .write('c1', 'proxy', 'HTTP/1.1 200 Connection established\r\n\r\n')
      .write('c1', 'alice#1', 'POST /wsman HTTP/1.1\r\n\r\n');
    const r = inv3(context(bad));
    expect(r.holds).toBe(false);
    expect(r.explanation).toContain('tunnel bytes from alice#1 on c1 are not TLS records');
  });

  it('is violated when the proxy terminates TLS inside the tunnel (it read the plaintext)', () => {
    const b = new TraceBuilder()
      .open('c1', 'alice#1', 'proxy')
      .write('c1', 'alice#1', 'CONNECT 127.0.0.1:5986 HTTP/1.1\r\nHost: 127.0.0.1:5986\r\n\r\n')
      .write('c1', 'proxy', 'HTTP/1.1 200 Connection established\r\n\r\n')
      .write('c1', 'alice#1', tlsRecord(10))
      .write('c1', 'alice#1', req('alice#1/1', '<s:Envelope/>'), true)
      .write('c1', 'proxy', res(200, '<s:Envelope/>'), true);
    const r = inv3(context(b));
    expect(r.holds).toBe(false);
    expect(r.explanation).toContain('terminated TLS inside the CONNECT tunnel on c1');
  });
});
