import { describe, expect, it } from 'vitest';
import { getHeader } from '../../wire/index.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('http10', () => {
  it('speaks HTTP/1.0 with Connection: close on both hops and closes', async () => {
    const rig = await simRig({ proxy: { faults: ['http10'] } });
    const c = await rig.client();
    const res = await rig.drive(c.send(proxied(rig.url())));
    const req = rig.origin.seen[0].req;
    expect(req.version).toBe('HTTP/1.0');
    expect(getHeader(req.headers, 'connection')).toBe('close');
    expect(res.version).toBe('HTTP/1.0');
    expect(getHeader(res.headers, 'connection')).toBe('close');
    await rig.drive(c.whenClosed());
  });

  it('http10-upstream downgrades only the server hop; http10-client only the client hop', async () => {
    const up = await simRig({ proxy: { faults: ['http10-upstream'] } });
    const c1 = await up.client();
    const r1 = await up.drive(c1.send(proxied(up.url())));
    expect(up.origin.seen[0].req.version).toBe('HTTP/1.0');
    expect(r1.version).toBe('HTTP/1.1');

    const cl = await simRig({ proxy: { faults: ['http10-client'] } });
    const c2 = await cl.client();
    const r2 = await cl.drive(c2.send(proxied(cl.url())));
    expect(cl.origin.seen[0].req.version).toBe('HTTP/1.1');
    expect(r2.version).toBe('HTTP/1.0');
  });
});
