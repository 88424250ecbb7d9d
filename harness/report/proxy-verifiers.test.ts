import { describe, expect, it } from 'vitest';
import { DigestClient } from '../auth/digest-client.ts';
import { parseChallenges } from '../auth/challenge.ts';
import { formatDigestChallenge } from '../auth/digest.ts';
import { NtlmHttpInitiator } from '../auth/ntlm-http-initiator.ts';
import { NtlmServer } from '../auth/ntlm/server.ts';
import { userDb } from '../auth/ntlm/user-db.ts';
import { SeededRandom } from '../net/random.ts';
import { proxyVerifier } from './proxy-verifiers.ts';
import { redactSecrets } from './redact.ts';

describe('proxy password verifiers in reports', () => {
  it('finds a Digest response and redacts it wherever it appears', () => {
    const d = new DigestClient({ user: 'pu', password: 'Proxy-Pw-1' }, new SeededRandom(1));
    d.accept(parseChallenges([formatDigestChallenge({ realm: 'wpc', nonce: 'n', opaque: 'o', algorithm: 'SHA-256' })]));
    const value = d.authorization('CONNECT', 'h:1');
    const v = proxyVerifier(value)!;
    expect(v).toMatch(/^[0-9a-f]{64}$/);
    expect(redactSecrets(`Proxy-Authorization: ${value}`, [v])).toContain('response="[redacted]"');
  });

  it('finds an NTLM Type 3 (raw and SPNEGO), not a Type 1; Basic is left to the password forms', () => {
    for (const scheme of ['NTLM', 'Negotiate'] as const) {
      const ini = new NtlmHttpInitiator(scheme, { user: 'pu', password: 'Proxy-Pw-1' }, new SeededRandom(2));
      const type1 = ini.start();
      expect(proxyVerifier(type1)).toBeUndefined();
      const server = new NtlmServer({ users: userDb([{ user: 'pu', password: 'Proxy-Pw-1' }]), random: new SeededRandom(3), nowFiletime: () => 133_000_000_000_000_000n });
      const raw = new NtlmHttpInitiator('NTLM', { user: 'pu', password: 'Proxy-Pw-1' }, new SeededRandom(2));
      const type2 = server.acceptNegotiate(Buffer.from(raw.start().slice(5), 'base64'));
      const type3 = ini.answer([`${scheme} ${Buffer.from(type2).toString('base64')}`])!;
      expect(proxyVerifier(type3)).toBe(type3.slice(scheme.length + 1));
    }
    expect(proxyVerifier('Basic cHU6cA==')).toBeUndefined();
  });
});
