// The controls are legal variations: through each, the reference behaviours still hold.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { simIdentity } from '../../net/index.ts';
import { getHeader, request, response } from '../../wire/index.ts';
import { startOrigin, TestClient } from '../testing/http-peers.ts';
import { proxied, simRig } from '../testing/sim-rig.ts';
import { listFaults } from './index.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const CT = 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"';

describe.each(listFaults().filter((f) => f.kind !== 'fault').map((f) => f.name))('control %s', (name) => {
  it('keeps affinity, bodies byte for byte (chunked and multipart/encrypted), and CONNECT tunnels', async () => {
    const body = new Uint8Array(70_000).map((_, i) => (i * 17) & 0xff);
    const id = simIdentity('winrm-server');
    const rig = await simRig({
      proxy: { faults: [name] },
      handler: (req, conn) =>
        response({ status: 200, headers: [['Content-Type', CT], ['X-Server-Conn', conn.id]], body: req.body, chunked: req.target === '/chunked' }),
    });
    const tlsOrigin = await startOrigin(rig.net, { actor: 'tls-server', tls: { identity: id } });
    const a = await rig.client('client#1');
    const b = await rig.client('client#2');
    const seen: Record<string, Set<string>> = { a: new Set(), b: new Set() };
    for (const target of ['/len', '/chunked']) {
      for (const [k, c] of [['a', a], ['b', b]] as const) {
        const res = await rig.drive(c.send(proxied(rig.url(target), { method: 'POST', headers: [['Content-Type', CT]], body })));
        expect(sha(res.body)).toBe(sha(body));
        expect(getHeader(res.headers, 'content-type')).toBe(CT);
        seen[k].add(getHeader(res.headers, 'x-server-conn')!);
      }
    }
    for (const s of rig.origin.seen) expect(sha(s.req.body)).toBe(sha(body));
    expect(seen.a.size).toBe(1);
    expect(seen.b.size).toBe(1);
    expect([...seen.a][0]).not.toBe([...seen.b][0]);

    const auth = `127.0.0.1:${tlsOrigin.address.port}`;
    const t = await rig.client('client#3');
    expect((await rig.drive(t.send(request({ method: 'CONNECT', target: auth, headers: [['Host', auth]] })))).status).toBe(200);
    const tls = await rig.drive(rig.net.startTls(t.conn, { role: 'client', initialData: t.detach() }));
    expect(tls.tls?.peerFingerprint256).toBe(id.fingerprint256);
    const inner = new TestClient(tls);
    const res = await rig.drive(inner.send(request({ method: 'POST', target: '/wsman', headers: [['Host', auth]], body })));
    expect(sha(res.body)).toBe(sha(body));
  });
});
