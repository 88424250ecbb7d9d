// The whole Kerberos exchange in-process (simulated KDC, seeded random source, virtual clock):
// deterministic, and the acceptor's refusals each with its reason.
import { describe, expect, it } from 'vitest';
import { hex, utf8 } from '../bytes.ts';
import { buildNegTokenInit, OID_KERBEROS, OID_MS_KERBEROS, OID_NTLMSSP, parseNegotiateToken } from '../spnego.ts';
import { seededRandom } from '../test-support.ts';
import { KerberosAcceptor } from './acceptor.ts';
import { KerberosClient } from './client.ts';
import { unframeGssToken } from './gss-token.ts';
import { parseKeytab } from './keytab.ts';
import { createSimKdc } from './sim-kdc.ts';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

function world(seed = 'krb') {
  const clock = { t: T0 };
  const now = () => clock.t;
  const random = seededRandom(seed);
  const kdc = createSimKdc({
    realm: 'WPC.TEST',
    users: [{ name: 'wpc-user', password: 'user-pw' }],
    services: [
      { name: 'HTTP/localhost', password: 'http-pw' },
      { name: 'WSMAN/localhost', password: 'wsman-pw' },
    ],
    random,
    now,
  });
  const client = (service = 'HTTP/localhost', spnego = false) =>
    new KerberosClient({ principal: 'wpc-user@WPC.TEST', password: 'user-pw', kdc: kdc.send, service, random, now, spnego });
  const acceptor = (services?: string[]) => new KerberosAcceptor({ keytab: kdc.keytab(), random, now, services });
  return { clock, kdc, client, acceptor, random, now };
}

async function established(w = world()) {
  const c = w.client();
  const a = w.acceptor();
  const r = a.accept(await c.initSecContext());
  if (!r.ok) throw new Error(r.reason);
  c.acceptReply(r.reply);
  return { c, r, a, w };
}

describe('Kerberos in the simulator (simulated KDC, seeded random, virtual clock)', () => {
  it('runs AS (preauth asked, then PA-ENC-TIMESTAMP), TGS and AP, and both sides share the context key', async () => {
    const { c, r, w } = await established();
    expect(w.kdc.log).toEqual(['AS-REQ', 'AS-REQ+PA-ENC-TIMESTAMP', 'TGS-REQ']);
    expect(r.ok && r.client).toBe('wpc-user@WPC.TEST');
    expect(hex(c.session.key.value)).toBe(r.ok ? hex(r.session.key.value) : '');
  });

  it('is deterministic: the same seed and clock give the same tokens byte for byte', async () => {
    const run = async (seed: string) => {
      const w = world(seed);
      const c = w.client();
      const token = await c.initSecContext();
      const r = w.acceptor().accept(token);
      if (!r.ok) throw new Error(r.reason);
      return hex(token) + hex(r.reply) + hex(r.session.wrap(utf8('x')));
    };
    expect(await run('same-seed')).toBe(await run('same-seed'));
    expect(await run('other-seed')).not.toBe(await run('same-seed'));
  });

  it('reuses the TGT and service ticket for a second context (no new KDC exchange)', async () => {
    const w = world();
    const c = w.client();
    const a = w.acceptor();
    for (let i = 0; i < 2; i++) {
      w.clock.t += 1000;
      const r = a.accept(await c.initSecContext());
      expect(r.ok).toBe(true);
    }
    expect(w.kdc.log).toEqual(['AS-REQ', 'AS-REQ+PA-ENC-TIMESTAMP', 'TGS-REQ']);
  });

  it('refuses a replayed authenticator', async () => {
    const w = world();
    const token = await w.client().initSecContext();
    const a = w.acceptor();
    expect(a.accept(token).ok).toBe(true);
    expect(a.accept(token)).toMatchObject({ ok: false, code: 'replay', reason: 'authenticator replayed' });
    // A second acceptor has its own replay cache.
    expect(w.acceptor().accept(token).ok).toBe(true);
  });

  it('refuses an expired ticket', async () => {
    const w = world();
    const token = await w.client().initSecContext();
    w.clock.t += 11 * 3600_000;
    expect(w.acceptor().accept(token)).toMatchObject({ ok: false, code: 'expired' });
  });

  it('refuses an authenticator outside the clock skew while the ticket is still valid', async () => {
    const w = world();
    const token = await w.client().initSecContext();
    w.clock.t += 6 * 60_000;
    expect(w.acceptor().accept(token)).toMatchObject({ ok: false, code: 'skew' });
  });

  it('refuses a ticket for another service principal (wrong SPN)', async () => {
    const w = world();
    const token = await w.client('WSMAN/localhost').initSecContext();
    const r = w.acceptor(['HTTP/localhost']).accept(token);
    expect(r).toMatchObject({ ok: false, code: 'wrong-service' });
    expect(!r.ok && r.reason).toContain('ticket is for WSMAN/localhost@WPC.TEST');
  });

  it('refuses a ticket it cannot decrypt (service key changed)', async () => {
    const w = world();
    const token = await w.client().initSecContext();
    const a = new KerberosAcceptor({ keytab: { principal: 'HTTP/localhost@WPC.TEST', password: 'new-password' }, random: w.random, now: w.now });
    expect(a.accept(token)).toMatchObject({ ok: false, code: 'integrity' });
  });

  it('refuses cut, garbled and non-Kerberos tokens as malformed, without throwing', async () => {
    const w = world();
    const token = await w.client().initSecContext();
    const a = w.acceptor();
    for (const bad of [token.subarray(0, token.length - 1), token.subarray(0, 20), new Uint8Array(0), utf8('NTLMSSP\0'), new Uint8Array([0x60, 0x03, 0x06, 0x01, 0x00])]) {
      expect(a.accept(bad)).toMatchObject({ ok: false, code: 'malformed' });
    }
    const flipped = token.slice();
    flipped[flipped.length - 3] ^= 1; // inside the authenticator's HMAC
    expect(a.accept(flipped)).toMatchObject({ ok: false, code: 'integrity' });
  });

  it('accepts SPNEGO NegTokenInit (krb5 first) and answers NegTokenResp accept-completed with the AP-REP', async () => {
    const w = world();
    const c = w.client('HTTP/localhost', true);
    const token = await c.initSecContext();
    expect(parseNegotiateToken(token)).toMatchObject({ kind: 'neg-token-init', mechTypes: [OID_KERBEROS] });
    const r = w.acceptor().accept(token);
    if (!r.ok) throw new Error(r.reason);
    expect(parseNegotiateToken(r.reply)).toMatchObject({ kind: 'neg-token-resp', negState: 'accept-completed', supportedMech: OID_KERBEROS });
    c.acceptReply(r.reply);
    expect(c.session.unwrap(r.session.wrap(utf8('hello')))).toEqual(utf8('hello'));
  });

  it('names the MS Kerberos OID back when the client offered it first (Windows style)', async () => {
    const w = world();
    const raw = await w.client().initSecContext();
    const r = w.acceptor().accept(buildNegTokenInit([OID_MS_KERBEROS, OID_KERBEROS, OID_NTLMSSP], raw));
    expect(r.ok && parseNegotiateToken(r.reply)).toMatchObject({ supportedMech: OID_MS_KERBEROS });
  });

  it('refuses SPNEGO that prefers NTLM (no optimistic Kerberos token to take)', async () => {
    const w = world();
    const raw = await w.client().initSecContext();
    expect(w.acceptor().accept(buildNegTokenInit([OID_NTLMSSP, OID_KERBEROS], raw))).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('the client refuses an AP-REP that is not for its authenticator (mutual authentication)', async () => {
    const w = world();
    const c1 = w.client();
    const c2 = w.client();
    const a = w.acceptor();
    await c1.initSecContext();
    w.clock.t += 2000;
    const r2 = a.accept(await c2.initSecContext());
    if (!r2.ok) throw new Error(r2.reason);
    // c1 and c2 have different service tickets (separate TGS exchanges), so the AP-REP fails to decrypt.
    expect(() => c1.acceptReply(r2.reply)).toThrow(/AP-REP/);
    expect(c1.complete).toBe(false);
    expect(() => c1.session).toThrow(/not established/);
    expect(unframeGssToken(r2.reply).tokId).toBe(0x0200);
  });
});

describe('RFC 4121 wrap tokens on an established context', () => {
  it('round-trip sealed and integrity-only, any rotation, both directions', async () => {
    const { c, r } = await established();
    if (!r.ok) throw new Error();
    for (const conf of [true, false]) {
      for (const rrc of [0, 12, 28, 1000]) {
        const m = utf8(`conf=${conf} rrc=${rrc}`);
        expect(r.session.unwrap(c.session.wrap(m, { conf, rrc }))).toEqual(m);
        expect(c.session.unwrap(r.session.wrap(m, { conf, rrc }))).toEqual(m);
      }
    }
    expect(r.session.unwrap(c.session.wrap(new Uint8Array(0)))).toEqual(new Uint8Array(0));
  });

  it('sealed tokens hide the plaintext; the header says sealed, acceptor subkey, direction', async () => {
    const { c, r } = await established();
    if (!r.ok) throw new Error();
    const secret = utf8('secret-secret-secret');
    const t = c.session.wrap(secret);
    expect(Buffer.from(t).includes(Buffer.from(secret))).toBe(false);
    expect([...t.subarray(0, 4)]).toEqual([0x05, 0x04, 0x06, 0xff]); // Sealed | AcceptorSubkey, from the initiator
    expect(r.session.wrap(secret)[2]).toBe(0x07); // + SentByAcceptor
  });

  it('rejects tampering, replay, reordering and reflection', async () => {
    const { c, r } = await established();
    if (!r.ok) throw new Error();
    const t1 = c.session.wrap(utf8('one'));
    const t2 = c.session.wrap(utf8('two'));
    const bad = t1.slice();
    bad[bad.length - 1] ^= 1;
    expect(() => r.session.unwrap(bad)).toThrow(/integrity/);
    expect(() => r.session.unwrap(t2)).toThrow(/sequence/); // t1 not seen yet
    expect(r.session.unwrap(t1)).toEqual(utf8('one'));
    expect(() => r.session.unwrap(t1)).toThrow(/sequence/); // replay
    expect(r.session.unwrap(t2)).toEqual(utf8('two'));
    expect(() => c.session.unwrap(c.session.wrap(utf8('me')))).toThrow(/direction/); // reflected
    expect(() => r.session.unwrap(t1.subarray(0, 10))).toThrow(/shorter/);
  });
});

describe('keytabs', () => {
  it('the simulated KDC keytab parses to AES keys for each service', () => {
    const entries = parseKeytab(world().kdc.keytab());
    expect(entries.map((e) => `${e.principal} ${e.key.etype} ${e.kvno}`)).toEqual([
      'HTTP/localhost@WPC.TEST 18 1',
      'HTTP/localhost@WPC.TEST 17 1',
      'WSMAN/localhost@WPC.TEST 18 1',
      'WSMAN/localhost@WPC.TEST 17 1',
    ]);
  });

  it('refuses a file that is not a keytab', () => {
    expect(() => parseKeytab(utf8('hello'))).toThrow(/keytab/);
    expect(() => parseKeytab(new Uint8Array([5, 2, 0, 0, 0, 50, 0]))).toThrow(/runs past/);
  });
});
