import { describe, expect, it } from 'vitest';
import { SimNetwork, SimStallError, SimTimeoutError, type SimNetworkOptions } from './sim-network.ts';
import { simIdentity } from './identity.ts';
import { NetError, type Connection } from '../types.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** Several clients exchange messages with an echo server, half of them over simtls. */
async function scenario(opts: SimNetworkOptions): Promise<SimNetwork> {
  const sim = new SimNetwork(opts);
  const id = simIdentity('server');
  const echo = (c: Connection) => {
    c.onData((d) => c.write(d));
    c.onEnd(() => c.end());
  };
  await sim.listen({ host: 'server', port: 80, actor: 'server' }, echo);
  await sim.listen({ host: 'server', port: 443, actor: 'server', tls: { identity: id } }, echo);
  const client = async (n: number) => {
    const c = await sim.connect({ host: 'server', port: n % 2 ? 443 : 80, actor: `client#${n}`, hop: 'client-server', tls: n % 2 ? {} : undefined });
    let got = '';
    const closed = new Promise<void>((r) => c.onClose(() => r()));
    c.onData((d) => (got += text(d)));
    for (let i = 0; i < 5; i++) {
      c.write(enc(`msg ${n}.${i};`));
      await sim.clock.sleep(1);
    }
    c.end();
    await closed;
    return got;
  };
  const got = await sim.runUntilSettled(Promise.all([1, 2, 3, 4].map(client)));
  expect(got[0]).toBe('msg 1.0;msg 1.1;msg 1.2;msg 1.3;msg 1.4;');
  return sim;
}

describe('SimNetwork', () => {
  it('gives a byte-identical trace for the same seed, also with jitter and slicing on', async () => {
    const a = await scenario({ seed: 11, jitter: 3, slice: 4 });
    const b = await scenario({ seed: 11, jitter: 3, slice: 4 });
    expect(a.trace.events.length).toBeGreaterThan(40);
    expect(a.trace.serialize()).toBe(b.trace.serialize());
  });

  it('with jitter on, another seed gives other delivery times (so another trace)', async () => {
    const a = await scenario({ seed: 11, jitter: 3 });
    const b = await scenario({ seed: 12, jitter: 3 });
    const times = (s: SimNetwork) => s.trace.events.filter((e) => e.kind === 'data' && !e.tls).map((e) => e.t);
    expect(times(a)).not.toEqual(times(b));
  });

  it('without jitter, timing is latency-exact: echo of a write arrives two latencies later', async () => {
    const sim = new SimNetwork({ seed: 1, latencyMs: 7 });
    await sim.listen({ host: 's', port: 1, actor: 'server' }, (c) => c.onData((d) => c.write(d)));
    const t = await sim.runUntilSettled(
      (async () => {
        const c = await sim.connect({ host: 's', port: 1, actor: 'client', hop: 'h' });
        const t0 = sim.clock.now();
        const back = new Promise<void>((r) => c.onData(() => r()));
        c.write(enc('x'));
        await back;
        return [t0, sim.clock.now()];
      })(),
    );
    expect(t).toEqual([7, 21]);
  });

  it('slice mode splits deliveries deterministically but keeps the bytes and one trace event per write', async () => {
    const sim = new SimNetwork({ seed: 5, slice: 3 });
    const chunks: string[] = [];
    await sim.listen({ host: 's', port: 1, actor: 'server' }, (c) => c.onData((d) => chunks.push(text(d))));
    const msg = 'abcdefghijklmnopqrstuvwxyz';
    await sim.runUntilSettled(
      (async () => {
        const c = await sim.connect({ host: 's', port: 1, actor: 'client', hop: 'h' });
        c.write(enc(msg));
        await sim.clock.sleep(10);
      })(),
    );
    expect(chunks.join('')).toBe(msg);
    expect(chunks.length).toBeGreaterThan(8);
    expect(chunks.every((c) => c.length >= 1 && c.length <= 3)).toBe(true);
    expect(sim.trace.events.filter((e) => e.kind === 'data')).toHaveLength(1);
  });

  it('jitter never reorders bytes within one direction of a connection', async () => {
    const sim = new SimNetwork({ seed: 9, jitter: 20 });
    let got = '';
    await sim.listen({ host: 's', port: 1, actor: 'server' }, (c) => c.onData((d) => (got += text(d))));
    const expected = Array.from({ length: 50 }, (_, i) => `${i},`).join('');
    await sim.runUntilSettled(
      (async () => {
        const c = await sim.connect({ host: 's', port: 1, actor: 'client', hop: 'h' });
        for (let i = 0; i < 50; i++) c.write(enc(`${i},`));
        await sim.clock.sleep(100);
      })(),
    );
    expect(got).toBe(expected);
  });

  it('a blackholed address makes connect fail with timeout exactly at timeoutMs of virtual time', async () => {
    const sim = new SimNetwork({ seed: 1 });
    sim.blackhole('10.9.9.9', 5985);
    const p = sim.connect({ host: '10.9.9.9', port: 5985, actor: 'client', hop: 'h', timeoutMs: 1234 });
    const err = await sim.runUntilSettled(p).catch((e: unknown) => e);
    expect((err as NetError).code).toBe('timeout');
    expect(sim.clock.now()).toBe(1234);
    expect(sim.trace.events).toMatchObject([{ kind: 'refused', reason: 'timeout', t: 1234 }]);
  });

  it('an unreachable host fails with unreachable after one latency', async () => {
    const sim = new SimNetwork({ seed: 1, latencyMs: 3 });
    sim.unreachable('gone');
    const err = await sim.runUntilSettled(sim.connect({ host: 'gone', port: 1, actor: 'client', hop: 'h' })).catch((e: unknown) => e);
    expect((err as NetError).code).toBe('unreachable');
    expect(sim.clock.now()).toBe(3);
  });

  it('reset drops data still in flight: the peer sees only the reset', async () => {
    const sim = new SimNetwork({ seed: 1 });
    let got = '';
    let info: { reset: boolean } | undefined;
    await sim.listen({ host: 's', port: 1, actor: 'server' }, (c) => {
      c.onData((d) => (got += text(d)));
      c.onClose((i) => (info = i));
    });
    await sim.runUntilSettled(
      (async () => {
        const c = await sim.connect({ host: 's', port: 1, actor: 'client', hop: 'h' });
        c.write(enc('never delivered'));
        c.reset();
        await sim.clock.sleep(10);
      })(),
    );
    expect(got).toBe('');
    expect(info).toEqual({ reset: true });
  });

  it('holds data that arrives before onData is registered and delivers it, then the end, in order', async () => {
    const sim = new SimNetwork({ seed: 1 });
    const log: string[] = [];
    await sim.listen({ host: 's', port: 1, actor: 'server' }, (c) => {
      void sim.clock.sleep(50).then(() => {
        c.onEnd(() => log.push('end'));
        c.onData((d) => log.push(text(d)));
      });
    });
    await sim.runUntilSettled(
      (async () => {
        const c = await sim.connect({ host: 's', port: 1, actor: 'client', hop: 'h' });
        c.write(enc('a'));
        c.write(enc('b'));
        c.end();
        await sim.clock.sleep(100);
      })(),
    );
    expect(log).toEqual(['a', 'b', 'end']);
  });

  it('virtual clock: timers fire in time order, clearTimeout cancels, nothing waits for real time', async () => {
    const sim = new SimNetwork({ seed: 1 });
    const fired: Array<[string, number]> = [];
    sim.clock.setTimeout(() => fired.push(['b', sim.clock.now()]), 500);
    sim.clock.setTimeout(() => fired.push(['a', sim.clock.now()]), 100);
    const h = sim.clock.setTimeout(() => fired.push(['x', sim.clock.now()]), 300);
    sim.clock.clearTimeout(h);
    // An hour of virtual time: were it real time, the test's own timeout would end it.
    await sim.runUntilSettled(sim.clock.sleep(3_600_000), { maxTimeMs: 4_000_000 });
    expect(fired).toEqual([
      ['a', 100],
      ['b', 500],
    ]);
    expect(sim.clock.now()).toBe(3_600_000);
  });

  it('runUntilSettled reports a deadlock (nothing scheduled, promise pending) as SimStallError', async () => {
    const sim = new SimNetwork({ seed: 1 });
    await expect(sim.runUntilSettled(new Promise(() => {}))).rejects.toBeInstanceOf(SimStallError);
  });

  it('runUntilSettled stops at maxTimeMs of virtual time with SimTimeoutError', async () => {
    const sim = new SimNetwork({ seed: 1 });
    const tick = () => sim.clock.setTimeout(tick, 10); // a heartbeat that never ends
    tick();
    const err = await sim.runUntilSettled(new Promise(() => {}), { maxTimeMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimTimeoutError);
    expect((err as Error).message).toMatch(/1000 ms of virtual time/);
    expect(sim.clock.now()).toBe(1000);
  });

  it('run({ until }) stops as soon as the condition holds', async () => {
    const sim = new SimNetwork({ seed: 1 });
    let n = 0;
    const tick = () => {
      n++;
      sim.clock.setTimeout(tick, 1);
    };
    tick();
    expect(await sim.run({ until: () => n >= 5 })).toBe('until');
    expect(n).toBe(5);
    expect(await sim.run({ maxEvents: 3 })).toBe('events');
    expect(n).toBe(8);
  });

  it('a TLS listener closes a connection whose client speaks plain bytes, without calling onConnection', async () => {
    const sim = new SimNetwork({ seed: 1 });
    let accepted = 0;
    await sim.listen({ host: 's', port: 443, actor: 'server', tls: { identity: simIdentity('s') } }, () => accepted++);
    const info = await sim.runUntilSettled(
      (async () => {
        const c = await sim.connect({ host: 's', port: 443, actor: 'client', hop: 'h' });
        const ended = new Promise<void>((r) => c.onEnd(r));
        c.write(enc('GET / HTTP/1.1\r\n\r\n'));
        await ended;
        return c.remoteEnded;
      })(),
    );
    expect(info).toBe(true);
    expect(accepted).toBe(0);
  });

  it('simtls runs inside simtls (TLS to an HTTPS proxy, then TLS to the server through it)', async () => {
    const sim = new SimNetwork({ seed: 2 });
    const outerId = simIdentity('proxy');
    const innerId = simIdentity('server');
    await sim.listen({ host: 'p', port: 1, actor: 'proxy', tls: { identity: outerId } }, (c) => {
      void sim.startTls(c, { role: 'server', identity: innerId }).then((t) => t.onData((d) => t.write(d)));
    });
    const res = await sim.runUntilSettled(
      (async () => {
        const outer = await sim.connect({ host: 'p', port: 1, actor: 'client', hop: 'h', tls: {} });
        const inner = await sim.startTls(outer, { role: 'client' });
        const back = new Promise<string>((r) => inner.onData((d) => r(text(d))));
        inner.write(enc('nested'));
        return { got: await back, outer: outer.tls?.peerFingerprint256, inner: inner.tls?.peerFingerprint256 };
      })(),
    );
    expect(res).toEqual({ got: 'nested', outer: outerId.fingerprint256, inner: innerId.fingerprint256 });
  });
});
