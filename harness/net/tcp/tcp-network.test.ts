// What only the real-socket transport has: peers outside this process, real certificates.

import * as net from 'node:net';
import * as tls from 'node:tls';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TcpNetwork } from './tcp-network.ts';
import { generateIdentity } from './identity.ts';
import type { Connection, TlsIdentity } from '../types.ts';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const within = <T>(p: Promise<T>, ms = 5000): Promise<T> =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`not done in ${ms} ms`)), ms))]);

let identity: TlsIdentity;
beforeAll(async () => {
  identity = await generateIdentity('wpc-test-server');
});

describe('generateIdentity', () => {
  it('makes an RSA-2048 self-signed certificate for localhost and 127.0.0.1, valid one year, with its sha-256 fingerprint', () => {
    const cert = new X509Certificate(identity.certPem);
    expect(identity.fingerprint256).toBe(cert.fingerprint256.replace(/:/g, '').toLowerCase());
    expect(identity.fingerprint256).toMatch(/^[0-9a-f]{64}$/);
    expect(cert.subject).toContain('CN=wpc-test-server');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(365);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(cert.checkPrivateKey(createPrivateKey(identity.keyPem))).toBe(true);
  });
});

describe('TcpNetwork with peers outside this process', () => {
  let tn: TcpNetwork;
  const extras: Array<{ close(): void }> = [];
  afterEach(async () => {
    await tn?.shutdown();
    extras.splice(0).forEach((x) => x.close());
  });

  it('traces an external client as initiator "external", with its bytes, and its reset', async () => {
    tn = new TcpNetwork();
    let server!: Connection;
    const closed = new Promise<{ reset: boolean }>((resolve) => {
      void tn.listen({ host: '127.0.0.1', port: 0, actor: 'server' }, (c) => {
        server = c;
        c.onData((d) => {
          c.write(d);
        });
        c.onClose(resolve);
      }).then((l) => {
        const ext = net.connect({ host: '127.0.0.1', port: l.address.port });
        ext.on('error', () => {});
        ext.on('data', () => ext.resetAndDestroy());
        ext.write('from outside');
      });
    });
    expect((await within(closed)).reset).toBe(true);
    const open = tn.trace.connections()[0];
    expect(open).toMatchObject({ initiator: 'external', acceptor: 'server', hop: 'external', conn: server.id });
    expect(text(tn.trace.bytesFrom(server.id, 'external'))).toBe('from outside');
    expect(text(tn.trace.bytesFrom(server.id, 'server'))).toBe('from outside');
    expect(tn.trace.events.filter((e) => e.kind === 'close')).toMatchObject([{ from: 'external', reset: true }]);
  });

  it('traces a connection to an external server with acceptor "external" and the bytes it sends', async () => {
    tn = new TcpNetwork();
    const ext = net.createServer((s) => s.end('hello from outside'));
    extras.push(ext);
    await new Promise<void>((r) => ext.listen(0, '127.0.0.1', () => r()));
    const port = (ext.address() as net.AddressInfo).port;
    const c = await tn.connect({ host: '127.0.0.1', port, actor: 'client#1', hop: 'client-proxy' });
    const got = await within(
      new Promise<string>((resolve) => {
        let s = '';
        c.onData((d) => (s += text(d)));
        c.onEnd(() => resolve(s));
      }),
    );
    expect(got).toBe('hello from outside');
    expect(tn.trace.connections()[0]).toMatchObject({ initiator: 'client#1', acceptor: 'external', hop: 'client-proxy' });
    expect(text(tn.trace.bytesFrom(c.id, 'external'))).toBe('hello from outside');
    expect(tn.trace.events.some((e) => e.kind === 'end' && e.from === 'external')).toBe(true);
  });

  it('a TLS listener serves an external TLS client and traces the handshake with client "external"', async () => {
    tn = new TcpNetwork();
    const l = await tn.listen({ host: '127.0.0.1', port: 0, actor: 'server', tls: { identity } }, (c) => {
      c.onData((d) => c.write(d));
    });
    const got = await within(
      new Promise<{ fp: string; echo: string }>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port: l.address.port, rejectUnauthorized: false }, () => {
          s.write('tls ping');
        });
        s.on('error', reject);
        s.on('data', (d) => {
          resolve({ fp: s.getPeerX509Certificate()!.fingerprint256, echo: d.toString() });
          s.destroy();
        });
      }),
    );
    expect(got.echo).toBe('tls ping');
    expect(got.fp.replace(/:/g, '').toLowerCase()).toBe(identity.fingerprint256);
    expect(tn.trace.events.find((e) => e.kind === 'tls')).toMatchObject({
      client: 'external',
      server: 'server',
      fingerprint256: identity.fingerprint256,
    });
    const conn = tn.trace.connections()[0].conn;
    expect(text(tn.trace.bytesFrom(conn, 'external', { tls: true }))).toBe('tls ping');
    expect(text(tn.trace.bytesFrom(conn, 'external'))).not.toContain('tls ping');
  });

  it('its clock counts real milliseconds from the network creation', async () => {
    tn = new TcpNetwork();
    const t0 = tn.clock.now();
    expect(t0).toBeGreaterThanOrEqual(0);
    expect(t0).toBeLessThan(10_000); // counted from creation, not from some epoch
    await tn.clock.sleep(30);
    expect(tn.clock.now() - t0).toBeGreaterThanOrEqual(29);
  });
});
