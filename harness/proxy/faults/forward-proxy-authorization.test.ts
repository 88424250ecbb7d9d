import { describe, expect, it } from 'vitest';
import { getHeader } from '../../wire/index.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('forward-proxy-authorization', () => {
  it('passes the client\'s Proxy-Authorization on to the server', async () => {
    const basic = 'Basic ' + Buffer.from('pu:pp').toString('base64');
    const rig = await simRig({ proxy: { faults: ['forward-proxy-authorization'], proxyAuth: { user: 'pu', password: 'pp' } } });
    const c = await rig.client();
    const res = await rig.drive(c.send(proxied(rig.url(), { headers: [['Proxy-Authorization', basic]] })));
    expect(res.status).toBe(200);
    expect(getHeader(rig.origin.seen[0].req.headers, 'proxy-authorization')).toBe(basic);
  });
});
