import { describe, expect, it } from 'vitest';
import { response } from '../../wire/index.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';

const CT = 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"';

describe('rechunk', () => {
  it('re-frames Content-Length bodies as chunked with other sizes, bytes identical (multipart/encrypted too)', async () => {
    const body = new Uint8Array(6000).map((_, i) => (i * 13) & 0xff);
    const rig = await simRig({
      proxy: { faults: ['rechunk'] },
      handler: (req) => response({ status: 200, headers: [['Content-Type', CT]], body: req.body }),
    });
    const c = await rig.client();
    const res = await rig.drive(c.send(proxied(rig.url(), { method: 'POST', headers: [['Content-Type', CT]], body })));
    const atServer = rig.origin.seen[0].req;
    expect(atServer.framing.kind).toBe('chunked');
    expect(atServer.body).toEqual(body);
    expect(res.framing.kind).toBe('chunked');
    expect(res.framing.kind === 'chunked' && res.framing.chunkSizes.length).toBeGreaterThan(1);
    expect(res.body).toEqual(body);
  });
});
