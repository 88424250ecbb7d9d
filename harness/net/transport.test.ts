// One behaviour suite, run against both transports: what endpoint code may rely on.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimNetwork } from './sim/sim-network.ts';
import { simIdentity } from './sim/identity.ts';
import { TcpNetwork } from './tcp/tcp-network.ts';
import { generateIdentity } from './tcp/identity.ts';
import { NetError, type Connection, type Network, type TlsIdentity } from './types.ts';
import type { TraceEvent } from './trace.ts';

interface Transport {
  name: 'sim' | 'tcp';
  make(): Network;
  /** Runs a scenario to completion: virtual time on sim, a real bound on tcp. */
  drive<T>(net: Network, p: Promise<T>): Promise<T>;
  identity(subject: string): Promise<TlsIdentity>;
}

const tcpIds = new Map<string, TlsIdentity>();
const transports: Transport[] = [
  {
    name: 'sim',
    make: () => new SimNetwork({ seed: 42 }),
    drive: (net, p) => (net as SimNetwork).runUntilSettled(p, { maxTimeMs: 60_000 }),
    identity: async (s) => simIdentity(s),
  },
  {
    name: 'tcp',
    make: () => new TcpNetwork(),
    drive: (_net, p) =>
      Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('tcp scenario: 8 s bound')), 8000))]),
    identity: async (s) => {
      let id = tcpIds.get(s);
      if (!id) tcpIds.set(s, (id = await generateIdentity(s)));
      return id;
    },
  },
];

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** Gathers what a connection receives, and lets a scenario wait for text, end or close. */
function reader(conn: Connection) {
  let got = '';
  let waiters: Array<() => void> = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  };
  let ended = false;
  let closeInfo: { reset: boolean } | undefined;
  conn.onData((d) => {
    got += text(d);
    wake();
  });
  conn.onEnd(() => {
    ended = true;
    wake();
  });
  conn.onClose((i) => {
    closeInfo = i;
    wake();
  });
  const until = (pred: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (pred() ? resolve() : waiters.push(check));
      check();
    });
  return {
    get text() {
      return got;
    },
    get closeInfo() {
      return closeInfo;
    },
    get ended() {
      return ended;
    },
    has: (s: string) => until(() => got.includes(s)),
    end: () => until(() => ended),
    close: () => until(() => closeInfo !== undefined).then(() => closeInfo!),
  };
}

/** A server that hands each accepted connection to the test. */
async function server(net: Network, opts: { tls?: TlsIdentity; actor?: string } = {}) {
  const accepted: Connection[] = [];
  let notify: (() => void) | undefined;
  const l = await net.listen(
    { host: '127.0.0.1', port: 0, actor: opts.actor ?? 'server', ...(opts.tls ? { tls: { identity: opts.tls } } : {}) },
    (c) => {
      accepted.push(c);
      notify?.();
    },
  );
  let taken = 0;
  /** The next accepted connection not handed out yet (or the i-th). */
  const next = async (i = taken++): Promise<Connection> => {
    while (accepted.length <= i) await new Promise<void>((r) => (notify = r));
    return accepted[i];
  };
  return { l, port: l.address.port, accepted, next };
}

const dataEvents = (evs: TraceEvent[]) => evs.filter((e): e is Extract<TraceEvent, { kind: 'data' }> => e.kind === 'data');

/** Reads a CONNECT-like preface, then collects what follows for a moment before TLS starts. */
function prefaceThenRest(conn: Connection, net: Network) {
  let buf = '';
  return new Promise<{ preface: string; rest: Uint8Array }>((resolve) => {
    conn.onData(async (d) => {
      const had = buf.includes('\r\n\r\n');
      buf += text(d);
      if (had || !buf.includes('\r\n\r\n')) return;
      await net.clock.sleep(30); // let the peer's TLS hello arrive on the plain connection
      const at = buf.indexOf('\r\n\r\n') + 4;
      resolve({ preface: buf.slice(0, at), rest: Buffer.from(buf.slice(at), 'latin1') });
    });
  });
}

describe.each(transports)('net transport: $name', (tp) => {
  let net: Network;
  afterEach(async () => {
    await net?.shutdown();
  });
  beforeAll(async () => {
    await tp.identity('server');
    await tp.identity('mitm');
  });

  it('connects, echoes, and traces listen/open/data with actors, hop and bytes', async () => {
    net = tp.make();
    const srv = await server(net);
    const out = await tp.drive(
      net,
      (async () => {
        const c = await net.connect({ host: '127.0.0.1', port: srv.port, actor: 'client#1', hop: 'client-server' });
        const s = await srv.next();
        s.onData((d) => s.write(d));
        const r = reader(c);
        c.write(enc('ping'));
        await r.has('ping');
        return { c, s, got: r.text };
      })(),
    );
    expect(out.got).toBe('ping');
    const open = net.trace.connections();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ conn: out.c.id, hop: 'client-server', initiator: 'client#1', acceptor: 'server' });
    expect(net.trace.events[0]).toMatchObject({ kind: 'listen', actor: 'server', addr: `127.0.0.1:${srv.port}` });
    expect(text(net.trace.bytesFrom(out.c.id, 'client#1'))).toBe('ping');
    expect(text(net.trace.bytesFrom(out.c.id, 'server'))).toBe('ping');
  });

  it('gives both ends of a connection the same id, and the next connection a new one', async () => {
    net = tp.make();
    const srv = await server(net);
    const ids = await tp.drive(
      net,
      (async () => {
        const a = await net.connect({ host: '127.0.0.1', port: srv.port, actor: 'client#1', hop: 'h' });
        const sa = await srv.next(0);
        const b = await net.connect({ host: '127.0.0.1', port: srv.port, actor: 'client#2', hop: 'h' });
        const sb = await srv.next(1);
        return [a.id, sa.id, b.id, sb.id];
      })(),
    );
    expect(ids).toEqual(['c1', 'c1', 'c2', 'c2']);
  });

  it('rejects a connect to a port nobody listens on with NetError refused, and traces it', async () => {
    net = tp.make();
    const srv = await server(net);
    await srv.l.close();
    const err = await tp
      .drive(net, net.connect({ host: '127.0.0.1', port: srv.port, actor: 'client#1', hop: 'client-server' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetError);
    expect((err as NetError).code).toBe('refused');
    expect(net.trace.events.find((e) => e.kind === 'refused')).toMatchObject({ initiator: 'client#1', reason: 'refused' });
  });

  it('bounds a TLS connect to a server that never answers the handshake by timeoutMs', async () => {
    net = tp.make();
    const srv = await server(net); // plain, silent
    const t0 = net.clock.now();
    const err = await tp
      .drive(
        net,
        net.connect({ host: '127.0.0.1', port: srv.port, actor: 'client#1', hop: 'h', timeoutMs: 300, tls: {} }),
      )
      .catch((e: unknown) => e);
    const took = net.clock.now() - t0;
    expect((err as NetError).code).toBe('timeout');
    expect(took).toBeGreaterThanOrEqual(299);
    expect(took).toBeLessThan(2000);
  });

  it('half-closes: the peer sees onEnd, can still answer, and both ends close without reset', async () => {
    net = tp.make();
    const srv = await server(net);
    const res = await tp.drive(
      net,
      (async () => {
        const c = await net.connect({ host: '127.0.0.1', port: srv.port, actor: 'client#1', hop: 'h' });
        const s = await srv.next();
        const rs = reader(s);
        const rc = reader(c);
        c.write(enc('request'));
        c.end();
        c.write(enc('after end')); // ignored
        await rs.end();
        expect(rs.text).toBe('request');
        expect(s.remoteEnded).toBe(true);
        s.write(enc('response'));
        s.end();
        await rc.has('response');
        await rc.end();
        return { sc: await rs.close(), cc: await rc.close(), c, s };
      })(),
    );
    expect(res.sc.reset).toBe(false);
    expect(res.cc.reset).toBe(false);
    expect(res.c.closed && res.s.closed).toBe(true);
    const ends = net.trace.events.filter((e) => e.kind === 'end').map((e) => (e as { from: string }).from);
    expect(ends).toEqual(['client#1', 'server']);
    expect(text(net.trace.bytesFrom(res.c.id, 'client#1'))).toBe('request');
  });

  it('close: the peer sees onEnd, and closing it too fires onClose on both without reset', async () => {
    net = tp.make();
    const srv = await server(net);
    const res = await tp.drive(
      net,
      (async () => {
        const c = await net.connect({ host: '127.0.0.1', port: srv.port, actor: 'client#1', hop: 'h' });
        const s = await srv.next();
        const rs = reader(s);
        const rc = reader(c);
        c.write(enc('bye'));
        c.close();
        expect(() => c.write(enc('ignored'))).not.toThrow();
        await rs.end();
        s.close();
        return { sc: await rs.close(), cc: await rc.close(), got: rs.text };
      })(),
    );
    expect(res.got).toBe('bye');
    expect(res.cc.reset).toBe(false);
    expect(res.sc.reset).toBe(false);
    expect(net.trace.events.find((e) => e.kind === 'close')).toMatchObject({ from: 'client#1', reset: false });
    expect(dataEvents(net.trace.events).map((e) => text(e.bytes))).toEqual(['bye']);
  });

  it('writing to a peer that closed gets the writer reset (RST from the closed end)', async () => {
    net = tp.make();
    const srv = await server(net);
    const info = await tp.drive(
      net,
      (async () => {
        const c = await net.connect({ host: '127.0.0.1', port: srv.port, actor: 'client#1', hop: 'h' });
        const s = await srv.next();
        const rs = reader(s);
        c.close();
        await rs.end();
        // Real TCP notices the RST on the write after the one that provoked it.
        s.write(enc('too late'));
        await net.clock.sleep(50);
        s.write(enc('still too late'));
        return rs.close();
      })(),
    );
    expect(info.reset).toBe(true);
  });

  it('reset: the peer sees onClose with reset, and the trace records who reset', async () => {
    net = tp.make();
    const srv = await server(net);
    const res = await tp.drive(
      net,
      (async () => {
        const c = await net.connect({ host: '127.0.0.1', port: srv.port, actor: 'client#1', hop: 'h' });
        const s = await srv.next();
        const rs = reader(s);
        const rc = reader(c);
        c.write(enc('x'));
        await rs.has('x');
        c.reset();
        return { sc: await rs.close(), cc: await rc.close(), s };
      })(),
    );
    expect(res.sc.reset).toBe(true);
    expect(res.cc.reset).toBe(true);
    expect(res.s.closed).toBe(true);
    expect(net.trace.events.filter((e) => e.kind === 'close')).toMatchObject([{ from: 'client#1', reset: true }]);
  });

  it('startTls in both roles over a connection, with bytes read before TLS passed as initialData', async () => {
    net = tp.make();
    const id = await tp.identity('server');
    const srv = await server(net);
    const res = await tp.drive(
      net,
      (async () => {
        const c = await net.connect({ host: '127.0.0.1', port: srv.port, actor: 'client#1', hop: 'h' });
        const s = await srv.next();
        const pre = prefaceThenRest(s, net);
        c.write(enc('CONNECT host:443 HTTP/1.1\r\n\r\n'));
        const ctP = net.startTls(c, { role: 'client', servername: 'localhost', pinFingerprint256: id.fingerprint256 });
        const { preface, rest } = await pre;
        const st = await net.startTls(s, { role: 'server', identity: id, initialData: rest });
        const ct = await ctP;
        const rst = reader(st);
        const rct = reader(ct);
        ct.write(enc('secret-request'));
        await rst.has('secret-request');
        st.write(enc('secret-response'));
        await rct.has('secret-response');
        return { preface, restLen: rest.length, ct, st };
      })(),
    );
    expect(res.preface).toBe('CONNECT host:443 HTTP/1.1\r\n\r\n');
    expect(res.restLen).toBeGreaterThan(0);
    expect(res.ct.id).toBe(res.st.id);
    expect(res.ct.tls?.peerFingerprint256).toBe(id.fingerprint256);
    expect(net.trace.events.find((e) => e.kind === 'tls')).toMatchObject({
      client: 'client#1',
      server: 'server',
      fingerprint256: id.fingerprint256,
    });
    const id1 = res.ct.id;
    expect(text(net.trace.bytesFrom(id1, 'client#1', { tls: true }))).toBe('secret-request');
    expect(text(net.trace.bytesFrom(id1, 'server', { tls: true }))).toBe('secret-response');
    const wire = dataEvents(net.trace.events).filter((e) => !e.tls).map((e) => text(e.bytes)).join('');
    expect(wire).not.toContain('secret');
  });

  it('a reset under a TLS session reaches the peer as a TLS-level onClose with reset', async () => {
    net = tp.make();
    const id = await tp.identity('server');
    const srv = await server(net, { tls: id });
    const res = await tp.drive(
      net,
      (async () => {
        const c = await net.connect({ host: '127.0.0.1', port: srv.port, actor: 'client#1', hop: 'h', tls: {} });
        const s = await srv.next();
        const rs = reader(s);
        const rc = reader(c);
        c.write(enc('before reset'));
        await rs.has('before reset');
        c.reset();
        expect(() => c.write(enc('after reset'))).not.toThrow();
        return { sc: await rs.close(), cc: await rc.close() };
      })(),
    );
    expect(res.sc.reset).toBe(true);
    expect(res.cc.reset).toBe(true);
    expect(net.trace.events.filter((e) => e.kind === 'close')).toMatchObject([{ from: 'client#1', reset: true }]);
  });

  it('rejects a TLS connect whose certificate does not match the pin with NetError tls', async () => {
    net = tp.make();
    const id = await tp.identity('server');
    const srv = await server(net, { tls: id });
    const err = await tp
      .drive(
        net,
        net.connect({ host: '127.0.0.1', port: srv.port, actor: 'client#1', hop: 'h', tls: { pinFingerprint256: 'ab'.repeat(32) } }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetError);
    expect((err as NetError).code).toBe('tls');
  });

  for (const terminate of [true, false]) {
    it(
      terminate
        ? 'a MITM that terminates TLS on both sides sees the plaintext, and the client sees its fingerprint'
        : 'a proxy relaying a TLS tunnel without terminating it sees no plaintext',
      async () => {
        net = tp.make();
        const id = await tp.identity('server');
        const mitm = await tp.identity('mitm');
        const srv = await server(net, { tls: id });
        const marker = 'MARKER-7f3a';
        const prx = await server(net, { actor: 'proxy' });
        const res = await tp.drive(
          net,
          (async () => {
            // Proxy: read "CONNECT\r\n\r\n", answer, then relay (opaque or terminated).
            const proxyDone = (async () => {
              const down = await prx.next();
              const { rest } = await prefaceThenRest(down, net);
              if (terminate) {
                const up = await net.connect({ host: '127.0.0.1', port: srv.port, actor: 'proxy', hop: 'proxy-server', tls: {} });
                down.write(enc('HTTP/1.1 200 OK\r\n\r\n'));
                const dt = await net.startTls(down, { role: 'server', identity: mitm, initialData: rest });
                dt.onData((d) => up.write(d));
                up.onData((d) => dt.write(d));
              } else {
                const up = await net.connect({ host: '127.0.0.1', port: srv.port, actor: 'proxy', hop: 'proxy-server' });
                down.write(enc('HTTP/1.1 200 OK\r\n\r\n'));
                if (rest.length) up.write(rest);
                down.onData((d) => up.write(d));
                up.onData((d) => down.write(d));
              }
            })();
            const c = await net.connect({ host: '127.0.0.1', port: prx.port, actor: 'client#1', hop: 'client-proxy' });
            const head = reader(c);
            c.write(enc('CONNECT server:443 HTTP/1.1\r\n\r\n'));
            await head.has('\r\n\r\n');
            const ct = await net.startTls(c, { role: 'client', servername: 'localhost' });
            await proxyDone;
            const s = await srv.next();
            const rs = reader(s);
            const rc = reader(ct);
            ct.write(enc(`request ${marker}`));
            await rs.has(marker);
            s.write(enc(`response ${marker}`));
            await rc.has('response');
            return { ct, s };
          })(),
        );
        expect(res.ct.tls?.peerFingerprint256).toBe(terminate ? mitm.fingerprint256 : id.fingerprint256);
        const datas = dataEvents(net.trace.events);
        const proxySawPlain = datas.some((e) => e.from === 'proxy' && e.tls && text(e.bytes).includes(marker));
        expect(proxySawPlain).toBe(terminate);
        expect(datas.filter((e) => !e.tls).some((e) => text(e.bytes).includes(marker))).toBe(false);
        // Two TCP connections: client→proxy and proxy→server.
        expect(net.trace.connections().map((o) => o.hop)).toEqual(
          expect.arrayContaining(['client-proxy', 'proxy-server']),
        );
      },
    );
  }
});
