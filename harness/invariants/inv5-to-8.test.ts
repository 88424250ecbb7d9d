import { describe, expect, it } from 'vitest';
import { Trace } from '../net/trace.ts';
import { inv5 } from './inv5-liveness.ts';
import { inv6 } from './inv6-at-most-once.ts';
import { inv7 } from './inv7-fail-closed.ts';
import { inv8 } from './inv8-determinism.ts';
import { audit, client, context, req, TraceBuilder } from './test-support.ts';

const x = (conn: string, n: number, status: number, step = 'Create') => ({ conn, tag: `alice#1/${n}`, requestLine: 'POST /wsman HTTP/1.1', status, step });

describe('INV-5 liveness', () => {
  it('holds for one handshake on one connection that ends ok', () => {
    const c = client('alice#1', { exchanges: [x('c1', 1, 401), x('c1', 2, 401), x('c1', 3, 200)], handshakes: 1 });
    expect(inv5(context(new TraceBuilder(), { clients: [c] })).holds).toBe(true);
  });

  it('is violated by a 401 loop', () => {
    const c = client('alice#1', { outcome: 'access-denied', error: 'denied', exchanges: [1, 2, 3, 4, 5].map((n) => x('c1', n, 401)), handshakes: 1 });
    expect(inv5(context(new TraceBuilder(), { clients: [c] })).explanation).toContain('5 401 answers in a row');
  });

  it('is violated when handshakes differ from client connections', () => {
    const c = client('alice#1', { exchanges: [x('c1', 1, 401), x('c1', 2, 200)], handshakes: 2 });
    expect(inv5(context(new TraceBuilder(), { clients: [c] })).explanation).toContain('2 handshake(s) on 1 client connection(s)');
  });

  it('is violated when a client with the right credentials is denied, and not when its credentials are wrong', () => {
    const denied = { outcome: 'access-denied', error: 'denied', exchanges: [x('c1', 1, 401), x('c1', 2, 401), x('c1', 3, 401)], handshakes: 1 };
    expect(inv5(context(new TraceBuilder(), { clients: [client('alice#1', denied)] })).holds).toBe(false);
    expect(inv5(context(new TraceBuilder(), { clients: [client('alice#1', { ...denied, credentials: 'wrong' })] })).holds).toBe(true);
  });

  it('is violated by a request that never got a response', () => {
    const c = client('alice#1', { outcome: 'network', error: 'reset', exchanges: [x('c1', 1, 0)], handshakes: 1 });
    expect(inv5(context(new TraceBuilder(), { clients: [c] })).explanation).toContain('never got a response');
  });
});

describe('INV-6 at most once', () => {
  it('holds when each command runs once, and is violated by a replayed request or an extra command', () => {
    const b = new TraceBuilder().open('c1', 'alice#1', 'proxy').write('c1', 'alice#1', req('alice#1/3') + req('alice#1/4'));
    const once = [audit({ conn: 's1', kind: 'wsman', status: 200, requestTag: 'alice#1/3', commandId: 'C1' })];
    const c = client('alice#1', { plannedCommands: 1 });
    expect(inv6(context(b, { audit: once, clients: [c] })).holds).toBe(true);
    const twice = [...once, audit({ conn: 's2', kind: 'wsman', status: 200, requestTag: 'alice#1/3', commandId: 'C2' })];
    expect(inv6(context(b, { audit: twice, clients: [c] })).explanation).toContain('request alice#1/3 executed 2 times');
    const extra = [...once, audit({ conn: 's2', kind: 'wsman', status: 200, requestTag: 'alice#1/4', commandId: 'C2' })];
    expect(inv6(context(b, { audit: extra, clients: [c] })).explanation).toContain('asked for 1 command(s) but the server executed 2');
  });
});

describe('INV-7 fail closed', () => {
  it('holds for an access-denied failure with a reason', () => {
    expect(inv7(context(new TraceBuilder(), { clients: [client('alice#1', { outcome: 'access-denied', error: '401 after handshake' })] })).holds).toBe(true);
  });

  it('is violated by a hang', () => {
    expect(inv7(context(new TraceBuilder(), { clients: [client('alice#1', { outcome: 'hang' })] })).explanation).toContain('still waiting');
  });

  it("is violated when a client is served in another identity's session", () => {
    const b = new TraceBuilder().open('c2', 'bob#1', 'proxy').write('c2', 'bob#1', req('bob#1/1'));
    const a = [audit({ conn: 's1', kind: 'wsman', status: 200, requestTag: 'bob#1/1', identity: 'WINRM-SIM\\alice', responseBytes: 9, action: 'Create' })];
    const r = inv7(context(b, { audit: a, clients: [client('bob#1')] }));
    expect(r.holds).toBe(false);
    expect(r.explanation).toContain("bob#1's Create bob#1/1 was served in WINRM-SIM\\alice's session on server connection s1");
  });
});

describe('INV-8 determinism', () => {
  const traceOf = (text: string) => {
    const t = new Trace(() => 0);
    t.note('x', 'same');
    t.note('x', text);
    return t;
  };

  it('holds for identical traces and names the first differing event otherwise', () => {
    expect(inv8(traceOf('a'), traceOf('a')).holds).toBe(true);
    const r = inv8(traceOf('a'), traceOf('b'));
    expect(r.holds).toBe(false);
    expect(r.explanation).toContain('event 1 differs');
  });
});
