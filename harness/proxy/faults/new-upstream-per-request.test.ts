import { describe, expect, it } from 'vitest';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('new-upstream-per-request', () => {
  it('sends each request of one client connection on a fresh server connection', async () => {
    const rig = await simRig({ proxy: { faults: ['new-upstream-per-request'] } });
    const c = await rig.client();
    for (let i = 0; i < 3; i++) await rig.drive(c.send(proxied(rig.url())));
    expect(new Set(rig.origin.seen.map((s) => s.conn)).size).toBe(3);
    expect(c.conn.closed).toBe(false);
  });
});
