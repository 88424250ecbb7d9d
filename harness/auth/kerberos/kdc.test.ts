// Against a real MIT KDC on loopback: the harness client gets tickets (AS with preauth, TGS),
// the harness acceptor accepts the AP-REQ with the keytab the KDC exported.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hex, utf8 } from '../bytes.ts';
import { startKdc, type RunningKdc } from '../../drivers/kdc/kdc.ts';
import { KerberosAcceptor } from './acceptor.ts';
import { KerberosClient } from './client.ts';
import { ETYPE_AES256 } from './crypto/enctype.ts';
import { parseKeytab } from './keytab.ts';

const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) };
const now = () => Date.now();

describe('Kerberos against a loopback MIT KDC', () => {
  let kdc: RunningKdc;
  beforeAll(async () => {
    kdc = await startKdc();
  });
  afterAll(async () => {
    await kdc?.stop();
  });

  const client = (over: Partial<ConstructorParameters<typeof KerberosClient>[0]> = {}) =>
    new KerberosClient({ principal: kdc.users[0].principal, password: kdc.users[0].password, kdc: kdc.kdcAddress, service: 'HTTP/localhost', random, now, ...over });

  it('reads the exported keytab: AES256 and AES128 keys for both services', () => {
    const entries = parseKeytab(kdc.keytab());
    expect(entries.map((e) => `${e.principal}/${e.key.etype}/${e.kvno}`).sort()).toEqual(
      ['HTTP/localhost@WPC.TEST/17/1', 'HTTP/localhost@WPC.TEST/18/1', 'WSMAN/localhost@WPC.TEST/17/1', 'WSMAN/localhost@WPC.TEST/18/1'],
    );
  });

  it('AS (with PA-ENC-TIMESTAMP) + TGS + AP: client and acceptor end with the same context key', async () => {
    const c = client();
    const token = await c.initSecContext();
    expect(c.credential?.server).toBe('HTTP/localhost@WPC.TEST');
    expect(c.credential?.key.etype).toBe(ETYPE_AES256);
    const acceptor = new KerberosAcceptor({ keytab: kdc.keytab(), random, now });
    const r = acceptor.accept(token);
    if (!r.ok) throw new Error(r.reason);
    expect(r.client).toBe('wpc-user@WPC.TEST');
    expect(r.service).toBe('HTTP/localhost@WPC.TEST');
    expect(r.mutual).toBe(true);
    c.acceptReply(r.reply);
    expect(hex(c.session.key.value)).toBe(hex(r.session.key.value));
    expect(c.session.acceptorSubkey).toBe(true);
  });

  it('wrap/unwrap both ways with the established context', async () => {
    const c = client();
    const acceptor = new KerberosAcceptor({ keytab: kdc.keytab(), random, now });
    const r = acceptor.accept(await c.initSecContext());
    if (!r.ok) throw new Error(r.reason);
    c.acceptReply(r.reply);
    for (let i = 0; i < 3; i++) {
      const msg = utf8(`<s:Envelope>request ${i}</s:Envelope>`);
      expect(r.session.unwrap(c.session.wrap(msg))).toEqual(msg);
      expect(c.session.unwrap(r.session.wrap(msg))).toEqual(msg);
    }
    const w = c.session.wrapWinrm(utf8('x'.repeat(100)));
    expect(w.header.length).toBe(60);
    expect(r.session.unwrapWinrm(w.header, w.data)).toEqual(utf8('x'.repeat(100)));
  });

  it('the acceptor also takes the service password instead of the keytab', async () => {
    const acceptor = new KerberosAcceptor({ keytab: { principal: kdc.service.principal, password: kdc.service.password! }, random, now });
    const r = acceptor.accept(await client().initSecContext());
    expect(r.ok).toBe(true);
  });

  it('a ticket for WSMAN/localhost is refused by an acceptor restricted to HTTP/localhost (wrong SPN)', async () => {
    const acceptor = new KerberosAcceptor({ keytab: kdc.keytab(), random, now, services: ['HTTP/localhost'] });
    const r = acceptor.accept(await client({ service: 'WSMAN/localhost' }).initSecContext());
    expect(r).toMatchObject({ ok: false, code: 'wrong-service' });
    if (!r.ok) expect(r.reason).toContain('WSMAN/localhost@WPC.TEST');
  });

  it('a wrong password fails the AS exchange with the KDC error, without the password in the message', async () => {
    const err = await client({ password: 'not-the-password' })
      .initSecContext()
      .catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/KDC error 24|does not decrypt/);
    expect((err as Error).message).not.toContain('not-the-password');
  });

  it('an unknown service is reported with KDC error 7 (S_PRINCIPAL_UNKNOWN)', async () => {
    const err = await client({ service: 'HTTP/elsewhere' })
      .initSecContext()
      .catch((e: Error) => e);
    expect((err as { krbErrorCode?: number }).krbErrorCode).toBe(7);
  });
});
