import { describe, expect, it } from 'vitest';
import { hex } from '../bytes.ts';
import { FIXED_FILETIME, seededRandom } from '../test-support.ts';
import { decodeAuthenticate, encodeAuthenticate } from './authenticate-message.ts';
import { decodeChallenge } from './challenge-message.ts';
import { NtlmClient } from './client.ts';
import { AvId, findAvString, findAvTimestamp } from './av-pairs.ts';
import { describeFlags, NegotiateFlags } from './flags.ts';
import { encodeNegotiate } from './negotiate-message.ts';
import { NtlmServer } from './server.ts';
import { userDb } from './user-db.ts';

const users = userDb([
  { user: 'Administrator', password: 'Secr3t!' },
  { user: 'alice', password: 'wonderland', domain: 'CORP' },
]);
const now = () => FIXED_FILETIME;

function server(seed = 's') {
  return new NtlmServer({ users, random: seededRandom(seed), nowFiletime: now, computerName: 'WIN-SRV', domain: 'CORP', dnsDomain: 'corp.example' });
}
function client(opts: Partial<ConstructorParameters<typeof NtlmClient>[0]> = {}, seed = 'c') {
  return new NtlmClient({ user: 'Administrator', password: 'Secr3t!', random: seededRandom(seed), ...opts });
}

describe('NtlmClient ↔ NtlmServer (MS-NLMP §3.1, §3.2)', () => {
  it('authenticates, and both sides derive keys that seal/unseal each other', () => {
    const s = server();
    const c = client();
    const r = s.acceptAuthenticate(c.authenticate(s.acceptNegotiate(c.negotiate())));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.user).toBe('Administrator');
    const a = c.session.seal(new TextEncoder().encode('<s:Envelope/>'));
    expect(new TextDecoder().decode(r.session.unseal(a.sealed, a.signature))).toBe('<s:Envelope/>');
    const b = r.session.seal(new TextEncoder().encode('reply'));
    expect(new TextDecoder().decode(c.session.unseal(b.sealed, b.signature))).toBe('reply');
  });

  it('issues a Type 2 with the TargetInfo AV pairs and the clock’s timestamp', () => {
    const t2 = decodeChallenge(server().acceptNegotiate(client().negotiate()));
    expect(findAvString(t2.targetInfo, AvId.MsvAvNbDomainName)).toBe('CORP');
    expect(findAvString(t2.targetInfo, AvId.MsvAvNbComputerName)).toBe('WIN-SRV');
    expect(findAvString(t2.targetInfo, AvId.MsvAvDnsDomainName)).toBe('corp.example');
    expect(findAvString(t2.targetInfo, AvId.MsvAvDnsComputerName)).toBe('win-srv.corp.example');
    expect(findAvTimestamp(t2.targetInfo)).toBe(FIXED_FILETIME);
    expect(describeFlags(t2.flags)).toEqual(expect.arrayContaining(['NEGOTIATE_UNICODE', 'NEGOTIATE_KEY_EXCH', 'NEGOTIATE_SEAL', 'NEGOTIATE_TARGET_INFO']));
  });

  it('answers an OEM-only Type 1 (requests-ntlm 0xe2889032) in OEM and accepts OEM Type 3 strings', () => {
    const s = server();
    const c = client({ flags: 0xe2889032, domain: 'CORP', user: 'alice', password: 'wonderland' });
    const t2 = s.acceptNegotiate(c.negotiate());
    const flags2 = decodeChallenge(t2).flags;
    expect(flags2 & NegotiateFlags.NEGOTIATE_UNICODE).toBe(0);
    expect(flags2 & NegotiateFlags.NEGOTIATE_OEM).toBe(NegotiateFlags.NEGOTIATE_OEM);
    const t3 = c.authenticate(t2);
    expect(new TextDecoder().decode(t3).includes('alice')).toBe(true); // one byte per character
    const r = s.acceptAuthenticate(t3);
    expect(r).toMatchObject({ ok: true, user: 'alice', domain: 'CORP' });
  });

  it('matches the user name case-insensitively', () => {
    const s = server();
    const c = client({ user: 'ADMINISTRATOR' });
    expect(s.acceptAuthenticate(c.authenticate(s.acceptNegotiate(c.negotiate())))).toMatchObject({ ok: true });
  });

  it('sends and verifies a MIC (MsvAvFlags MIC_PROVIDED) because the server sent a timestamp', () => {
    const s = server();
    const c = client();
    const t3 = c.authenticate(s.acceptNegotiate(c.negotiate()));
    expect(decodeAuthenticate(t3).mic).toBeDefined();
    const bad = t3.slice();
    bad[75] ^= 0xff; // inside the MIC
    expect(s.acceptAuthenticate(bad)).toMatchObject({ ok: false, reason: 'bad-mic' });
  });

  it('rejects a wrong password with wrong-response', () => {
    const s = server();
    const c = client({ password: 'nope' });
    expect(s.acceptAuthenticate(c.authenticate(s.acceptNegotiate(c.negotiate())))).toMatchObject({ ok: false, reason: 'wrong-response' });
  });

  it("answers Squid 5.7's ntlm_fake_auth Type 2 (no TargetInfoFields, garbage TargetName offset) with the client's clock", () => {
    // Observed on the wire: 40-byte header, TargetName {9, 9, 0xaaaaaaae}, "WORKGROUP" at 40.
    const squid = Buffer.from('TlRMTVNTUAACAAAACQAJAK6qqqo1gojiUiBtGFgklG4AAAAAAAA6AFdPUktHUk9VUA==', 'base64');
    const c = decodeChallenge(squid);
    expect(c).toMatchObject({ targetName: '', targetInfo: [], ignored: ['TargetName', 'TargetInfo'] });
    const noClock = client();
    noClock.negotiate();
    expect(() => noClock.authenticate(squid)).toThrow(/MsvAvTimestamp/);
    const withClock = new NtlmClient({ user: 'alice', password: 'pw', random: seededRandom('c'), nowFiletime: () => FIXED_FILETIME });
    withClock.negotiate();
    expect(decodeAuthenticate(withClock.authenticate(squid)).user).toBe('alice');
  });

  it('rejects an unknown user and a user outside its domain', () => {
    const s1 = server();
    const c1 = client({ user: 'mallory' });
    expect(s1.acceptAuthenticate(c1.authenticate(s1.acceptNegotiate(c1.negotiate())))).toMatchObject({ ok: false, reason: 'unknown-user' });
    const s2 = server();
    const c2 = client({ user: 'alice', password: 'wonderland', domain: 'OTHER' });
    expect(s2.acceptAuthenticate(c2.authenticate(s2.acceptNegotiate(c2.negotiate())))).toMatchObject({ ok: false, reason: 'unknown-user' });
  });

  it('binds Type 3 to this instance’s challenge: an answer to another connection’s Type 2 fails', () => {
    const s1 = server('one');
    const s2 = server('two');
    const c = client();
    const t1 = c.negotiate();
    s1.acceptNegotiate(t1);
    const t3 = c.authenticate(s2.acceptNegotiate(t1));
    expect(s1.acceptAuthenticate(t3)).toMatchObject({ ok: false, reason: 'wrong-response' });
  });

  it('refuses Type 3 before Type 2, a second Type 1, and anything after completion', () => {
    const s = server();
    const c = client();
    expect(s.acceptAuthenticate(new Uint8Array(100))).toMatchObject({ ok: false, reason: 'out-of-order' });
    const t2 = s.acceptNegotiate(c.negotiate());
    expect(() => s.acceptNegotiate(encodeNegotiate({ flags: 0xe2888235 }))).toThrow(/already/);
    const t3 = c.authenticate(t2);
    expect(s.acceptAuthenticate(t3).ok).toBe(true);
    expect(s.acceptAuthenticate(t3)).toMatchObject({ ok: false, reason: 'out-of-order' });
  });

  it('treats a Type 1 arriving where Type 3 is expected as out-of-order', () => {
    const s = server();
    s.acceptNegotiate(client().negotiate());
    expect(s.acceptAuthenticate(encodeNegotiate({ flags: 0xe2888235 }))).toMatchObject({ ok: false, reason: 'out-of-order' });
  });

  it('never throws on truncated or garbage Type 3 (every prefix of a valid one)', () => {
    const c = client();
    const s0 = server();
    const t3 = c.authenticate(s0.acceptNegotiate(c.negotiate()));
    for (let n = 0; n < t3.length; n++) {
      const s = server();
      s.acceptNegotiate(client().negotiate());
      const r = s.acceptAuthenticate(t3.subarray(0, n));
      expect(r.ok).toBe(false);
    }
  });

  it('refuses NTLMv1 and anonymous responses', () => {
    const s = server();
    s.acceptNegotiate(client().negotiate());
    const base = { flags: 0xe2888235, domain: '', workstation: '', encryptedRandomSessionKey: new Uint8Array(0) };
    expect(s.acceptAuthenticate(encodeAuthenticate({ ...base, user: 'Administrator', lmChallengeResponse: new Uint8Array(24), ntChallengeResponse: new Uint8Array(24) }))).toMatchObject({ reason: 'ntlmv1' });
    const s2 = server();
    s2.acceptNegotiate(client().negotiate());
    expect(s2.acceptAuthenticate(encodeAuthenticate({ ...base, user: '', lmChallengeResponse: new Uint8Array(1), ntChallengeResponse: new Uint8Array(0) }))).toMatchObject({ reason: 'anonymous' });
  });

  it('rejects a Type 3 that claims KEY_EXCH the Type 2 did not offer', () => {
    const s = server();
    const c = client({ flags: 0xe2888235 & ~NegotiateFlags.NEGOTIATE_KEY_EXCH });
    const t3 = c.authenticate(s.acceptNegotiate(c.negotiate()));
    const m = decodeAuthenticate(t3);
    const forged = encodeAuthenticate({ ...m, flags: m.flags | NegotiateFlags.NEGOTIATE_KEY_EXCH, encryptedRandomSessionKey: new Uint8Array(16) });
    expect(s.acceptAuthenticate(forged)).toMatchObject({ ok: false, reason: 'flags-mismatch' });
  });

  it('works without KEY_EXCH (ExportedSessionKey = KeyExchangeKey)', () => {
    const s = server();
    const c = client({ flags: 0xe2888235 & ~NegotiateFlags.NEGOTIATE_KEY_EXCH });
    const r = s.acceptAuthenticate(c.authenticate(s.acceptNegotiate(c.negotiate())));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = c.session.seal(new Uint8Array([1, 2, 3]));
    expect(hex(r.session.unseal(a.sealed, a.signature))).toBe('010203');
  });

  it('is deterministic for a given seed (no hidden randomness or clock)', () => {
    const run = () => {
      const s = server('x');
      const c = client({}, 'y');
      const t2 = s.acceptNegotiate(c.negotiate());
      return hex(t2) + hex(c.authenticate(t2));
    };
    expect(run()).toBe(run());
  });

  it('keeps secrets out of rejection details', () => {
    const s = server();
    const c = client({ password: 'hunter2-is-secret' });
    const r = s.acceptAuthenticate(c.authenticate(s.acceptNegotiate(c.negotiate())));
    expect(JSON.stringify(r)).not.toMatch(/hunter2|Secr3t/);
  });
});
