import { describe, expect, it } from 'vitest';
import { request } from '../../wire/index.ts';
import { simRig } from '../testing/sim-rig.ts';

describe('connect-443-only', () => {
  it('refuses CONNECT to 5986 with 403 and allows 443', async () => {
    const rig = await simRig({ proxy: { faults: ['connect-443-only'] } });
    await rig.net.listen({ host: '127.0.0.1', port: 5986, actor: 'server5986' }, () => undefined);
    await rig.net.listen({ host: '127.0.0.1', port: 443, actor: 'server443' }, () => undefined);
    const connect = (port: number) => request({ method: 'CONNECT', target: `127.0.0.1:${port}`, headers: [['Host', `127.0.0.1:${port}`]] });
    const a = await rig.client();
    expect((await rig.drive(a.send(connect(5986)))).status).toBe(403);
    const b = await rig.client();
    expect((await rig.drive(b.send(connect(443)))).status).toBe(200);
  });
});
