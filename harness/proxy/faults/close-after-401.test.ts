import { describe, expect, it } from 'vitest';
import { response } from '../../wire/index.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('close-after-401', () => {
  it('closes both connections after relaying a 401 challenge, not after a 200', async () => {
    const rig = await simRig({
      proxy: { faults: ['close-after-401'] },
      handler: (req) => response({ status: req.target === '/401' ? 401 : 200, headers: [['WWW-Authenticate', 'Negotiate']] }),
    });
    const c = await rig.client();
    expect((await rig.drive(c.send(proxied(rig.url('/ok'))))).status).toBe(200);
    await rig.wait(20);
    expect(c.conn.closed).toBe(false);
    expect((await rig.drive(c.send(proxied(rig.url('/401'))))).status).toBe(401);
    await rig.drive(c.whenClosed());
    await rig.wait(20);
    expect(rig.origin.conns[0].closed).toBe(true);
  });
});
