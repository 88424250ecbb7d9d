import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../auth/challenge.ts';
import { DigestClient } from '../auth/digest-client.ts';
import { NtlmHttpInitiator } from '../auth/ntlm-http-initiator.ts';
import { simIdentity } from '../net/index.ts';
import { SeededRandom } from '../net/random.ts';
import { getHeader, getHeaders, request } from '../wire/index.ts';
import { proxied, simRig } from './testing/sim-rig.ts';

const creds = { user: 'pu', password: 'Proxy-Pw-4711' };
const offered = (res: { headers: Array<{ name: string; value: string }> }) => parseChallenges(getHeaders(res.headers, 'proxy-authenticate'));

describe('reference proxy on sim: Digest proxy authentication (RFC 7616)', () => {
  const proxyAuth = { ...creds, schemes: ['digest' as const, 'basic' as const] };

  for (const algorithm of ['SHA-256', 'MD5'] as const) {
    it(`accepts a ${algorithm} response, counts nc, refuses a replay, never forwards the header`, async () => {
      const rig = await simRig({ proxy: { proxyAuth } });
      const c = await rig.client();
      const first = await rig.drive(c.send(proxied(rig.url())));
      expect(first.status).toBe(407);
      expect(offered(first).map((v) => `${v.scheme} ${v.params?.algorithm ?? ''}`.trim())).toEqual(['Digest SHA-256', 'Digest MD5', 'Basic']);
      const d = new DigestClient(creds, new SeededRandom(7));
      expect(d.accept(offered(first).filter((v) => v.params?.algorithm === algorithm))).toBe(true);
      const url = rig.url();
      const value = d.authorization('GET', url);
      expect((await rig.drive(c.send(proxied(url, { headers: [['Proxy-Authorization', value]] })))).status).toBe(200);
      // The same nc again is a replay (RFC 7616 §5.3): 407, nothing forwarded.
      expect((await rig.drive(c.send(proxied(url, { headers: [['Proxy-Authorization', value]] })))).status).toBe(407);
      expect((await rig.drive(c.send(proxied(url, { headers: [['Proxy-Authorization', d.authorization('GET', url)]] })))).status).toBe(200);
      // curl answers with the origin-form of an absolute-form target: the same resource (§3.4.6).
      expect((await rig.drive(c.send(proxied(url, { headers: [['Proxy-Authorization', d.authorization('GET', '/x')]] })))).status).toBe(200);
      expect(rig.origin.seen).toHaveLength(3);
      for (const s of rig.origin.seen) expect(getHeader(s.req.headers, 'proxy-authorization')).toBeUndefined();
    });
  }

  it('a wrong password gets 407 again and no request reaches the server', async () => {
    const rig = await simRig({ proxy: { proxyAuth } });
    const c = await rig.client();
    const first = await rig.drive(c.send(proxied(rig.url())));
    const d = new DigestClient({ user: 'pu', password: 'nope' }, new SeededRandom(7));
    d.accept(offered(first));
    const again = await rig.drive(c.send(proxied(rig.url(), { headers: [['Proxy-Authorization', d.authorization('GET', rig.url())]] })));
    expect(again.status).toBe(407);
    expect(offered(again).some((v) => v.params?.stale === 'true')).toBe(false);
    expect(rig.origin.seen).toHaveLength(0);
  });

  it('an expired nonce gets stale=true; a response for another request-target is refused', async () => {
    const rig = await simRig({ proxy: { proxyAuth } });
    const c = await rig.client();
    const d = new DigestClient(creds, new SeededRandom(7));
    d.accept(offered(await rig.drive(c.send(proxied(rig.url())))));
    expect((await rig.drive(c.send(proxied(rig.url('/a'), { headers: [['Proxy-Authorization', d.authorization('GET', rig.url('/b'))]] })))).status).toBe(407);
    await rig.wait(301_000);
    // The idle client connection was closed meanwhile (300 s): Digest does not depend on it.
    const c2 = await rig.client('c2');
    const stale = await rig.drive(c2.send(proxied(rig.url(), { headers: [['Proxy-Authorization', d.authorization('GET', rig.url())]] })));
    expect(stale.status).toBe(407);
    expect(offered(stale).filter((v) => v.scheme === 'Digest').every((v) => v.params?.stale === 'true')).toBe(true);
    // RFC 7616 §3.3: with stale=true the client retries with the new nonce, without asking the user.
    d.accept(offered(stale));
    expect((await rig.drive(c2.send(proxied(rig.url(), { headers: [['Proxy-Authorization', d.authorization('GET', rig.url())]] })))).status).toBe(200);
  });

  it('answers CONNECT with a Digest over the authority-form target', async () => {
    const rig = await simRig({ proxy: { proxyAuth }, originTls: simIdentity('server') });
    const c = await rig.client();
    const connect = (h: Array<[string, string]>) => request({ method: 'CONNECT', target: rig.authority, headers: [['Host', rig.authority], ...h] });
    const d = new DigestClient(creds, new SeededRandom(3));
    d.accept(offered(await rig.drive(c.send(connect([])))));
    const ok = await rig.drive(c.send(connect([['Proxy-Authorization', d.authorization('CONNECT', rig.authority)]])));
    expect(ok.status).toBe(200);
  });
});

describe('reference proxy on sim: Negotiate / NTLM proxy authentication (RFC 4559, MS-NLMP)', () => {
  const proxyAuth = { ...creds, schemes: ['negotiate' as const, 'ntlm' as const] };

  for (const scheme of ['NTLM', 'Negotiate'] as const) {
    it(`${scheme}: Type1 → 407 Type2 → Type3 → 200; the connection stays authenticated`, async () => {
      const rig = await simRig({ proxy: { proxyAuth } });
      const c = await rig.client();
      const bare = await rig.drive(c.send(proxied(rig.url())));
      expect(bare.status).toBe(407);
      expect(getHeaders(bare.headers, 'proxy-authenticate')).toEqual(['Negotiate', 'NTLM']);
      expect(getHeader(bare.headers, 'proxy-support')).toBe('Session-Based-Authentication');
      const ini = new NtlmHttpInitiator(scheme, creds, new SeededRandom(5));
      const r1 = await rig.drive(c.send(proxied(rig.url(), { headers: [['Proxy-Authorization', ini.start()]] })));
      expect(r1.status).toBe(407);
      const type3 = ini.answer(getHeaders(r1.headers, 'proxy-authenticate'));
      expect(type3).toMatch(new RegExp(`^${scheme} `));
      const r2 = await rig.drive(c.send(proxied(rig.url('/one'), { headers: [['Proxy-Authorization', type3!]] })));
      expect(r2.status).toBe(200);
      const r3 = await rig.drive(c.send(proxied(rig.url('/two'))));
      expect(r3.status).toBe(200);
      expect(rig.origin.seen.map((s) => s.req.target)).toEqual(['/one', '/two']);
      for (const s of rig.origin.seen) expect(getHeader(s.req.headers, 'proxy-authorization')).toBeUndefined();
    });
  }

  it('a Type 3 on another connection is refused; so is a wrong password; nothing reaches the server', async () => {
    const rig = await simRig({ proxy: { proxyAuth } });
    const c1 = await rig.client('c1');
    const c2 = await rig.client('c2');
    const ini = new NtlmHttpInitiator('NTLM', creds, new SeededRandom(5));
    const r1 = await rig.drive(c1.send(proxied(rig.url(), { headers: [['Proxy-Authorization', ini.start()]] })));
    const type3 = ini.answer(getHeaders(r1.headers, 'proxy-authenticate'))!;
    expect((await rig.drive(c2.send(proxied(rig.url(), { headers: [['Proxy-Authorization', type3]] })))).status).toBe(407);
    const wrong = new NtlmHttpInitiator('NTLM', { user: 'pu', password: 'nope' }, new SeededRandom(6));
    const w1 = await rig.drive(c2.send(proxied(rig.url(), { headers: [['Proxy-Authorization', wrong.start()]] })));
    const w3 = wrong.answer(getHeaders(w1.headers, 'proxy-authenticate'))!;
    expect((await rig.drive(c2.send(proxied(rig.url(), { headers: [['Proxy-Authorization', w3]] })))).status).toBe(407);
    expect((await rig.drive(c2.send(proxied(rig.url())))).status).toBe(407);
    expect(rig.origin.seen).toHaveLength(0);
  });

  it('Negotiate on CONNECT opens the tunnel on the connection that did the handshake', async () => {
    const rig = await simRig({ proxy: { proxyAuth }, originTls: simIdentity('server') });
    const c = await rig.client();
    const connect = (h: Array<[string, string]>) => request({ method: 'CONNECT', target: rig.authority, headers: [['Host', rig.authority], ...h] });
    const ini = new NtlmHttpInitiator('Negotiate', creds, new SeededRandom(9));
    const r1 = await rig.drive(c.send(connect([['Proxy-Authorization', ini.start()]])));
    expect(r1.status).toBe(407);
    const ok = await rig.drive(c.send(connect([['Proxy-Authorization', ini.answer(getHeaders(r1.headers, 'proxy-authenticate'))!]])));
    expect(ok.status).toBe(200);
  });

  it('is deterministic on sim: the same seed gives the same challenge bytes', async () => {
    const challenge = async () => {
      const rig = await simRig({ proxy: { proxyAuth: { ...creds, schemes: ['ntlm', 'digest'] } } });
      const c = await rig.client();
      const ini = new NtlmHttpInitiator('NTLM', creds, new SeededRandom(5));
      const r = await rig.drive(c.send(proxied(rig.url(), { headers: [['Proxy-Authorization', ini.start()]] })));
      const d = await rig.drive((await rig.client('c2')).send(proxied(rig.url())));
      return [...getHeaders(r.headers, 'proxy-authenticate'), ...getHeaders(d.headers, 'proxy-authenticate')];
    };
    expect(await challenge()).toEqual(await challenge());
  });
});
