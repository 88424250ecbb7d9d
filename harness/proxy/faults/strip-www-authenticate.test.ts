import { describe, expect, it } from 'vitest';
import { getHeaders, response } from '../../wire/index.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';

describe('strip-www-authenticate', () => {
  it('drops Negotiate, Kerberos and CredSSP challenges and keeps Basic', async () => {
    const challenges = ['Negotiate', 'Kerberos', 'CredSSP', 'Basic realm="WSMAN"'];
    const rig = await simRig({
      proxy: { faults: ['strip-www-authenticate'] },
      handler: () => response({ status: 401, headers: challenges.map((c) => ['WWW-Authenticate', c] as [string, string]) }),
    });
    const c = await rig.client();
    const res = await rig.drive(c.send(proxied(rig.url())));
    expect(res.status).toBe(401);
    expect(getHeaders(res.headers, 'www-authenticate')).toEqual(['Basic realm="WSMAN"']);
  });
});
