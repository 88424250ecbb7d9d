import { describe, expect, it } from 'vitest';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('pooled-upstream', () => {
  it('lands two clients\' requests on one server connection', async () => {
    const rig = await simRig({ proxy: { faults: ['pooled-upstream'] } });
    const a = await rig.client('client#1');
    const b = await rig.client('client#2');
    await rig.drive(a.send(proxied(rig.url('/a'))));
    await rig.drive(b.send(proxied(rig.url('/b'))));
    expect(rig.origin.seen.map((s) => s.req.target)).toEqual(['/a', '/b']);
    expect(rig.origin.seen[0].conn).toBe(rig.origin.seen[1].conn);
    expect(a.conn.id).not.toBe(b.conn.id);
  });

  it('keeps the pooled server connection when a client leaves', async () => {
    const rig = await simRig({ proxy: { faults: ['pooled-upstream'] } });
    const a = await rig.client('client#1');
    await rig.drive(a.send(proxied(rig.url('/a'))));
    a.close();
    await rig.wait(20);
    const b = await rig.client('client#2');
    await rig.drive(b.send(proxied(rig.url('/b'))));
    expect(rig.origin.conns).toHaveLength(1);
  });
});
