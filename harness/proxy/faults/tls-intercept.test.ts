import { describe, expect, it } from 'vitest';
import { simIdentity } from '../../net/index.ts';
import { request } from '../../wire/index.ts';
import { TestClient } from '../testing/http-peers.ts';
import { simRig } from '../testing/sim-rig.ts';

describe('tls-intercept', () => {
  it('presents its own certificate inside CONNECT, relays to the real server, and sees the plaintext', async () => {
    const server = simIdentity('winrm-server');
    const mitm = simIdentity('wpc-intercept');
    const rig = await simRig({ proxy: { faults: ['tls-intercept'], identity: mitm }, originTls: server });
    const c = await rig.client();
    await rig.drive(c.send(request({ method: 'CONNECT', target: rig.authority, headers: [['Host', rig.authority]] })));
    const tls = await rig.drive(rig.net.startTls(c.conn, { role: 'client', initialData: c.detach() }));
    expect(tls.tls?.peerFingerprint256).toBe(mitm.fingerprint256);
    expect(tls.tls?.peerFingerprint256).not.toBe(server.fingerprint256);
    const inner = new TestClient(tls);
    const res = await rig.drive(inner.send(request({ method: 'POST', target: '/wsman', headers: [['Host', rig.authority]], body: 'secret-soap' })));
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body).toString()).toBe('secret-soap');
    // The proxy wrote the plaintext itself: the Trace holds it as TLS-inner data from the proxy.
    const plain = rig.net.trace.events.filter((e) => e.kind === 'data' && e.from === 'proxy' && e.tls);
    expect(Buffer.concat(plain.map((e) => (e.kind === 'data' ? e.bytes : new Uint8Array()))).toString('latin1')).toContain('secret-soap');
  });
});
