import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { proxied, simRig } from '../testing/sim-rig.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('slicer', () => {
  it('splits writes into small pieces and keeps bodies identical', async () => {
    const body = new Uint8Array(50_000).map((_, i) => (i * 7) & 0xff);
    const rig = await simRig({ proxy: { faults: ['slicer'] } });
    const c = await rig.client();
    const res = await rig.drive(c.send(proxied(rig.url(), { method: 'POST', body })));
    expect(sha(res.body)).toBe(sha(body));
    expect(sha(rig.origin.seen[0].req.body)).toBe(sha(body));
    const writes = rig.net.trace.events.filter((e) => e.kind === 'data' && e.conn === c.conn.id && e.from === 'proxy');
    expect(writes.length).toBeGreaterThan(10);
    expect(writes[0].kind === 'data' && writes[0].bytes.length).toBe(1);
  });
});
