// The server's authentication over HTTP (PROTOCOL.md, MS-NTHT, RFC 4559) on sim, driven by
// raw HTTP bytes and the harness's NtlmClient.

import { describe, expect, it } from 'vitest';
import { NtlmClient } from '../auth/ntlm/client.ts';
import { extractNtlm, parseNegotiateToken, wrapInitiatorToken } from '../auth/spnego.ts';
import { getHeader, getHeaders } from '../wire/index.ts';
import { identify } from '../wsman/index.ts';
import { HOST, USER, onSim } from './test-fixture.ts';
import { SOAP_CT, authenticate, b64, negotiateToken } from './test-winrm.ts';

const kinds = (entries: readonly { kind: string }[]): string[] => entries.map((e) => e.kind);

describe('server authentication', () => {
  it('answers a request without Authorization with 401, Content-Length 0 and one WWW-Authenticate per scheme', async () => {
    const res = await onSim(
      async (f) => {
        const http = await f.open();
        return http.post([['Content-Type', SOAP_CT]], '<x/>');
      },
      { auth: ['negotiate', 'basic'], allowUnencrypted: true, extraChallenges: ['Kerberos'] },
    );
    expect(res.status).toBe(401);
    expect(getHeader(res.headers, 'content-length')).toBe('0');
    expect(getHeaders(res.headers, 'www-authenticate')).toEqual(['Negotiate', 'Basic realm="WSMAN"', 'Kerberos']);
  });

  it('offers Negotiate alone by default and audits the answer as a challenge', async () => {
    const { res, audit } = await onSim(async (f) => {
      const http = await f.open();
      const res = await http.post([]);
      return { res, audit: f.server.audit.entries };
    });
    expect(getHeaders(res.headers, 'www-authenticate')).toEqual(['Negotiate']);
    expect(audit.map((e) => [e.kind, e.status, e.requestLine])).toEqual([['challenge', 401, 'POST /wsman HTTP/1.1']]);
  });

  it('answers an anonymous Identify only with WSMANIDENTIFY: unauthenticated', async () => {
    const { anon, plain, audit } = await onSim(async (f) => {
      const http = await f.open();
      const anon = await http.post([['Content-Type', SOAP_CT], ['WSMANIDENTIFY', 'unauthenticated']], identify());
      const plain = await http.post([['Content-Type', SOAP_CT]], identify());
      return { anon, plain, audit: f.server.audit.entries };
    });
    expect(anon.status).toBe(200);
    expect(new TextDecoder().decode(anon.body)).toContain('IdentifyResponse');
    expect(plain.status).toBe(401);
    expect(kinds(audit)).toEqual(['anonymous-identify', 'challenge']);
  });

  it('completes Type1 → 401 Type2 → Type3 → 200 on one connection, empty bodies as pywinrm', async () => {
    const { legs, audit } = await onSim(async (f) => {
      const http = await f.open();
      const { legs } = await authenticate(http, { ...USER, random: f.random });
      return { legs, audit: f.server.audit.entries };
    });
    expect(legs.map((r) => r.status)).toEqual([401, 200]);
    expect(legs[1].body.length).toBe(0);
    expect(kinds(audit)).toEqual(['auth-leg', 'auth-complete']);
    expect(audit[1]).toMatchObject({ identity: 'WINRM-SIM\\alice', scheme: 'negotiate', mechanism: 'NTLM (raw NTLMSSP token)', status: 200 });
  });

  it('refuses a Type3 sent on a connection other than the one that got the Type2', async () => {
    const { res, audit } = await onSim(async (f) => {
      const a = await f.open();
      const b = await f.open();
      const client = new NtlmClient({ ...USER, random: f.random });
      const r1 = await a.post([['Authorization', `Negotiate ${b64(client.negotiate())}`]]);
      const type3 = client.authenticate(negotiateToken(r1));
      const res = await b.post([['Authorization', `Negotiate ${b64(type3)}`]]);
      return { res, audit: f.server.audit.entries };
    });
    expect(res.status).toBe(401);
    expect(getHeaders(res.headers, 'www-authenticate')).toEqual(['Negotiate']);
    expect(audit[1].kind).toBe('auth-failed');
    expect(audit[1].reason).toMatch(/no challenge/);
    expect(audit[0].conn).not.toBe(audit[1].conn);
  });

  it('answers a wrong password with 401 and a fresh challenge list, and leaves the connection unauthenticated', async () => {
    const { legs, after, audit } = await onSim(async (f) => {
      const http = await f.open();
      const { legs } = await authenticate(http, { user: USER.user, password: 'wrong', random: f.random });
      const after = await http.post([['Content-Type', SOAP_CT]], '<x/>');
      return { legs, after, audit: f.server.audit.entries };
    });
    expect(legs[1].status).toBe(401);
    expect(getHeaders(legs[1].headers, 'www-authenticate')).toEqual(['Negotiate']);
    expect(after.status).toBe(401);
    expect(kinds(audit)).toEqual(['auth-leg', 'auth-failed', 'challenge']);
    expect(audit[1].reason).toMatch(/wrong-response/);
    expect(JSON.stringify(audit)).not.toContain(USER.password);
  });

  it('answers garbage and truncated tokens with 401, audited, and keeps serving', async () => {
    const { statuses, audit, ok } = await onSim(async (f) => {
      const http = await f.open();
      const client = new NtlmClient({ ...USER, random: f.random });
      const r1 = await http.post([['Authorization', `Negotiate ${b64(client.negotiate())}`]]);
      const type3 = client.authenticate(negotiateToken(r1));
      const statuses: number[] = [];
      for (const v of ['Negotiate !!!not-base64', 'Negotiate AAAA', `Negotiate ${b64(type3.subarray(0, 40))}`, 'Negotiate', 'Bearer xyz']) {
        statuses.push((await http.post([['Authorization', v]])).status);
      }
      // The server still completes a proper handshake on a new connection.
      const fresh = await f.open();
      const { legs } = await authenticate(fresh, { ...USER, random: f.random });
      return { statuses, audit: f.server.audit.entries, ok: legs[1].status };
    });
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(kinds(audit).slice(1, 6)).toEqual(['auth-failed', 'auth-failed', 'auth-failed', 'auth-failed', 'auth-failed']);
    for (const e of audit.slice(1, 6)) expect(e.reason).toBeTruthy();
    expect(ok).toBe(200);
  });

  it('takes Basic only when offered, and over HTTP only with AllowUnencrypted', async () => {
    const basic = `Basic ${Buffer.from(`${USER.user}:${USER.password}`).toString('base64')}`;
    const run = (auth: Array<'negotiate' | 'basic'>, allowUnencrypted: boolean, tls: boolean) =>
      onSim(
        async (f) => {
          const http = await f.open(tls);
          const res = await http.post([['Authorization', basic], ['Content-Type', SOAP_CT]], identify({ messageId: 'uuid:1', to: `http://${HOST}/wsman` }));
          return { status: res.status, audit: f.server.audit.entries[0] };
        },
        { auth, allowUnencrypted },
      );
    const notOffered = await run(['negotiate'], true, false);
    expect(notOffered.status).toBe(401);
    expect(notOffered.audit.kind).toBe('auth-failed');
    const httpRefused = await run(['negotiate', 'basic'], false, false);
    expect(httpRefused.status).toBe(401);
    expect(httpRefused.audit.reason).toMatch(/AllowUnencrypted/);
    const https = await run(['negotiate', 'basic'], false, true);
    expect(https.status).toBe(200);
    expect(https.audit).toMatchObject({ kind: 'wsman', scheme: 'basic', identity: 'WINRM-SIM\\alice', action: 'Identify', listener: 'https' });
    const httpAllowed = await run(['basic'], true, false);
    expect(httpAllowed.status).toBe(200);
    const wrong = await onSim(
      async (f) => {
        const http = await f.open(true);
        return (await http.post([['Authorization', `Basic ${Buffer.from('alice:nope').toString('base64')}`]])).status;
      },
      { auth: ['basic'] },
    );
    expect(wrong).toBe(401);
  });

  it('answers SPNEGO-wrapped NTLM in SPNEGO (accept-incomplete with the Type2, then accept-completed on the 200)', async () => {
    const r = await onSim(async (f) => {
      const http = await f.open();
      const client = new NtlmClient({ ...USER, random: f.random });
      const r1 = await http.post([['Authorization', `Negotiate ${b64(wrapInitiatorToken('spnego', client.negotiate(), true))}`]]);
      const answer1 = parseNegotiateToken(negotiateToken(r1));
      const type2 = extractNtlm(answer1).ntlm!;
      const r2 = await http.post([['Authorization', `Negotiate ${b64(wrapInitiatorToken('spnego', client.authenticate(type2), false))}`]]);
      const notes = f.net.trace.events.filter((e) => e.kind === 'note').map((e) => (e as { text: string }).text);
      return { r1, answer1, r2, answer2: parseNegotiateToken(negotiateToken(r2)), audit: f.server.audit.entries, notes };
    });
    expect(r.r1.status).toBe(401);
    expect(r.answer1).toMatchObject({ kind: 'neg-token-resp', negState: 'accept-incomplete' });
    expect(r.r2.status).toBe(200);
    expect(r.answer2).toMatchObject({ kind: 'neg-token-resp', negState: 'accept-completed' });
    expect(kinds(r.audit)).toEqual(['auth-leg', 'auth-complete']);
    // Which mechanism ran is recorded in the audit log and in the Trace.
    expect(r.audit[1].mechanism).toBe('NTLM in SPNEGO');
    expect(r.notes).toContain('authenticated WINRM-SIM\\alice by negotiate / NTLM in SPNEGO');
  });
});
