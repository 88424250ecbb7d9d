import { describe, expect, it } from 'vitest';
import { faults } from './index.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('sniff', () => {
  it('is passive: relays like the reference while the Trace holds every byte it saw', async () => {
    expect(faults['sniff'].kind).toBe('passive');
    const rig = await simRig({ proxy: { faults: ['sniff'] } });
    const c = await rig.client();
    const res = await rig.drive(c.send(proxied(rig.url(), { method: 'POST', headers: [['Authorization', 'Basic cGFzc3dvcmQ=']], body: 'payload' })));
    expect(Buffer.from(res.body).toString()).toBe('payload');
    expect(rig.net.trace.bytesFrom(c.conn.id, 'client').toString()).toContain('Basic cGFzc3dvcmQ=');
  });
});
