import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { simIdentity } from '../net/index.ts';
import { getHeader, getHeaders, request, response } from '../wire/index.ts';
import { startOrigin, TestClient } from './testing/http-peers.ts';
import { proxied, simRig } from './testing/sim-rig.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('reference proxy on sim: forwarding (RFC 9112 §3.2.2, RFC 9110 §7.6)', () => {
  it('forwards absolute-form as origin-form with Host from the target and Via appended', async () => {
    const rig = await simRig();
    const c = await rig.client();
    const res = await rig.drive(c.send(proxied(rig.url('/wsman?x=1'), { headers: [['Host', 'wrong.example'], ['Via', '1.1 other']] })));
    expect(res.status).toBe(200);
    const { req } = rig.origin.seen[0];
    expect(req.target).toBe('/wsman?x=1');
    expect(req.version).toBe('HTTP/1.1');
    expect(getHeaders(req.headers, 'host')).toEqual([rig.authority]);
    expect(getHeader(req.headers, 'via')).toBe('1.1 other, 1.1 wpc');
    expect(getHeader(res.headers, 'via')).toBe('1.1 wpc');
  });

  it('removes hop-by-hop fields, those named in Connection included', async () => {
    const rig = await simRig();
    const c = await rig.client();
    await rig.drive(
      c.send(
        proxied(rig.url(), {
          headers: [
            ['Connection', 'X-Foo, keep-alive'],
            ['X-Foo', 'secret-hop'],
            ['Keep-Alive', 'timeout=5'],
            ['Proxy-Connection', 'keep-alive'],
            ['TE', 'trailers'],
            ['Trailer', 'X-T'],
            ['Upgrade', 'h2c'],
            ['X-End-To-End', 'kept'],
          ],
        }),
      ),
    );
    const names = rig.origin.seen[0].req.headers.map((h) => h.name.toLowerCase());
    for (const hop of ['connection', 'x-foo', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade']) {
      expect(names).not.toContain(hop);
    }
    expect(getHeader(rig.origin.seen[0].req.headers, 'x-end-to-end')).toBe('kept');
  });

  it('relays a chunked response as chunked with the same chunk sizes, and 1 MiB bodies byte for byte', async () => {
    const big = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff);
    const rig = await simRig({
      handler: (req) =>
        req.target === '/chunked'
          ? response({ status: 200, body: big, headers: [['Transfer-Encoding', 'chunked']] })
          : response({ status: 200, body: req.body }),
    });
    const c = await rig.client();
    const echoed = await rig.drive(c.send(proxied(rig.url('/echo'), { method: 'POST', body: big })));
    expect(sha(rig.origin.seen[0].req.body)).toBe(sha(big));
    expect(sha(echoed.body)).toBe(sha(big));
    const chunked = await rig.drive(c.send(proxied(rig.url('/chunked'))));
    expect(chunked.framing).toEqual({ kind: 'chunked', chunkSizes: [big.length], trailers: [] });
    expect(sha(chunked.body)).toBe(sha(big));
  });

  it('adds Proxy-Support: Session-Based-Authentication to a Negotiate challenge (RFC 4559 §6)', async () => {
    const rig = await simRig({
      handler: (req) =>
        req.target === '/neg'
          ? response({ status: 401, headers: [['WWW-Authenticate', 'Negotiate'], ['WWW-Authenticate', 'Basic realm="x"']] })
          : response({ status: 401, headers: [['WWW-Authenticate', 'Basic realm="x"']] }),
    });
    const c = await rig.client();
    const neg = await rig.drive(c.send(proxied(rig.url('/neg'))));
    expect(getHeader(neg.headers, 'proxy-support')).toBe('Session-Based-Authentication');
    expect(getHeaders(neg.headers, 'www-authenticate')).toEqual(['Negotiate', 'Basic realm="x"']);
    const basic = await rig.drive(c.send(proxied(rig.url('/basic'))));
    expect(getHeader(basic.headers, 'proxy-support')).toBeUndefined();
  });
});

describe('reference proxy on sim: 1:1 connection affinity', () => {
  it('keeps one server connection per client connection, never shared', async () => {
    const rig = await simRig();
    const a = await rig.client('client#1');
    const b = await rig.client('client#2');
    const conns: string[] = [];
    for (let i = 0; i < 3; i++) {
      conns.push(getHeader((await rig.drive(a.send(proxied(rig.url())))).headers, 'x-server-conn')!);
      conns.push(getHeader((await rig.drive(b.send(proxied(rig.url())))).headers, 'x-server-conn')!);
    }
    const fromA = new Set(conns.filter((_, i) => i % 2 === 0));
    const fromB = new Set(conns.filter((_, i) => i % 2 === 1));
    expect(fromA.size).toBe(1);
    expect(fromB.size).toBe(1);
    expect([...fromA][0]).not.toBe([...fromB][0]);
    expect(rig.origin.conns).toHaveLength(2);
  });

  it('answers pipelined requests in order on the one server connection', async () => {
    const rig = await simRig({ handler: (req) => response({ status: 200, body: req.target }) });
    const c = await rig.client();
    const all = await rig.drive(Promise.all(['/1', '/2', '/3'].map((p) => c.send(proxied(rig.url(p))))));
    expect(all.map((r) => text(r.body))).toEqual(['/1', '/2', '/3']);
    expect(new Set(rig.origin.seen.map((s) => s.conn)).size).toBe(1);
  });

  it('opens a new server connection (closing the old) when the authority changes', async () => {
    const rig = await simRig();
    const other = await startOrigin(rig.net, { actor: 'server2' });
    const c = await rig.client();
    await rig.drive(c.send(proxied(rig.url())));
    const r2 = await rig.drive(c.send(proxied(`http://127.0.0.1:${other.address.port}/y`)));
    expect(r2.status).toBe(200);
    expect(other.seen).toHaveLength(1);
    await rig.wait(10);
    expect(rig.origin.conns[0].closed).toBe(true);
    expect(c.conn.closed).toBe(false);
  });

  it('closes the client connection after relaying when the server closes its connection', async () => {
    const rig = await simRig({
      handler: () => response({ status: 200, body: 'bye', headers: [['Connection', 'close']] }),
    });
    const c = await rig.client();
    const res = await rig.drive(c.send(proxied(rig.url())));
    expect(text(res.body)).toBe('bye');
    expect(getHeader(res.headers, 'connection')).toBe('close');
    await rig.drive(c.whenClosed());
  });

  it('closes the server connection when the client closes', async () => {
    const rig = await simRig();
    const c = await rig.client();
    await rig.drive(c.send(proxied(rig.url())));
    c.close();
    await rig.wait(10);
    expect(rig.origin.conns[0].closed).toBe(true);
  });

  it('forwards Connection: close and closes both connections after the response', async () => {
    const rig = await simRig();
    const c = await rig.client();
    await rig.drive(c.send(proxied(rig.url(), { headers: [['Connection', 'close']] })));
    expect(getHeader(rig.origin.seen[0].req.headers, 'connection')).toBe('close');
    await rig.drive(c.whenClosed());
    await rig.wait(10);
    expect(rig.origin.conns[0].closed).toBe(true);
  });

  it('closes an HTTP/1.0 client connection without keep-alive after the response, keeps one with it', async () => {
    const rig = await simRig();
    const keep = await rig.client('client#keep');
    const res = await rig.drive(keep.send(proxied(rig.url(), { version: 'HTTP/1.0', headers: [['Connection', 'keep-alive']] })));
    expect(getHeader(res.headers, 'connection')).toBe('keep-alive');
    const once = await rig.client('client#once');
    await rig.drive(once.send(proxied(rig.url(), { version: 'HTTP/1.0' })));
    await rig.drive(once.whenClosed());
    expect(keep.conn.closed).toBe(false);
  });

  it('closes an idle client connection after the idle timeout', async () => {
    const rig = await simRig({ proxy: { timeouts: { idleMs: 5000 } } });
    const c = await rig.client();
    await rig.drive(c.send(proxied(rig.url())));
    const t0 = rig.net.clock.now();
    await rig.drive(c.whenClosed());
    expect(rig.net.clock.now() - t0).toBeGreaterThanOrEqual(5000);
    expect(rig.net.clock.now() - t0).toBeLessThan(5100);
  });
});

describe('reference proxy on sim: errors are answers, never crashes', () => {
  it('answers a malformed request with 400 and a one-line reason, then closes', async () => {
    const rig = await simRig();
    const c = await rig.client();
    const res = await rig.drive(c.sendRaw('GET http://x/ HTTP/1.1\r\nBad Header Line\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(text(res.body)).toMatch(/^Bad Request: .+\n$/);
    await rig.drive(c.whenClosed());
  });

  it('answers 502 naming the target when the connect is refused, and when it times out', async () => {
    const rig = await simRig({ proxy: { timeouts: { connectMs: 3000 } } });
    const c = await rig.client();
    const refused = await rig.drive(c.send(proxied('http://127.0.0.1:9/x')));
    expect(refused.status).toBe(502);
    expect(text(refused.body)).toBe('Bad Gateway: connect to 127.0.0.1:9 refused\n');
    rig.net.blackhole('127.0.0.1', 7);
    const c2 = await rig.client();
    const t0 = rig.net.clock.now();
    const timedOut = await rig.drive(c2.send(proxied('http://127.0.0.1:7/x')));
    expect(timedOut.status).toBe(502);
    expect(text(timedOut.body)).toBe('Bad Gateway: connect to 127.0.0.1:7 timed out\n');
    expect(rig.net.clock.now() - t0).toBeLessThan(3100);
  });

  it('answers 504 when the server does not respond within the response timeout', async () => {
    const rig = await simRig({
      proxy: { timeouts: { responseMs: 4000 } },
      handler: () => new Promise(() => undefined),
    });
    const c = await rig.client();
    const res = await rig.drive(c.send(proxied(rig.url())));
    expect(res.status).toBe(504);
    expect(rig.net.clock.now()).toBeGreaterThanOrEqual(4000);
    await rig.drive(c.whenClosed());
  });

  it('rejects an origin-form request with 400', async () => {
    const rig = await simRig();
    const c = await rig.client();
    const res = await rig.drive(c.send(request({ method: 'GET', target: '/x', headers: [['Host', rig.authority]] })));
    expect(res.status).toBe(400);
  });
});

describe('reference proxy on sim: Basic proxy authentication (RFC 9110 §11.7)', () => {
  const proxyAuth = { user: 'pu', password: 'pp' };
  const basic = 'Basic ' + Buffer.from('pu:pp').toString('base64');

  it('challenges with 407, accepts the right credentials, and never forwards them', async () => {
    const rig = await simRig({ proxy: { proxyAuth } });
    const c = await rig.client();
    const challenge = await rig.drive(c.send(proxied(rig.url())));
    expect(challenge.status).toBe(407);
    expect(getHeader(challenge.headers, 'proxy-authenticate')).toBe('Basic realm="wpc"');
    const wrong = await rig.drive(c.send(proxied(rig.url(), { headers: [['Proxy-Authorization', 'Basic ' + Buffer.from('pu:no').toString('base64')]] })));
    expect(wrong.status).toBe(407);
    const ok = await rig.drive(c.send(proxied(rig.url(), { headers: [['Proxy-Authorization', basic]] })));
    expect(ok.status).toBe(200);
    expect(rig.origin.seen).toHaveLength(1);
    expect(getHeader(rig.origin.seen[0].req.headers, 'proxy-authorization')).toBeUndefined();
  });

  it('challenges CONNECT too, and opens the tunnel on the retry on the same connection', async () => {
    const rig = await simRig({ proxy: { proxyAuth }, originTls: simIdentity('server') });
    const c = await rig.client();
    const connect = (h: Array<[string, string]>) =>
      request({ method: 'CONNECT', target: rig.authority, headers: [['Host', rig.authority], ...h] });
    expect((await rig.drive(c.send(connect([])))).status).toBe(407);
    expect((await rig.drive(c.send(connect([['Proxy-Authorization', basic]])))).status).toBe(200);
  });
});

describe('reference proxy on sim: CONNECT tunnels (RFC 9110 §9.3.6)', () => {
  it('tunnels TLS end to end to a non-443 port: the client sees the server\'s own certificate', async () => {
    const id = simIdentity('winrm-server');
    const rig = await simRig({ originTls: id });
    const c = await rig.client();
    const ok = await rig.drive(c.send(request({ method: 'CONNECT', target: rig.authority, headers: [['Host', rig.authority]] })));
    expect(ok.status).toBe(200);
    expect(ok.reason).toBe('Connection established');
    expect(getHeader(ok.headers, 'content-length')).toBeUndefined();
    const tls = await rig.drive(rig.net.startTls(c.conn, { role: 'client', servername: '127.0.0.1', initialData: c.detach() }));
    expect(tls.tls?.peerFingerprint256).toBe(id.fingerprint256);
    const inner = new TestClient(tls);
    const big = new Uint8Array(200_000).map((_, i) => i & 0xff);
    const res = await rig.drive(inner.send(request({ method: 'POST', target: '/wsman', headers: [['Host', rig.authority]], body: big })));
    expect(sha(res.body)).toBe(sha(big));
    expect(rig.origin.seen[0].req.target).toBe('/wsman');
  });

  it('accepts "CONNECT host:port HTTP/1.0" without Host, and hands early bytes to the server', async () => {
    const rig = await simRig();
    const got: Uint8Array[] = [];
    const raw = await startRawServer(rig, got);
    const c = await rig.client();
    const ok = await rig.drive(c.sendRaw(`CONNECT 127.0.0.1:${raw.port} HTTP/1.0\r\n\r\nearly-bytes`, 'CONNECT'));
    expect(ok.status).toBe(200);
    await rig.wait(20);
    expect(text(Buffer.concat(got))).toBe('early-bytes');
  });

  it('passes a half-close on and keeps relaying the other way, then propagates a reset', async () => {
    const rig = await simRig();
    const got: Uint8Array[] = [];
    const raw = await startRawServer(rig, got);
    const c = await rig.client();
    await rig.drive(c.send(request({ method: 'CONNECT', target: `127.0.0.1:${raw.port}`, headers: [] })));
    c.conn.write(new TextEncoder().encode('ping'));
    c.conn.end();
    await rig.wait(20);
    expect(raw.ended()).toBe(true);
    const back: Uint8Array[] = [];
    c.conn.onData((d) => back.push(d));
    raw.conn()!.write(new TextEncoder().encode('pong'));
    await rig.wait(20);
    expect(text(Buffer.concat(back))).toBe('pong');
    raw.conn()!.reset();
    const info = await rig.drive(c.whenClosed());
    expect(info.reset).toBe(true);
  });
});

describe('reference proxy on sim: determinism (INV-8)', () => {
  async function scenario(seed: number): Promise<string> {
    const rig = await simRig({ seed });
    const a = await rig.client('client#1');
    const b = await rig.client('client#2');
    await rig.drive(Promise.all([a.send(proxied(rig.url('/1'), { method: 'POST', body: 'one' })), b.send(proxied(rig.url('/2')))]));
    await rig.drive(a.send(proxied(rig.url('/3'), { headers: [['Connection', 'close']] })));
    await rig.wait(50);
    return rig.net.trace.serialize();
  }

  it('gives the same trace, byte for byte, for the same seed', async () => {
    const first = await scenario(7);
    const second = await scenario(7);
    expect(second).toBe(first);
    expect(first).toContain('"kind":"message"');
  });
});

/** A raw TCP server on the sim network that records what it receives (tunnel tests). */
async function startRawServer(rig: Awaited<ReturnType<typeof simRig>>, got: Uint8Array[]) {
  let conn: import('../net/types.ts').Connection | undefined;
  let ended = false;
  const l = await rig.net.listen({ host: '127.0.0.1', port: 0, actor: 'raw' }, (c) => {
    conn = c;
    c.onData((d) => got.push(d));
    c.onEnd(() => (ended = true));
  });
  return { port: l.address.port, conn: () => conn, ended: () => ended };
}

