// CredSSP with Kerberos inside (MS-CSSP §3.1.5) against a real MIT KDC on loopback, over node's
// TLS: tickets from krb5kdc, the acceptor keyed from the keytab kdb5_util exported.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKdc, type RunningKdc } from '../../drivers/kdc/kdc.ts';
import { KerberosAcceptor } from '../kerberos/acceptor.ts';
import { KerberosClient } from '../kerberos/client.ts';
import { userDb } from '../ntlm/user-db.ts';
import { exchange, makeClient, makeServer, testIdentities } from './test-support.ts';

const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) };
const now = () => Date.now();

describe('CredSSP with Kerberos against a loopback MIT KDC', () => {
  let kdc: RunningKdc;
  beforeAll(async () => {
    kdc = await startKdc();
  });
  afterAll(async () => {
    await kdc?.stop();
  });

  it('authenticates in five legs with a ticket from krb5kdc, and refuses one for another service', async () => {
    const { server: identity } = await testIdentities();
    const user = kdc.users[0];
    const name = user.principal.split('@')[0];
    const acceptor = new KerberosAcceptor({ keytab: kdc.keytab(), services: ['HTTP/localhost'], random, now });
    const run = async (service: string) => {
      const kerberos = new KerberosClient({ principal: user.principal, password: user.password, kdc: kdc.kdcAddress, service, random, now });
      const srv = makeServer(identity, { users: userDb([{ user: name, password: user.password }]), kerberos: acceptor, random });
      const out = await exchange(makeClient({ user: name, password: user.password, kerberos, random }), srv);
      srv.close();
      return { out, mechanism: srv.mechanism };
    };
    const ok = await run('HTTP/localhost');
    expect(ok.out.clientError).toBeUndefined();
    expect(ok.out.legs).toBe(5);
    expect(ok.out.final.result).toEqual({ ok: true, user: name, domain: 'WPC.TEST' });
    expect(ok.mechanism).toBe('kerberos');
    const bad = await run('WSMAN/localhost');
    expect(bad.out.final.result).toMatchObject({ ok: false, reason: 'logon-failure', kerberos: 'wrong-service' });
  });
});
