import { describe, expect, it } from 'vitest';
import { response } from '../../wire/index.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('short-timeout', () => {
  it('cuts a response slower than 2 s with 504 and closes; a 1 s response passes', async () => {
    let rig: Awaited<ReturnType<typeof simRig>>;
    rig = await simRig({
      proxy: { faults: ['short-timeout'] },
      handler: async (req) => {
        await rig.net.clock.sleep(req.target === '/slow' ? 3000 : 1000);
        return response({ status: 200, body: 'done' });
      },
    });
    const c = await rig.client();
    expect((await rig.drive(c.send(proxied(rig.url('/fast'))))).status).toBe(200);
    const t0 = rig.net.clock.now();
    const slow = await rig.drive(c.send(proxied(rig.url('/slow'))));
    expect(slow.status).toBe(504);
    expect(rig.net.clock.now() - t0).toBeLessThan(2100);
    await rig.drive(c.whenClosed());
  });
});
