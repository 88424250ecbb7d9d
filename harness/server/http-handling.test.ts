// HTTP/1.1 behaviour of the server (RFC 9112, HTTP.sys): routing, persistence, bad input,
// idle timeout, trace of parsed messages.

import { describe, expect, it } from 'vitest';
import { getHeader, hasToken, request } from '../wire/index.ts';
import { USER, onSim } from './test-fixture.ts';
import { SOAP_CT, authenticate } from './test-winrm.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('server HTTP handling', () => {
  it('answers 404 for paths other than /wsman and 405 for methods other than POST, keeping the connection', async () => {
    const r = await onSim(async (f) => {
      const http = await f.open();
      const notFound = await http.post([], '', '/other');
      const get = await http.send(request({ method: 'GET', target: '/wsman', headers: [['Host', 'x']] }));
      const absolute = await http.post([], '', 'http://127.0.0.1:5985/wsman');
      return { notFound, get, absolute, open: !http.closed, audit: f.server.audit.entries };
    });
    expect(r.notFound.status).toBe(404);
    expect(r.get.status).toBe(405);
    expect(getHeader(r.get.headers, 'allow')).toBe('POST');
    expect(r.absolute.status).toBe(401); // absolute-form reaches /wsman (RFC 9112 §3.2.2)
    expect(r.open).toBe(true);
    expect(r.audit.map((e) => [e.kind, e.status])).toEqual([
      ['rejected', 404],
      ['rejected', 405],
      ['challenge', 401],
    ]);
  });

  it('closes after answering a request with Connection: close, and keeps it open otherwise', async () => {
    const r = await onSim(async (f) => {
      const keep = await f.open();
      const k = await keep.post([]);
      await f.net.clock.sleep(1000);
      const close = await f.open();
      const c = await close.post([['Connection', 'close']]);
      await close.closedP;
      return { k, keepOpen: !keep.closed, c, closed: close.closed };
    });
    expect(hasToken(r.k.headers, 'connection', 'close')).toBe(false);
    expect(r.keepOpen).toBe(true);
    expect(hasToken(r.c.headers, 'connection', 'close')).toBe(true);
    expect(r.closed).toBe(true);
  });

  it('closes after an HTTP/1.0 request without keep-alive and keeps one with it', async () => {
    const r = await onSim(async (f) => {
      const a = await f.open();
      const ka = await a.send(request({ method: 'POST', target: '/wsman', version: 'HTTP/1.0', headers: [['Connection', 'Keep-Alive']] }));
      const b = await f.open();
      const plain = await b.send(request({ method: 'POST', target: '/wsman', version: 'HTTP/1.0' }));
      await b.closedP;
      return { ka, aOpen: !a.closed, plain, bClosed: b.closed };
    });
    expect(getHeader(r.ka.headers, 'connection')).toBe('Keep-Alive');
    expect(r.aOpen).toBe(true);
    expect(hasToken(r.plain.headers, 'connection', 'close')).toBe(true);
    expect(r.bClosed).toBe(true);
  });

  it('answers malformed HTTP with 400 and closes, and an oversized body with 413 and closes', async () => {
    const r = await onSim(async (f) => {
      const a = await f.open();
      const bad = await a.sendRaw(enc('POST /wsman HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'));
      await a.closedP;
      const b = await f.open();
      const big = await b.sendRaw(enc(`POST /wsman HTTP/1.1\r\nHost: x\r\nContent-Length: ${64 * 1024 * 1024 + 1}\r\n\r\n`));
      await b.closedP;
      return { bad, big, closed: [a.closed, b.closed], audit: f.server.audit.entries };
    });
    expect(r.bad.status).toBe(400);
    expect(r.big.status).toBe(413);
    expect(r.closed).toEqual([true, true]);
    expect(r.audit.map((e) => [e.kind, e.status])).toEqual([
      ['rejected', 400],
      ['rejected', 413],
    ]);
    expect(r.audit[0].reason).toMatch(/bad-content-length/);
  });

  it('answers pipelined requests in order on one connection', async () => {
    const r = await onSim(async (f) => {
      const http = await f.open();
      const [a, b, c] = await Promise.all([http.post([], '', '/x'), http.post([]), http.post([], '', '/y')]);
      return [a.status, b.status, c.status];
    });
    expect(r).toEqual([404, 401, 404]);
  });

  it('closes a connection idle for the idle timeout (120 s by default), not one in use', async () => {
    const r = await onSim(async (f) => {
      const http = await f.open();
      await http.post([]);
      await f.net.clock.sleep(119_000);
      const stillOpen = !http.closed;
      await http.post([]); // activity re-arms the timer
      await f.net.clock.sleep(119_000);
      const openAfterUse = !http.closed;
      const t0 = f.net.clock.now();
      await http.closedP;
      return { stillOpen, openAfterUse, closedAfter: f.net.clock.now() - t0 };
    });
    expect(r.stillOpen).toBe(true);
    expect(r.openAfterUse).toBe(true);
    expect(r.closedAfter).toBeLessThanOrEqual(1_100);
  });

  it('records each parsed request and response in the trace as server messages (in, out)', async () => {
    const msgs = await onSim(async (f) => {
      const http = await f.open();
      await authenticate(http, { ...USER, random: f.random });
      await http.post([['Content-Type', SOAP_CT]], '<x/>');
      return f.net.trace.events.filter((e) => e.kind === 'message');
    });
    expect(msgs.map((m) => (m.kind === 'message' ? `${m.actor} ${m.dir} ${m.startLine}` : ''))).toEqual([
      'server in POST /wsman HTTP/1.1',
      'server out HTTP/1.1 401 Unauthorized',
      'server in POST /wsman HTTP/1.1',
      'server out HTTP/1.1 200 OK',
      'server in POST /wsman HTTP/1.1',
      'server out HTTP/1.1 500 Internal Server Error',
    ]);
  });
});
