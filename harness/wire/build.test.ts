import { describe, expect, it } from 'vitest';
import { request, response } from './build.ts';
import { getHeader } from './headers.ts';
import { MessageParser } from './parser.ts';
import { serialize } from './serializer.ts';

describe('request()', () => {
  it('adds Content-Length for a body, encoding strings as UTF-8', () => {
    const r = request({ method: 'POST', target: '/wsman', headers: [['Host', 'h']], body: 'é' });
    expect(r.headers).toEqual([{ name: 'Host', value: 'h' }, { name: 'Content-Length', value: '2' }]);
    expect(r.framing).toEqual({ kind: 'length', length: 2 });
    expect(r.version).toBe('HTTP/1.1');
  });
  it('adds Content-Length: 0 only for POST and PUT with an empty body', () => {
    expect(getHeader(request({ method: 'POST', target: '/' }).headers, 'content-length')).toBe('0');
    expect(getHeader(request({ method: 'PUT', target: '/' }).headers, 'content-length')).toBe('0');
    const get = request({ method: 'GET', target: '/' });
    expect(get.headers).toEqual([]);
    expect(get.framing).toEqual({ kind: 'none' });
  });
  it('chunked adds Transfer-Encoding: chunked', () => {
    const r = request({ method: 'POST', target: '/', body: 'abc', chunked: true });
    expect(r.headers).toEqual([{ name: 'Transfer-Encoding', value: 'chunked' }]);
    expect(r.framing).toEqual({ kind: 'chunked', chunkSizes: [3], trailers: [] });
  });
  it('leaves framing headers the caller gave alone', () => {
    const r = request({ method: 'POST', target: '/', headers: [{ name: 'content-length', value: '3' }], body: 'abc' });
    expect(r.headers).toEqual([{ name: 'content-length', value: '3' }]);
    const c = request({ method: 'POST', target: '/', headers: [['Transfer-Encoding', 'chunked']], body: 'abc' });
    expect(c.headers).toHaveLength(1);
    expect(c.framing.kind).toBe('chunked');
  });
  it('builds messages the parser reads back', () => {
    const r = request({ method: 'POST', target: '/wsman', headers: [['Host', 'h']], body: 'xyz', chunked: true });
    expect(new MessageParser('request').push(serialize(r))).toEqual([r]);
  });
});

describe('response()', () => {
  it('uses RFC 9110 reason phrases by default', () => {
    const want: Record<number, string> = {
      100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content',
      301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized',
      403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 407: 'Proxy Authentication Required',
      408: 'Request Timeout', 411: 'Length Required', 413: 'Content Too Large', 414: 'URI Too Long',
      431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 501: 'Not Implemented',
      502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
    };
    for (const [s, reason] of Object.entries(want)) expect(response({ status: Number(s) }).reason).toBe(reason);
    expect(response({ status: 299 }).reason).toBe('');
    expect(response({ status: 200, reason: 'Fine' }).reason).toBe('Fine');
  });
  it('always frames a final response, with Content-Length: 0 when empty', () => {
    const r = response({ status: 401, headers: [['WWW-Authenticate', 'Negotiate']] });
    expect(r.headers).toEqual([{ name: 'WWW-Authenticate', value: 'Negotiate' }, { name: 'Content-Length', value: '0' }]);
    expect(r.framing).toEqual({ kind: 'length', length: 0 });
  });
  it('chunked responses get Transfer-Encoding: chunked', () => {
    const r = response({ status: 200, body: 'abc', chunked: true });
    expect(getHeader(r.headers, 'transfer-encoding')).toBe('chunked');
    expect(getHeader(r.headers, 'content-length')).toBeUndefined();
  });
  it('bodiless responses (and 1xx, 204, 304) get no framing header and no body', () => {
    for (const r of [response({ status: 200, bodiless: true, body: 'x' }), response({ status: 204 }), response({ status: 100 }), response({ status: 304 })]) {
      expect(r.headers).toEqual([]);
      expect(r.body).toHaveLength(0);
      expect(r.framing).toEqual({ kind: 'none' });
    }
  });
  it('builds messages the parser reads back', () => {
    const r = response({ status: 200, headers: [['Content-Type', 'application/soap+xml']], body: '<x/>' });
    expect(new MessageParser('response').push(serialize(r))).toEqual([r]);
  });
});
