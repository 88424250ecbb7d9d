import { describe, expect, it } from 'vitest';
import { response } from '../../wire/index.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('close-after-2xx', () => {
  it('closes the client and server connections after a 2xx, not after a 401', async () => {
    const rig = await simRig({
      proxy: { faults: ['close-after-2xx'] },
      handler: (req) => response({ status: req.target === '/401' ? 401 : 200, body: 'x' }),
    });
    const c = await rig.client();
    expect((await rig.drive(c.send(proxied(rig.url('/401'))))).status).toBe(401);
    await rig.wait(20);
    expect(c.conn.closed).toBe(false);
    expect((await rig.drive(c.send(proxied(rig.url('/ok'))))).status).toBe(200);
    await rig.drive(c.whenClosed());
    await rig.wait(20);
    expect(rig.origin.conns[0].closed).toBe(true);
  });
});
