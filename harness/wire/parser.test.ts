import { describe, expect, it } from 'vitest';
import { MessageParser } from './parser.ts';
import { WireError, type HttpMessage, type HttpRequest, type HttpResponse, type WireLimits } from './types.ts';

const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

function parse(type: 'request' | 'response', wire: string, limits?: Partial<WireLimits>): HttpMessage[] {
  return new MessageParser(type, limits).push(enc(wire));
}
function req(wire: string): HttpRequest {
  const msgs = parse('request', wire);
  expect(msgs).toHaveLength(1);
  return msgs[0] as HttpRequest;
}
function errorOf(fn: () => unknown): WireError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    return e as WireError;
  }
  throw new Error('expected a WireError');
}
const reqCode = (wire: string, limits?: Partial<WireLimits>) => errorOf(() => parse('request', wire, limits)).code;
const resCode = (wire: string, limits?: Partial<WireLimits>) => errorOf(() => parse('response', wire, limits)).code;

describe('ownership of pushed bytes', () => {
  it('keeps nothing of a chunk after push returns: the caller may reuse its buffer', () => {
    const wire = 'POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nX: yz\r\n\r\n';
    for (let cut = 0; cut <= wire.length; cut++) {
      const p = new MessageParser('request');
      const buf = enc(wire.slice(0, cut));
      const got = p.push(buf);
      buf.fill(0x21); // reused by its owner
      const rest = enc(wire.slice(cut));
      got.push(...p.push(rest));
      rest.fill(0x21);
      expect(got.map((m) => [(m as HttpRequest).target, text(m.body), m.headers]), `cut at ${cut}`).toEqual([
        ['/a', 'hello', [{ name: 'Content-Length', value: '5' }]],
        ['/b', '', [{ name: 'X', value: 'yz' }]],
      ]);
    }
  });
});

describe('request-line (RFC 9112 §3)', () => {
  it('parses origin-form with headers kept in case and order', () => {
    const m = req('POST /wsman?x=1 HTTP/1.1\r\nHost: h:5985\r\ncontent-TYPE: a/b\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 3\r\n\r\nabc');
    expect(m.method).toBe('POST');
    expect(m.target).toBe('/wsman?x=1');
    expect(m.version).toBe('HTTP/1.1');
    expect(m.headers.map((h) => h.name)).toEqual(['Host', 'content-TYPE', 'X-A', 'x-a', 'Content-Length']);
    expect(m.headers[3].value).toBe('2');
    expect(text(m.body)).toBe('abc');
    expect(m.framing).toEqual({ kind: 'length', length: 3 });
  });
  it('accepts absolute-form, authority-form for CONNECT and asterisk-form for OPTIONS', () => {
    expect(req('GET http://h:5985/wsman HTTP/1.1\r\nHost: h\r\n\r\n').target).toBe('http://h:5985/wsman');
    expect(req('CONNECT h:5986 HTTP/1.1\r\nHost: h:5986\r\n\r\n').target).toBe('h:5986');
    expect(req('OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n').target).toBe('*');
  });
  it('accepts HTTP/1.0', () => {
    expect(req('GET / HTTP/1.0\r\n\r\n').version).toBe('HTTP/1.0');
  });
  it('rejects other versions with bad-version', () => {
    expect(reqCode('GET / HTTP/2.0\r\n\r\n')).toBe('bad-version');
    expect(reqCode('GET / HTTP/1.2\r\n\r\n')).toBe('bad-version');
    expect(resCode('HTTP/0.9 200 OK\r\n\r\n')).toBe('bad-version');
  });
  it('rejects malformed request-lines with bad-start-line', () => {
    for (const line of ['GET  / HTTP/1.1', 'GET /', 'GET / HTTP/1.1 x', 'G(T / HTTP/1.1', 'GET / FTP/1.1', ' GET / HTTP/1.1', 'GET wsman HTTP/1.1', 'CONNECT h HTTP/1.1', 'GET * HTTP/1.1']) {
      expect(reqCode(`${line}\r\n\r\n`), line).toBe('bad-start-line');
    }
  });
  it('ignores empty lines before the request-line (RFC 9112 §2.2)', () => {
    const p = new MessageParser('request');
    expect(p.push(enc('\r\n'))).toEqual([]);
    expect(p.idle).toBe(true);
    expect(p.push(enc('\r\nGET / HTTP/1.1\r\n\r\n'))).toHaveLength(1);
  });
  it('reads the whole head and the body when blank lines before the request-line come in the same chunk', () => {
    const p = new MessageParser('request');
    const [m] = p.push(enc('\r\n\r\nPOST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody'));
    expect(m).toMatchObject({ method: 'POST', target: '/a', headers: [{ name: 'Host', value: 'h' }, { name: 'Content-Length', value: '4' }] });
    expect(new TextDecoder().decode(m.body)).toBe('body');
  });
  it('does not accept an empty line before a status-line', () => {
    expect(resCode('\r\nHTTP/1.1 200 OK\r\n\r\n')).toBe('bad-start-line');
  });
  it('rejects a bare LF line ending and a bare CR', () => {
    expect(reqCode('GET / HTTP/1.1\nHost: h\r\n\r\n')).toBe('bad-start-line');
    expect(reqCode('GET / HTTP/1.1\r\nHost: h\n\r\n')).toBe('bad-header');
    expect(reqCode('GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n')).toBe('bad-header');
  });
});

describe('status-line (RFC 9112 §4)', () => {
  it('parses status and reason, keeping an empty reason', () => {
    const [a] = parse('response', 'HTTP/1.1 404 Not  Found \r\nContent-Length: 0\r\n\r\n') as HttpResponse[];
    expect([a.status, a.reason]).toEqual([404, 'Not  Found ']);
    const [b] = parse('response', 'HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n') as HttpResponse[];
    expect(b.reason).toBe('');
  });
  it('tolerates a missing SP before an empty reason', () => {
    const [m] = parse('response', 'HTTP/1.1 204\r\n\r\n') as HttpResponse[];
    expect([m.status, m.reason]).toEqual([204, '']);
  });
  it('rejects status codes that are not three digits', () => {
    expect(resCode('HTTP/1.1 20 OK\r\n\r\n')).toBe('bad-start-line');
    expect(resCode('HTTP/1.1 2000 OK\r\n\r\n')).toBe('bad-start-line');
    expect(resCode('HTTP/1.1 099 OK\r\n\r\n')).toBe('bad-start-line');
  });
});

describe('field lines (RFC 9112 §5)', () => {
  it('trims OWS around values and keeps inner whitespace', () => {
    expect(req('GET / HTTP/1.1\r\nX:  \ta  b\t \r\n\r\n').headers).toEqual([{ name: 'X', value: 'a  b' }]);
  });
  it('keeps an empty value', () => {
    expect(req('GET / HTTP/1.1\r\nX:\r\n\r\n').headers).toEqual([{ name: 'X', value: '' }]);
  });
  it('rejects whitespace between field name and colon (§5.1)', () => {
    expect(reqCode('GET / HTTP/1.1\r\nHost : h\r\n\r\n')).toBe('bad-header');
    expect(resCode('HTTP/1.1 200 OK\r\nContent-Length\t: 0\r\n\r\n')).toBe('bad-header');
  });
  it('rejects obsolete line folding (§5.2)', () => {
    expect(reqCode('GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n')).toBe('bad-header');
  });
  it('rejects names that are not tokens, lines without colon, and control characters', () => {
    expect(reqCode('GET / HTTP/1.1\r\nX(y): 1\r\n\r\n')).toBe('bad-header');
    expect(reqCode('GET / HTTP/1.1\r\n: 1\r\n\r\n')).toBe('bad-header');
    expect(reqCode('GET / HTTP/1.1\r\nnocolon\r\n\r\n')).toBe('bad-header');
    expect(reqCode('GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n')).toBe('bad-header');
  });
  it('keeps obs-text octets in values as latin1 characters', () => {
    expect(req('GET / HTTP/1.1\r\nX: caf\xe9\r\n\r\n').headers[0].value).toBe('caf\xe9');
  });
});

describe('Content-Length (RFC 9112 §6.3, RFC 9110 §8.6)', () => {
  it('accepts repeated identical values, in one field or several', () => {
    expect(req('POST / HTTP/1.1\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nab').framing).toEqual({ kind: 'length', length: 2 });
  });
  it('rejects conflicting values', () => {
    expect(reqCode('POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc')).toBe('bad-content-length');
    expect(reqCode('POST / HTTP/1.1\r\nContent-Length: 2,3\r\n\r\nabc')).toBe('bad-content-length');
  });
  it('rejects non-numeric values', () => {
    for (const v of ['-1', '+1', '1.0', '0x10', '', 'abc', '1 2']) {
      expect(reqCode(`POST / HTTP/1.1\r\nContent-Length: ${v}\r\n\r\n`), v).toBe('bad-content-length');
    }
  });
  it('completes a zero-length body at once', () => {
    const m = req('POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n');
    expect(m.body.length).toBe(0);
    expect(m.framing).toEqual({ kind: 'length', length: 0 });
  });
  it('a request with neither Content-Length nor Transfer-Encoding has no body', () => {
    const msgs = parse('request', 'POST / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n');
    expect(msgs.map((m) => (m as HttpRequest).method)).toEqual(['POST', 'GET']);
    expect(msgs[0].framing).toEqual({ kind: 'none' });
  });
});

describe('chunked transfer coding (RFC 9112 §7.1)', () => {
  it('decodes chunks, ignores extensions and keeps trailers', () => {
    const m = req('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\nA ; x="y"\r\n0123456789\r\n0\r\nX-T: 1\r\nx-u:  2 \r\n\r\n');
    expect(text(m.body)).toBe('abc0123456789');
    expect(m.framing).toEqual({ kind: 'chunked', chunkSizes: [3, 10], trailers: [{ name: 'X-T', value: '1' }, { name: 'x-u', value: '2' }] });
  });
  it('wins over Content-Length (§6.3 item 3)', () => {
    const m = req('POST / HTTP/1.1\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n');
    expect(text(m.body)).toBe('a');
    expect(m.framing.kind).toBe('chunked');
  });
  it('treats transfer codings case-insensitively across fields', () => {
    const m = req('POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n');
    expect(m.framing).toEqual({ kind: 'chunked', chunkSizes: [], trailers: [] });
  });
  it('rejects a request whose final coding is not chunked (§6.3 item 4)', () => {
    expect(reqCode('POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n')).toBe('bad-transfer-encoding');
    expect(reqCode('POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n')).toBe('bad-transfer-encoding');
  });
  it('reads a response whose final coding is not chunked until close', () => {
    const p = new MessageParser('response');
    expect(p.push(enc('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxyz'))).toEqual([]);
    const [m] = p.end();
    expect(m.framing).toEqual({ kind: 'close' });
    expect(text(m.body)).toBe('xyz');
  });
  it('rejects Transfer-Encoding in an HTTP/1.0 message (§6.1)', () => {
    expect(reqCode('POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')).toBe('bad-transfer-encoding');
  });
  it('rejects malformed chunk-size lines and missing CRLF after data', () => {
    expect(reqCode('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toBe('bad-chunk');
    expect(reqCode('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n')).toBe('bad-chunk');
    expect(reqCode('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3 \r\n')).toBe('bad-chunk');
    expect(reqCode('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc')).toBe('bad-chunk');
    expect(reqCode('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\rx')).toBe('bad-chunk');
    expect(reqCode('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\na\r\n')).toBe('bad-chunk');
  });
  it('rejects malformed trailer fields', () => {
    expect(reqCode('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX : 1\r\n\r\n')).toBe('bad-header');
  });
});

describe('responses without content (RFC 9112 §6.3 items 1-2)', () => {
  it('1xx, 204 and 304 have no body even with Content-Length', () => {
    const msgs = parse('response', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx') as HttpResponse[];
    expect(msgs.map((m) => m.status)).toEqual([100, 204, 304, 200]);
    expect(msgs.slice(0, 3).map((m) => m.framing.kind)).toEqual(['none', 'none', 'none']);
  });
  it('a response to HEAD has no body though it carries Content-Length', () => {
    const p = new MessageParser('response');
    p.expectResponseTo('HEAD');
    p.expectResponseTo('GET');
    const msgs = p.push(enc('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'));
    expect(msgs.map((m) => [m.framing.kind, text(m.body)])).toEqual([['none', ''], ['length', 'hello']]);
  });
  it('a 1xx interim response does not consume the expected HEAD', () => {
    const p = new MessageParser('response');
    p.expectResponseTo('HEAD');
    const msgs = p.push(enc('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'));
    expect(msgs.map((m) => (m as HttpResponse).status)).toEqual([100, 200]);
    expect(msgs[1].framing.kind).toBe('none');
    expect(p.idle).toBe(true);
  });
  it('assumes GET when no request method is queued', () => {
    const [m] = parse('response', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    expect(text(m.body)).toBe('ok');
  });
  it('a response with neither CL nor TE is close-delimited and completed by end()', () => {
    const p = new MessageParser('response');
    expect(p.push(enc('HTTP/1.0 200 OK\r\n\r\nab'))).toEqual([]);
    expect(p.push(enc('cd'))).toEqual([]);
    expect(p.idle).toBe(false);
    const [m] = p.end();
    expect(m.framing).toEqual({ kind: 'close' });
    expect(text(m.body)).toBe('abcd');
  });
});

describe('tunnels (CONNECT, 101)', () => {
  it('a 2xx to CONNECT has no body and switches the response parser to raw bytes', () => {
    const p = new MessageParser('response');
    p.expectResponseTo('CONNECT');
    const msgs = p.push(enc('HTTP/1.1 200 Connection established\r\nContent-Length: 9\r\n\r\n\x16\x03\x01'));
    expect(msgs).toHaveLength(1);
    expect(msgs[0].framing.kind).toBe('none');
    expect(p.tunnel).toBe(true);
    expect(p.push(enc('more'))).toEqual([]);
    expect(text(p.detach())).toBe('\x16\x03\x01more');
    expect(p.detach()).toHaveLength(0);
  });
  it('a 407 to CONNECT is an ordinary response and no tunnel', () => {
    const p = new MessageParser('response');
    p.expectResponseTo('CONNECT');
    const [m] = p.push(enc('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 2\r\n\r\nno'));
    expect(text(m.body)).toBe('no');
    expect(p.tunnel).toBe(false);
  });
  it('a 101 makes a tunnel', () => {
    const p = new MessageParser('response');
    p.push(enc('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\nraw'));
    expect(p.tunnel).toBe(true);
    expect(text(p.detach())).toBe('raw');
  });
  it('a CONNECT request makes the request parser a tunnel, keeping the bytes after it', () => {
    const p = new MessageParser('request');
    const msgs = p.push(enc('CONNECT h:5986 HTTP/1.1\r\nHost: h:5986\r\n\r\n\x16\x03'));
    expect(msgs).toHaveLength(1);
    expect(p.tunnel).toBe(true);
    expect(p.end()).toEqual([]);
    expect(text(p.detach())).toBe('\x16\x03');
  });
});

describe('incremental feeding and end()', () => {
  it('parses the same message fed one byte at a time', () => {
    const wire = 'POST /wsman HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nT: v\r\n\r\n';
    const p = new MessageParser('request');
    const got: HttpMessage[] = [];
    for (const b of enc(wire)) got.push(...p.push(Uint8Array.of(b)));
    expect(got).toEqual(parse('request', wire));
  });
  it('end() in the middle of a message throws unexpected-eof', () => {
    for (const partial of ['GET / HT', 'GET / HTTP/1.1\r\nHost: h\r\n', 'POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\na', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n']) {
      const p = new MessageParser('request');
      p.push(enc(partial));
      expect(errorOf(() => p.end()).code, partial).toBe('unexpected-eof');
    }
  });
  it('end() when idle returns nothing', () => {
    const p = new MessageParser('request');
    p.push(enc('GET / HTTP/1.1\r\n\r\n'));
    expect(p.idle).toBe(true);
    expect(p.end()).toEqual([]);
  });
  it('after an error the parser is dead and repeats the same error', () => {
    const p = new MessageParser('request');
    const first = errorOf(() => p.push(enc('BAD\r\n')));
    expect(errorOf(() => p.push(enc('GET / HTTP/1.1\r\n\r\n')))).toBe(first);
    expect(errorOf(() => p.end())).toBe(first);
  });
  it('detach() returns a partial message and leaves the parser idle', () => {
    const p = new MessageParser('request');
    p.push(enc('GET / HTTP/1.1\r\nHost: h\r\n'));
    expect(text(p.detach())).toBe('GET / HTTP/1.1\r\nHost: h\r\n');
    expect(p.idle).toBe(true);
    expect(p.push(enc('GET /b HTTP/1.1\r\n\r\n'))).toHaveLength(1);
  });
  it('copies body bytes, so the caller may reuse its buffer', () => {
    const p = new MessageParser('request');
    const chunk = enc('POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nab');
    p.push(chunk);
    chunk.fill(0);
    const [m] = p.push(enc('cd'));
    expect(text(m.body)).toBe('abcd');
  });
});

describe('limits, enforced while bytes arrive', () => {
  it('line-too-long before the line ends', () => {
    const p = new MessageParser('request', { maxLineBytes: 64 });
    expect(errorOf(() => p.push(enc('GET /' + 'a'.repeat(100)))).code).toBe('line-too-long');
    expect(reqCode('GET / HTTP/1.1\r\nX: ' + 'b'.repeat(100) + '\r\n\r\n', { maxLineBytes: 64 })).toBe('line-too-long');
  });
  it('a line of exactly maxLineBytes is accepted', () => {
    const line = 'X: ' + 'b'.repeat(61);
    expect(parse('request', `GET / HTTP/1.1\r\n${line}\r\n\r\n`, { maxLineBytes: 64 })).toHaveLength(1);
  });
  it('headers-too-large counts the whole head, even when it never ends', () => {
    const p = new MessageParser('request', { maxHeaderBytes: 200 });
    p.push(enc('GET / HTTP/1.1\r\n'));
    expect(errorOf(() => {
      for (let i = 0; i < 100; i++) p.push(enc(`X-${i}: v\r\n`));
    }).code).toBe('headers-too-large');
  });
  it('too-many-headers', () => {
    const fields = Array.from({ length: 4 }, (_, i) => `X-${i}: v\r\n`).join('');
    expect(reqCode(`GET / HTTP/1.1\r\n${fields}\r\n`, { maxHeaderCount: 3 })).toBe('too-many-headers');
    expect(parse('request', `GET / HTTP/1.1\r\n${fields}\r\n`, { maxHeaderCount: 4 })).toHaveLength(1);
  });
  it('body-too-large from Content-Length, before the body arrives', () => {
    expect(reqCode('POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n', { maxBodyBytes: 10 })).toBe('body-too-large');
    expect(reqCode('POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n')).toBe('body-too-large');
  });
  it('body-too-large from chunk sizes and from a close-delimited body', () => {
    expect(reqCode('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\n', { maxBodyBytes: 10 })).toBe('body-too-large');
    expect(reqCode('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n')).toBe('body-too-large');
    expect(resCode('HTTP/1.1 200 OK\r\n\r\n' + 'x'.repeat(11), { maxBodyBytes: 10 })).toBe('body-too-large');
  });
  it('parses a 5 MiB body fed in 64 KiB chunks into one intact message', () => {
    const size = 5 * 1024 * 1024;
    const body = new Uint8Array(size).map((_, i) => i & 0xff);
    const head = enc(`POST /wsman HTTP/1.1\r\nContent-Length: ${size}\r\n\r\n`);
    const wire = new Uint8Array(head.length + size);
    wire.set(head);
    wire.set(body, head.length);
    const p = new MessageParser('request');
    const got: HttpMessage[] = [];
    for (let i = 0; i < wire.length; i += 65536) got.push(...p.push(wire.subarray(i, i + 65536)));
    expect(got).toHaveLength(1);
    expect(Buffer.compare(got[0].body, body)).toBe(0);
  });
  it('parses a 60 KiB head fed byte by byte into one message', () => {
    const p = new MessageParser('request');
    const wire = enc('GET / HTTP/1.1\r\n' + Array.from({ length: 150 }, (_, i) => `X-${i}: ${'v'.repeat(400)}\r\n`).join('') + '\r\n');
    let n = 0;
    for (let i = 0; i < wire.length; i++) n += p.push(wire.subarray(i, i + 1)).length;
    expect(n).toBe(1);
  });
});
