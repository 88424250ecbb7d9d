import { describe, expect, it } from 'vitest';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('idle-reconnect', () => {
  it('replaces a server connection idle for more than 1 s, silently, keeping the client connection', async () => {
    const rig = await simRig({ proxy: { faults: ['idle-reconnect'] } });
    const c = await rig.client();
    await rig.drive(c.send(proxied(rig.url('/1'))));
    await rig.wait(500);
    await rig.drive(c.send(proxied(rig.url('/2'))));
    await rig.wait(1500);
    await rig.drive(c.send(proxied(rig.url('/3'))));
    const conns = rig.origin.seen.map((s) => s.conn);
    expect(conns[0]).toBe(conns[1]);
    expect(conns[2]).not.toBe(conns[1]);
    expect(c.conn.closed).toBe(false);
  });
});
