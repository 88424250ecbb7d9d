import { describe, expect, it } from 'vitest';
import { serialize } from './serializer.ts';
import type { HttpRequest, HttpResponse } from './types.ts';

const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

const base: HttpRequest = {
  kind: 'request',
  method: 'POST',
  target: '/wsman',
  version: 'HTTP/1.1',
  headers: [
    { name: 'host', value: 'h:5985' },
    { name: 'X-Dup', value: 'b' },
    { name: 'x-dup', value: 'a' },
  ],
  body: enc('hello'),
  framing: { kind: 'length', length: 5 },
};

describe('serialize', () => {
  it('writes start line and headers verbatim, then the raw body for length framing', () => {
    expect(text(serialize(base))).toBe('POST /wsman HTTP/1.1\r\nhost: h:5985\r\nX-Dup: b\r\nx-dup: a\r\n\r\nhello');
  });
  it('never adds a framing header', () => {
    const s = text(serialize({ ...base, headers: [] }));
    expect(s).toBe('POST /wsman HTTP/1.1\r\n\r\nhello');
  });
  it('writes a status-line with the reason, and the SP even when the reason is empty', () => {
    const res: HttpResponse = { kind: 'response', version: 'HTTP/1.0', status: 200, reason: '', headers: [], body: enc('x'), framing: { kind: 'close' } };
    expect(text(serialize(res))).toBe('HTTP/1.0 200 \r\n\r\nx');
    expect(text(serialize({ ...res, reason: 'OK', framing: { kind: 'none' }, body: new Uint8Array(0) }))).toBe('HTTP/1.0 200 OK\r\n\r\n');
  });
  it('chunked: uses chunkSizes when they sum to the body, then last chunk and trailers', () => {
    const msg: HttpRequest = { ...base, headers: [], framing: { kind: 'chunked', chunkSizes: [2, 3], trailers: [{ name: 'X-T', value: '1' }] } };
    expect(text(serialize(msg))).toBe('POST /wsman HTTP/1.1\r\n\r\n2\r\nhe\r\n3\r\nllo\r\n0\r\nX-T: 1\r\n\r\n');
  });
  it('chunked: hex sizes', () => {
    const body = enc('x'.repeat(26));
    const msg: HttpRequest = { ...base, headers: [], body, framing: { kind: 'chunked', chunkSizes: [26], trailers: [] } };
    expect(text(serialize(msg))).toContain('\r\n\r\n1a\r\n');
  });
  it('chunked: one chunk of the whole body when chunkSizes do not fit it', () => {
    for (const chunkSizes of [[1, 1], [2, 0, 3], []]) {
      const msg: HttpRequest = { ...base, headers: [], framing: { kind: 'chunked', chunkSizes, trailers: [] } };
      expect(text(serialize(msg))).toBe('POST /wsman HTTP/1.1\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    }
  });
  it('chunked: an empty body is just the last chunk', () => {
    const msg: HttpRequest = { ...base, headers: [], body: new Uint8Array(0), framing: { kind: 'chunked', chunkSizes: [], trailers: [] } };
    expect(text(serialize(msg))).toBe('POST /wsman HTTP/1.1\r\n\r\n0\r\n\r\n');
  });
  it('writes what a fault injector asks for, malformed or not', () => {
    const msg: HttpRequest = { ...base, headers: [{ name: 'Host ', value: 'x' }], body: new Uint8Array(0), framing: { kind: 'none' } };
    expect(text(serialize(msg))).toBe('POST /wsman HTTP/1.1\r\nHost : x\r\n\r\n');
  });
  it('writes latin1 header text byte for byte and refuses characters it cannot encode', () => {
    const msg: HttpRequest = { ...base, headers: [{ name: 'X', value: 'caf\xe9' }], body: new Uint8Array(0), framing: { kind: 'none' } };
    expect(Array.from(serialize(msg)).includes(0xe9)).toBe(true);
    expect(() => serialize({ ...msg, headers: [{ name: 'X', value: '\u20ac' }] })).toThrow(/ISO-8859-1/);
  });
});
