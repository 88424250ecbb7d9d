import { describe, expect, it } from 'vitest';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('header-case', () => {
  it('lower-cases header names both ways and keeps values', async () => {
    const rig = await simRig({ proxy: { faults: ['header-case'] } });
    const c = await rig.client();
    const res = await rig.drive(c.send(proxied(rig.url(), { headers: [['X-Mixed-Case', 'Value-Kept']] })));
    const atServer = rig.origin.seen[0].req.headers;
    expect(atServer.every((h) => h.name === h.name.toLowerCase())).toBe(true);
    expect(atServer.find((h) => h.name === 'x-mixed-case')?.value).toBe('Value-Kept');
    expect(res.headers.every((h) => h.name === h.name.toLowerCase())).toBe(true);
    expect(res.headers.some((h) => h.name === 'x-server-conn')).toBe(true);
  });
});
