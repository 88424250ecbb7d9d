import { describe, expect, it } from 'vitest';
import { response } from '../../wire/index.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('reset-mid-response', () => {
  it('resets the client connection halfway through a large response body, after relaying part of it', async () => {
    const big = new Uint8Array(100_000).fill(0x61);
    const rig = await simRig({
      proxy: { faults: ['reset-mid-response'] },
      handler: (req) => response({ status: 200, body: req.target === '/big' ? big : 'small' }),
    });
    const c = await rig.client();
    expect((await rig.drive(c.send(proxied(rig.url('/small'))))).status).toBe(200);
    await expect(rig.drive(c.send(proxied(rig.url('/big'))))).rejects.toThrow(/reset/);
    expect(c.closeInfo?.reset).toBe(true);
    const sent = rig.net.trace.events.filter((e) => e.kind === 'data' && e.conn === c.conn.id && e.from === 'proxy');
    const bytes = sent.reduce((n, e) => n + (e.kind === 'data' ? e.bytes.length : 0), 0);
    expect(bytes).toBeGreaterThan(40_000);
    expect(bytes).toBeLessThan(100_000);
  });

  it('resets on the first response with a body to an authenticated request', async () => {
    const rig = await simRig({ proxy: { faults: ['reset-mid-response'] } });
    const c = await rig.client();
    await expect(rig.drive(c.send(proxied(rig.url(), { method: 'POST', headers: [['Authorization', 'Basic eDp5']], body: 'data' })))).rejects.toThrow(/reset/);
  });
});
