import { describe, expect, it } from 'vitest';
import { inv2 } from './inv2-no-cross-client-delivery.ts';
import { client, context, req, res, TraceBuilder } from './test-support.ts';

function twoClients(bobGets: string) {
  const b = new TraceBuilder();
  b.open('c1', 'alice#1', 'proxy').open('c2', 'bob#1', 'proxy').open('s1', 'proxy', 'server');
  b.write('c1', 'alice#1', req('alice#1/1', 'a'));
  b.write('c2', 'bob#1', req('bob#1/1', 'b'));
  b.write('s1', 'proxy', req('alice#1/1', 'a') + req('bob#1/1', 'b'));
  b.write('s1', 'server', res(200, 'ALICE-DATA') + res(200, 'BOB-DATA'));
  b.write('c2', 'proxy', res(200, bobGets));
  return context(b, { clients: [client('alice#1'), client('bob#1')] });
}

describe('INV-2 no cross-client delivery', () => {
  it('holds when each client receives the response to its own request', () => {
    const r = inv2(twoClients('BOB-DATA'));
    expect(r.holds).toBe(true);
    expect(r.explanation).toContain('1 relayed');
  });

  it("is violated when a client receives the body the server wrote for another client's request", () => {
    const r = inv2(twoClients('ALICE-DATA'));
    expect(r.holds).toBe(false);
    expect(r.explanation).toContain('bob#1 on c2 sent bob#1/1');
    expect(r.explanation).toContain("for alice#1/1 (alice#1's request)");
  });

  it('finds the same body whatever framing the proxy chose (chunked on the client hop)', () => {
    const b = new TraceBuilder();
    b.open('c2', 'bob#1', 'proxy').open('s1', 'proxy', 'server');
    b.write('s1', 'proxy', req('alice#1/1', 'a')).write('s1', 'server', res(200, 'ALICE-DATA'));
    b.write('c2', 'bob#1', req('bob#1/1', 'b'));
    b.write('c2', 'proxy', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nALICE\r\n5\r\n-DATA\r\n0\r\n\r\n');
    expect(inv2(context(b, { clients: [client('alice#1'), client('bob#1')] })).holds).toBe(false);
  });
});
