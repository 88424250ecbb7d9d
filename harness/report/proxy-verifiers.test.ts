import { describe, expect, it } from 'vitest';
import { DigestClient } from '../auth/digest-client.ts';
import { parseChallenges } from '../auth/challenge.ts';
import { formatDigestChallenge } from '../auth/digest.ts';
import { NtlmHttpInitiator } from '../auth/ntlm-http-initiator.ts';
import { NtlmServer } from '../auth/ntlm/server.ts';
import { userDb } from '../auth/ntlm/user-db.ts';
import { SeededRandom } from '../net/random.ts';
import { proxyVerifier } from './proxy-verifiers.ts';
import { redactReport, redactSecrets } from './redact.ts';
import { makeCase, makeReport } from './sample.ts';
import type { ReportTraceEvent } from './types.ts';

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

  it('redacts one Digest response per request in a long run, each as written, without pairing them (a run with hundreds of them once hung the report writer)', () => {
    const d = new DigestClient({ user: 'pu', password: 'Proxy-Pw-1' }, new SeededRandom(4));
    d.accept(parseChallenges([formatDigestChallenge({ realm: 'wpc', nonce: 'n', opaque: 'o', algorithm: 'SHA-256' })]));
    const values = Array.from({ length: 400 }, (_, i) => d.authorization('POST', `http://h:1/wsman?${i}`));
    const trace: ReportTraceEvent[] = values.map((value, i) => ({ seq: i, t: i, kind: 'message', conn: 'c1', actor: 'client#1', dir: 'out', startLine: 'POST http://h:1/wsman HTTP/1.1', headers: [['Proxy-Authorization', value]], bodyLength: 0 }) as unknown as ReportTraceEvent);
    const big = Buffer.alloc(1 << 20, 0x41);
    trace.push({ seq: 400, t: 400, kind: 'data', conn: 'c1', from: 'client#1', length: big.length, base64: big.toString('base64'), truncated: false } as unknown as ReportTraceEvent);
    const out = redactReport(makeReport([makeCase({ id: 'https.3', status: 'pass', trace })]), ['Proxy-Pw-1']);
    const text = JSON.stringify(out);
    for (const v of values) expect(text).not.toContain(proxyVerifier(v)!);
    const headers = out.cases[0].trace.flatMap((e) => (e.kind === 'message' ? (e as unknown as { headers: [string, string][] }).headers : []));
    expect(headers.filter(([, v]) => v.includes('response="[redacted]"'))).toHaveLength(400);
  });
});
