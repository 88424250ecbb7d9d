import { describe, expect, it } from 'vitest';
import { Trace, type TraceEvent } from '../net/trace.ts';
import { httpStartLine, printable } from './bytes-view.ts';
import { sampleTrace } from './sample.ts';
import { toReportTrace } from './trace-view.ts';

const enc = (s: string) => new TextEncoder().encode(s);

function longTrace(dataEvents: number): TraceEvent[] {
  let now = 0;
  const t = new Trace(() => now++);
  t.add({ kind: 'open', conn: 'c1', hop: 'client-server', initiator: 'client#1', acceptor: 'server', from: 'a', to: 'b' });
  for (let i = 0; i < dataEvents; i++) {
    t.add({ kind: 'data', conn: 'c1', from: 'client#1', bytes: enc(`chunk ${i}`) });
    if (i === Math.floor(dataEvents / 2)) {
      t.add({ kind: 'message', conn: 'c1', actor: 'server', dir: 'in', startLine: 'POST /wsman HTTP/1.1', headers: [], bodyLength: 3 });
    }
  }
  t.add({ kind: 'close', conn: 'c1', from: 'server', reset: false });
  return t.events;
}

describe('printable', () => {
  it('escapes control bytes, non-ASCII and backslash, keeps ASCII', () => {
    expect(printable(new Uint8Array([0x41, 0x0d, 0x0a, 0x09, 0x00, 0xff, 0x5c]))).toBe('A\\r\\n\\t\\x00\\xff\\\\');
  });
});

describe('httpStartLine', () => {
  it('finds a request line and a status line', () => {
    expect(httpStartLine(enc('POST /wsman HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe('POST /wsman HTTP/1.1');
    expect(httpStartLine(enc('CONNECT 127.0.0.1:5986 HTTP/1.1\r\n'))).toBe('CONNECT 127.0.0.1:5986 HTTP/1.1');
    expect(httpStartLine(enc('HTTP/1.0 407 Proxy Authentication Required\r\n'))).toBe('HTTP/1.0 407 Proxy Authentication Required');
  });
  it('ignores body bytes, TLS records and incomplete lines', () => {
    expect(httpStartLine(enc('<s:Envelope>\r\n'))).toBeUndefined();
    expect(httpStartLine(new Uint8Array([0x16, 0x03, 0x01, 0x0a]))).toBeUndefined();
    expect(httpStartLine(enc('POST /wsman HTTP/1.1'))).toBeUndefined();
  });
});

describe('toReportTrace', () => {
  it('renders data as length, base64, printable preview and parsed start line', () => {
    const view = toReportTrace(sampleTrace());
    const data = view.filter((e) => e.kind === 'data');
    expect(data[0]).toMatchObject({ conn: 'c1', from: 'client#1', startLine: 'POST http://127.0.0.1:5985/wsman HTTP/1.1', truncated: false });
    const tlsRecord = data[data.length - 1];
    expect(tlsRecord).toMatchObject({ length: 10, preview: '\\x16\\x03\\x01\\x00\\x05\\x01\\x02\\x03\\x04\\x05', base64: 'FgMBAAUBAgMEBQ==' });
    expect(tlsRecord).not.toHaveProperty('startLine');
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('caps the payload at maxPreviewBytes and says so', () => {
    const view = toReportTrace(sampleTrace(), { maxPreviewBytes: 8 });
    const first = view.find((e) => e.kind === 'data');
    expect(first).toMatchObject({ preview: 'POST htt', truncated: true });
    if (first?.kind === 'data') {
      expect(first.length).toBeGreaterThan(8);
      expect(Buffer.from(first.base64, 'base64').length).toBe(8);
    }
  });

  it('keeps a short trace whole', () => {
    const events = sampleTrace();
    expect(toReportTrace(events).map((e) => ('seq' in e ? e.seq : -1))).toEqual(events.map((e) => e.seq));
  });

  it('summarises a long trace: first and last events, every structural event, elided markers with counts', () => {
    const events = longTrace(1000);
    const view = toReportTrace(events, { maxEvents: 40 });
    const kept = view.filter((e) => e.kind !== 'elided');
    const elided = view.filter((e) => e.kind === 'elided');
    expect(kept.length).toBeLessThanOrEqual(40);
    expect(view[0]).toMatchObject({ kind: 'open', seq: 0 });
    expect(view[view.length - 1]).toMatchObject({ kind: 'close' });
    expect(kept.some((e) => e.kind === 'message')).toBe(true);
    const total = kept.length + elided.reduce((n, e) => n + (e.kind === 'elided' ? e.count : 0), 0);
    expect(total).toBe(events.length);
    expect(elided.length).toBe(2); // the middle, split by the message
  });

  it('stays bounded when structural events alone overflow the budget', () => {
    let now = 0;
    const t = new Trace(() => now++);
    for (let i = 0; i < 500; i++) t.add({ kind: 'close', conn: `c${i}`, from: 'proxy', reset: false });
    const view = toReportTrace(t.events, { maxEvents: 50 });
    expect(view.filter((e) => e.kind !== 'elided').length).toBe(50);
    expect(view.find((e) => e.kind === 'elided')).toMatchObject({ count: 450 });
  });

  it('redacts secrets from the whole payload before cutting it', () => {
    let now = 0;
    const t = new Trace(() => now++);
    t.add({ kind: 'data', conn: 'c1', from: 'client#1', bytes: enc('xxxxxxS3cretPassw0rd-tail') });
    const [ev] = toReportTrace(t.events, { maxPreviewBytes: 10, secrets: ['S3cretPassw0rd'] });
    expect(ev).toMatchObject({ preview: 'xxxxxx[red', length: 25 });
  });
});
