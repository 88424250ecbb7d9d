import { describe, expect, it } from 'vitest';
import { request } from '../../wire/index.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('connect-refused', () => {
  it('answers CONNECT with 403 and still forwards plain HTTP', async () => {
    const rig = await simRig({ proxy: { faults: ['connect-refused'] } });
    const c = await rig.client();
    const res = await rig.drive(c.send(request({ method: 'CONNECT', target: rig.authority, headers: [['Host', rig.authority]] })));
    expect(res.status).toBe(403);
    const c2 = await rig.client();
    expect((await rig.drive(c2.send(proxied(rig.url())))).status).toBe(200);
  });
});
