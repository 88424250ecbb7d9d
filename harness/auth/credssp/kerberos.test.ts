// CredSSP with Kerberos inside SPNEGO (MS-CSSP §3.1.5), client ↔ server in memory: the sim TLS
// stand-in, the simulated KDC, a seeded random source and a virtual clock (deterministic).
import { describe, expect, it } from 'vitest';
import { hex } from '../bytes.ts';
import { simIdentity } from '../../net/sim/identity.ts';
import { KerberosAcceptor } from '../kerberos/acceptor.ts';
import { KerberosClient } from '../kerberos/client.ts';
import { createSimKdc } from '../kerberos/sim-kdc.ts';
import { userDb } from '../ntlm/user-db.ts';
import { OID_KERBEROS, parseNegotiateToken } from '../spnego.ts';
import { seededRandom } from '../test-support.ts';
import { NtStatus } from './errors.ts';
import { asSpnegoInit } from './kerberos-mech.ts';
import { simTlsEngines } from './sim-tls.ts';
import { exchange, makeClient, makeServer } from './test-support.ts';
import type { CredSspClientOptions } from './client.ts';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const USER = { name: 'wpc-user', password: 'user-pw' };
const ID = simIdentity('winrm-server');

function world(o: { service?: string; acceptorLagMs?: number; seed?: string } = {}) {
  const seed = o.seed ?? 'credssp-krb';
  const now = () => T0;
  const kdc = createSimKdc({
    realm: 'WPC.TEST',
    users: [USER],
    services: [
      { name: 'HTTP/localhost', password: 'http-pw' },
      { name: 'WSMAN/localhost', password: 'wsman-pw' },
    ],
    random: seededRandom(`${seed}/kdc`),
    now,
  });
  const krb = new KerberosClient({
    principal: `${USER.name}@WPC.TEST`,
    password: USER.password,
    kdc: kdc.send,
    service: o.service ?? 'HTTP/localhost',
    random: seededRandom(`${seed}/krb`),
    now,
  });
  const acceptor = new KerberosAcceptor({
    keytab: kdc.keytab(),
    services: ['HTTP/localhost'],
    random: seededRandom(`${seed}/acc`),
    now: () => T0 + (o.acceptorLagMs ?? 0),
  });
  const client = (over: Partial<CredSspClientOptions> = {}) =>
    makeClient({
      user: USER.name,
      password: USER.password,
      domain: 'WPC.TEST',
      kerberos: krb,
      tls: simTlsEngines(seededRandom(`${seed}/ctls`)),
      random: seededRandom(`${seed}/c`),
      ...over,
    });
  const server = () =>
    makeServer(ID, {
      users: userDb([{ user: USER.name, password: USER.password }, { user: 'vagrant', password: 'Vagrant!2024' }]),
      kerberos: acceptor,
      tls: simTlsEngines(seededRandom(`${seed}/stls`)),
      random: seededRandom(`${seed}/s`),
    });
  return { kdc, client, server, acceptor };
}

describe('CredSSP with Kerberos (MS-CSSP §3.1.5, RFC 4121)', () => {
  it('authenticates in five legs: AP-REQ / AP-REP in SPNEGO, then pubKeyAuth and TSCredentials wrapped with the Kerberos context', async () => {
    const w = world();
    const client = w.client();
    const srv = w.server();
    const out = await exchange(client, srv);
    expect(out.clientError).toBeUndefined();
    expect(out.legs).toBe(5);
    expect(out.final).toEqual({ done: true, result: { ok: true, user: 'wpc-user', domain: 'WPC.TEST' } });
    expect(srv.mechanism).toBe('kerberos');
    expect(client.mechanism).toBe('kerberos');
    expect(client.negotiatedVersion).toBe(6);
    expect(w.kdc.log).toEqual(['AS-REQ', 'AS-REQ+PA-ENC-TIMESTAMP', 'TGS-REQ']);
    // Message encryption afterwards is the CredSSP TLS session, as with NTLM.
    const up = new TextEncoder().encode('<s:Envelope/>');
    expect(await srv.tls.unwrap(await client.tls.wrap(up))).toEqual(up);
  });

  it('is deterministic: the same seeds give the same tokens', async () => {
    const run = async () => {
      const w = world({ seed: 'det' });
      const c = w.client();
      const s = w.server();
      const seen: string[] = [];
      let t = (await c.step()).token!;
      for (let i = 0; i < 5; i++) {
        seen.push(hex(t));
        const r = await s.step(t);
        if (r.done) break;
        t = (await c.step(r.token)).token!;
      }
      return seen;
    };
    expect(await run()).toEqual(await run());
  });

  it('accepts the delegated credentials as a UPN with an empty domain (requests-credssp style)', async () => {
    const w = world();
    const out = await exchange(w.client({ delegate: { domain: '', user: 'wpc-user@wpc.test', password: USER.password } }), w.server());
    expect(out.final.result).toMatchObject({ ok: true, user: 'wpc-user' });
  });

  it('matches a user database that names the domain by its NetBIOS name (first label of the realm)', async () => {
    const w = world();
    const srv = makeServer(ID, {
      users: userDb([{ user: USER.name, password: USER.password, domain: 'WPC' }]),
      kerberos: w.acceptor,
      tls: simTlsEngines(seededRandom('nb/stls')),
      random: seededRandom('nb/s'),
    });
    const out = await exchange(w.client({ domain: 'WPC' }), srv);
    expect(out.final.result).toEqual({ ok: true, user: 'wpc-user', domain: 'WPC.TEST' });
  });

  it('refuses delegated credentials of another account (credentials-mismatch)', async () => {
    const w = world();
    const out = await exchange(w.client({ delegate: { domain: '', user: 'vagrant', password: 'Vagrant!2024' } }), w.server());
    expect(out.final.result).toMatchObject({ ok: false, reason: 'credentials-mismatch' });
  });

  it('refuses a ticket for another service principal: logon-failure (wrong-service), STATUS_LOGON_FAILURE to the client', async () => {
    const w = world({ service: 'WSMAN/localhost' });
    const srv = w.server();
    const out = await exchange(w.client(), srv);
    expect(out.final.result).toMatchObject({ ok: false, reason: 'logon-failure', kerberos: 'wrong-service' });
    expect(out.final.result).toMatchObject({ detail: expect.stringMatching(/WSMAN\/localhost@WPC\.TEST/) });
    expect(out.clientError).toMatchObject({ reason: 'peer-error', detail: { status: NtStatus.LOGON_FAILURE } });
    expect(out.legs).toBe(3);
    expect(srv.mechanism).toBe('kerberos');
  });

  it('refuses an expired ticket (the acceptor clock past the ticket end time plus the skew)', async () => {
    const w = world({ acceptorLagMs: 11 * 3600_000 });
    const out = await exchange(w.client(), w.server());
    expect(out.final.result).toMatchObject({ ok: false, reason: 'logon-failure', kerberos: 'expired' });
  });

  it('keeps NTLM working on a server that also has a Kerberos acceptor', async () => {
    const w = world();
    const srv = w.server();
    const out = await exchange(w.client({ kerberos: undefined, user: 'vagrant', password: 'Vagrant!2024', domain: '' }), srv);
    expect(out.final.result).toEqual({ ok: true, user: 'vagrant', domain: '' });
    expect(srv.mechanism).toBe('ntlm');
  });

  it('puts a raw AP-REQ into a NegTokenInit listing only krb5, and leaves a SPNEGO token alone', async () => {
    const w = world();
    const krb = new KerberosClient({ principal: 'wpc-user@WPC.TEST', password: 'user-pw', kdc: w.kdc.send, service: 'HTTP/localhost', random: seededRandom('x'), now: () => T0 });
    const raw = await krb.initSecContext();
    const init = asSpnegoInit(raw);
    const t = parseNegotiateToken(init);
    expect(t).toMatchObject({ kind: 'neg-token-init', mechTypes: [OID_KERBEROS] });
    expect(t.kind === 'neg-token-init' && hex(t.mechToken!)).toBe(hex(raw));
    expect(asSpnegoInit(init)).toBe(init);
  });
});
