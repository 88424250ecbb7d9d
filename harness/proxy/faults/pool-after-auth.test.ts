import { describe, expect, it } from 'vitest';
import { getHeader, response } from '../../wire/index.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';

// 401 without Authorization, 200 with: a one-round-trip "handshake".
const handler = (req: import('../../wire/types.ts').HttpRequest) =>
  response({ status: getHeader(req.headers, 'authorization') ? 200 : 401 });

describe('pool-after-auth', () => {
  it('pins a server connection during the handshake, then gives it to another client', async () => {
    const rig = await simRig({ proxy: { faults: ['pool-after-auth'] }, handler });
    const a = await rig.client('client#1');
    const b = await rig.client('client#2');
    expect((await rig.drive(a.send(proxied(rig.url('/a1'))))).status).toBe(401);
    // During a's handshake its server connection is not shared.
    expect((await rig.drive(b.send(proxied(rig.url('/b1'))))).status).toBe(401);
    expect((await rig.drive(a.send(proxied(rig.url('/a2'), { headers: [['Authorization', 'x']] })))).status).toBe(200);
    const seen = (t: string) => rig.origin.seen.find((s) => s.req.target === t)!.conn;
    expect(seen('/a1')).toBe(seen('/a2'));
    expect(seen('/b1')).not.toBe(seen('/a1'));
    // After a's 2xx its connection is pooled: b (which never authenticated) is served on it.
    b.close();
    await rig.wait(20);
    const c = await rig.client('client#3');
    await rig.drive(c.send(proxied(rig.url('/c1'))));
    expect(seen('/c1')).toBe(seen('/a1'));
  });
});
