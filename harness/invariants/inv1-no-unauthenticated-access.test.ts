import { describe, expect, it } from 'vitest';
import { inv1 } from './inv1-no-unauthenticated-access.ts';
import { audit, client, context, req, TraceBuilder } from './test-support.ts';

// alice authenticates server connection s1 through the proxy on client connection c1.
function aliceOnS1(b: TraceBuilder) {
  b.open('c1', 'alice#1', 'proxy').open('s1', 'proxy', 'server');
  b.write('c1', 'alice#1', req('alice#1/1') + req('alice#1/2', 'sealed'));
  b.write('s1', 'proxy', req('alice#1/1') + req('alice#1/2', 'sealed'));
  return [
    audit({ conn: 's1', kind: 'auth-leg', status: 401, requestTag: 'alice#1/1' }),
    audit({ conn: 's1', kind: 'auth-complete', status: 200, requestTag: 'alice#1/2', identity: 'WINRM-SIM\\alice', scheme: 'negotiate', responseBytes: 300, action: 'Create' }),
  ];
}

describe('INV-1 no unauthenticated access', () => {
  it('holds when WS-Man data goes only to the client connection that authenticated the server connection', () => {
    const b = new TraceBuilder();
    const a = aliceOnS1(b);
    b.write('c1', 'alice#1', req('alice#1/3', 'sealed')).write('s1', 'proxy', req('alice#1/3', 'sealed'));
    a.push(audit({ conn: 's1', kind: 'wsman', status: 200, requestTag: 'alice#1/3', identity: 'WINRM-SIM\\alice', scheme: 'negotiate', responseBytes: 500 }));
    const r = inv1(context(b, { audit: a, clients: [client('alice#1')] }));
    expect(r.holds).toBe(true);
  });

  it('is violated when a rider on another client connection is served on the authenticated server connection', () => {
    const b = new TraceBuilder();
    const a = aliceOnS1(b);
    b.open('c2', 'rider#1', 'proxy').write('c2', 'rider#1', req('rider#1/1', '<env:Envelope/>')).write('s1', 'proxy', req('rider#1/1', '<env:Envelope/>'));
    a.push(audit({ conn: 's1', kind: 'wsman', status: 200, requestTag: 'rider#1/1', identity: 'WINRM-SIM\\alice', scheme: 'negotiate', responseBytes: 700, action: 'Create' }));
    const r = inv1(context(b, { audit: a, clients: [client('alice#1'), client('rider#1', { auth: 'none', user: undefined })] }));
    expect(r.holds).toBe(false);
    expect(r.explanation).toContain('rider#1 on client connection c2');
    expect(r.explanation).toContain('s1 was authenticated by alice#1 on client connection c1');
  });

  it('ignores challenges, refusals and the anonymous Identify (they carry no session data)', () => {
    const b = new TraceBuilder();
    b.open('c2', 'rider#1', 'proxy').write('c2', 'rider#1', req('rider#1/1'));
    const a = [
      audit({ conn: 's9', kind: 'anonymous-identify', status: 200, requestTag: 'rider#1/1', responseBytes: 400 }),
      audit({ conn: 's9', kind: 'rejected', status: 500, requestTag: 'rider#1/1' }),
    ];
    expect(inv1(context(b, { audit: a, clients: [client('rider#1', { auth: 'none' })] })).holds).toBe(true);
  });

  it('accepts Basic data only for the client that sent those Basic credentials', () => {
    const b = new TraceBuilder();
    b.open('c1', 'bob#1', 'proxy').write('c1', 'bob#1', req('bob#1/1', 'x'));
    const served = audit({ conn: 's1', kind: 'wsman', status: 200, requestTag: 'bob#1/1', identity: 'WINRM-SIM\\bob', scheme: 'basic', responseBytes: 10 });
    expect(inv1(context(b, { audit: [served], clients: [client('bob#1', { auth: 'basic' })] })).holds).toBe(true);
    expect(inv1(context(b, { audit: [{ ...served, identity: 'WINRM-SIM\\alice' }], clients: [client('bob#1', { auth: 'basic' })] })).holds).toBe(false);
  });

  it('is violated by data served for a request no client of the run sent', () => {
    const b = new TraceBuilder();
    const a = [audit({ conn: 's1', kind: 'wsman', status: 200, identity: 'X\\alice', scheme: 'negotiate', responseBytes: 5 })];
    const r = inv1(context(b, { audit: a }));
    expect(r.holds).toBe(false);
    expect(r.explanation).toContain('no client connection of this run sent that request');
  });
});
