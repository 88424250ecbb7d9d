import { describe, expect, it } from 'vitest';
import { REDACTED, redactBytes, redactReport, redactSecrets, redactUrl } from './redact.ts';
import { makeCase, makeReport } from './sample.ts';

const PW = 'Tr0ub4dor&3';

describe('redactSecrets', () => {
  it('replaces the secret in clear, URL-encoded, base64 and UTF-16LE forms', () => {
    const b64 = Buffer.from(PW).toString('base64');
    const u16 = Buffer.from(PW, 'utf16le').toString('base64');
    const text = `pw=${PW} url=${encodeURIComponent(PW)} b64=${b64} u16=${u16}`;
    const out = redactSecrets(text, [PW]);
    expect(out).toBe(`pw=${REDACTED} url=${REDACTED} b64=${REDACTED} u16=${REDACTED}`);
  });

  it('finds the base64 of a secret inside a longer base64 text at every byte alignment', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', 'abcd']) {
      const b64 = Buffer.from(`${prefix}${PW}and more`).toString('base64');
      const out = redactSecrets(b64, [PW]);
      expect(out, `prefix '${prefix}'`).toContain(REDACTED);
    }
  });

  it('redacts the Basic form of a credential pair, and of two listed secrets', () => {
    const basic = Buffer.from(`alice:${PW}`).toString('base64');
    expect(redactSecrets(`Proxy-Authorization: Basic ${basic}`, [{ user: 'alice', password: PW }])).toBe(
      `Proxy-Authorization: Basic ${REDACTED}`,
    );
    expect(redactSecrets(`Authorization: Basic ${basic}`, ['alice', PW])).toBe(`Authorization: Basic ${REDACTED}`);
  });

  it('leaves text without secrets unchanged', () => {
    expect(redactSecrets('POST /wsman HTTP/1.1', [PW, { user: 'u', password: 'p4ssword' }])).toBe('POST /wsman HTTP/1.1');
  });
});

describe('redactBytes', () => {
  it('replaces UTF-8 and UTF-16LE occurrences', () => {
    const bytes = Buffer.concat([Buffer.from('a'), Buffer.from(PW), Buffer.from('b'), Buffer.from(PW, 'utf16le')]);
    expect(redactBytes(bytes, [PW]).toString('latin1')).toBe(`a${REDACTED}b${REDACTED}`);
  });

  it('redacts a secret prefix at the end of a cut payload', () => {
    expect(redactBytes(Buffer.from(`abc${PW.slice(0, 5)}`), [PW], { truncated: true }).toString()).toBe(`abc${REDACTED}`);
  });
});

describe('redactUrl', () => {
  it('removes userinfo and keeps the rest as written', () => {
    expect(redactUrl('http://bob:s%40cret@proxy.example:3128')).toBe('http://proxy.example:3128');
    expect(redactUrl('https://bob@10.0.0.1:8080/x?y=1')).toBe('https://10.0.0.1:8080/x?y=1');
    expect(redactUrl('http://127.0.0.1:3128')).toBe('http://127.0.0.1:3128');
  });
});

describe('redactReport', () => {
  it("treats the proxy URL's userinfo credential as a secret even when not listed", () => {
    const basic = Buffer.from('bob:p@ss:word').toString('base64');
    const report = makeReport([makeCase({ id: 'http.8', reason: `saw Basic ${basic} and p@ss:word` })], {
      proxy: { url: 'http://bob:p%40ss%3Aword@127.0.0.1:1', requiresAuth: true },
    });
    const out = redactReport(report, []);
    expect(out.cases[0].reason).toBe(`saw Basic ${REDACTED} and ${REDACTED}`);
    expect(out.proxy.url).toBe('http://127.0.0.1:1');
  });

  it('does not modify its input and redacts nested evidence and keys', () => {
    const report = makeReport([makeCase({ id: 'http.8', reason: `saw ${PW}`, evidence: { nested: [{ [PW]: PW }] } })], {
      proxy: { url: `http://u:${PW}@127.0.0.1:1`, requiresAuth: true },
    });
    const out = redactReport(report, [PW]);
    expect(JSON.stringify(out)).not.toContain(PW);
    expect(out.proxy.url).toBe('http://127.0.0.1:1');
    expect(out.cases[0].evidence).toEqual({ nested: [{ [REDACTED]: REDACTED }] });
    expect(report.cases[0].reason).toBe(`saw ${PW}`);
  });
});
