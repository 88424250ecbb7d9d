import { describe, expect, it } from 'vitest';
import { response } from '../../wire/index.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';

const CT = 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"';

describe('mangle-encrypted-body', () => {
  it('alters one byte of a multipart/encrypted body (same length) and leaves other bodies alone', async () => {
    const body = new Uint8Array(4096).map((_, i) => i & 0xff);
    const rig = await simRig({
      proxy: { faults: ['mangle-encrypted-body'] },
      handler: (req) => response({ status: 200, headers: [['Content-Type', CT]], body: req.body }),
    });
    const c = await rig.client();
    const res = await rig.drive(c.send(proxied(rig.url(), { method: 'POST', headers: [['Content-Type', CT]], body })));
    const atServer = rig.origin.seen[0].req.body;
    const diff = (a: Uint8Array, b: Uint8Array) => a.reduce((n, x, i) => n + (x !== b[i] ? 1 : 0), 0);
    expect(atServer.length).toBe(body.length);
    expect(diff(atServer, body)).toBe(1);
    expect(res.body.length).toBe(body.length);
    expect(diff(res.body, atServer)).toBe(1);

    const plain = await rig.drive(c.send(proxied(rig.url(), { method: 'POST', headers: [['Content-Type', 'text/plain']], body })));
    expect(rig.origin.seen[1].req.body).toEqual(body);
    expect(plain.body.length).toBe(body.length);
  });
});
