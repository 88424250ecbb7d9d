import { describe, expect, it } from 'vitest';
import { Trace } from './trace.ts';

describe('Trace', () => {
  it('numbers events in order and stamps them with the clock it was given', () => {
    let t = 0;
    const trace = new Trace(() => t);
    trace.add({ kind: 'open', conn: 'c1', hop: 'client-proxy', initiator: 'client#1', acceptor: 'proxy', from: 'a:1', to: 'b:2' });
    t = 5;
    trace.add({ kind: 'data', conn: 'c1', from: 'client#1', bytes: new TextEncoder().encode('GET') });
    expect(trace.events.map((e) => [e.seq, e.t, e.kind])).toEqual([
      [0, 0, 'open'],
      [1, 5, 'data'],
    ]);
  });

  it('concatenates the bytes one actor wrote on one connection, keeping TLS plaintext apart', () => {
    const trace = new Trace(() => 0);
    const enc = (s: string) => new TextEncoder().encode(s);
    trace.add({ kind: 'data', conn: 'c1', from: 'a', bytes: enc('he') });
    trace.add({ kind: 'data', conn: 'c1', from: 'b', bytes: enc('xx') });
    trace.add({ kind: 'data', conn: 'c1', from: 'a', bytes: enc('llo') });
    trace.add({ kind: 'data', conn: 'c1', from: 'a', bytes: enc('secret'), tls: true });
    expect(Buffer.from(trace.bytesFrom('c1', 'a')).toString()).toBe('hello');
    expect(Buffer.from(trace.bytesFrom('c1', 'a', { tls: true })).toString()).toBe('secret');
  });

  it('serializes identically for identical event streams, and differently when one byte differs', () => {
    const mk = (b: number) => {
      const tr = new Trace(() => 0);
      tr.add({ kind: 'data', conn: 'c1', from: 'a', bytes: new Uint8Array([1, 2, b]) });
      return tr.serialize();
    };
    expect(mk(3)).toBe(mk(3));
    expect(mk(3)).not.toBe(mk(4));
  });
});
