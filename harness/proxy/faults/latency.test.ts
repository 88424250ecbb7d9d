import { describe, expect, it } from 'vitest';
import { proxied, simRig } from '../testing/sim-rig.ts';
import { LATENCY_MS } from './latency.ts';

describe('latency', () => {
  it('delays each relayed write on the clock and keeps the exchange intact', async () => {
    const timed = async (faults: string[]) => {
      const rig = await simRig({ proxy: { faults } });
      const c = await rig.client();
      const t0 = rig.net.clock.now();
      const res = await rig.drive(c.send(proxied(rig.url(), { method: 'POST', body: 'abc' })));
      return { ms: rig.net.clock.now() - t0, body: Buffer.from(res.body).toString() };
    };
    const plain = await timed([]);
    const slow = await timed(['latency']);
    expect(slow.body).toBe('abc');
    expect(slow.ms - plain.ms).toBeGreaterThanOrEqual(2 * LATENCY_MS);
  });
});
