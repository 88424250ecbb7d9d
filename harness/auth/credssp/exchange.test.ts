// Full CredSSP exchanges client ↔ server in memory over node:tls (MS-CSSP §3.1.5).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TlsIdentity } from '../../net/types.ts';
import { CredSspError, NtStatus } from './errors.ts';
import { nodeTls } from './node-tls.ts';
import type { CredSspServer } from './server.ts';
import { exchange, makeClient, makeServer, testIdentities } from './test-support.ts';
import { CredSspTls } from './tls-channel.ts';
import { decodeTsRequest, encodeTsRequest } from './ts-request.ts';

/** A bare TLS client that completes the handshake with `srv` and stops there. */
async function handshakeWith(srv: CredSspServer): Promise<CredSspTls> {
  const peer = new CredSspTls(nodeTls().client());
  await peer.engine.start();
  let t = peer.engine.takeOutput();
  for (let leg = 0; !peer.established && leg < 4; leg++) {
    const r = await srv.step(t);
    await peer.engine.receive(r.token!);
    t = peer.engine.takeOutput();
  }
  return peer;
}

let ids: { server: TlsIdentity; mitm: TlsIdentity };
beforeAll(async () => {
  ids = await testIdentities();
});

const servers: CredSspServer[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});
function server(...args: Parameters<typeof makeServer> extends [unknown, ...infer R] ? R : never) {
  const s = makeServer(ids.server, ...args);
  servers.push(s);
  return s;
}

describe('CredSSP exchange', () => {
  it('authenticates in five round trips over TLS 1.2 and tells the server who logged on', async () => {
    const client = makeClient();
    const srv = server();
    const out = await exchange(client, srv);
    expect(out.clientError).toBeUndefined();
    expect(out.legs).toBe(5);
    expect(client.legs).toBe(5);
    expect(srv.legs).toBe(5);
    expect(out.final).toEqual({ done: true, result: { ok: true, user: 'vagrant', domain: '' } });
    expect(client.done).toBe(true);
    expect(client.negotiatedVersion).toBe(6);
    expect(client.tls.cipher().version).toBe('TLSv1.2');
  });

  it('leaves both sides holding one TLS session: what one wraps the other unwraps, both ways', async () => {
    const client = makeClient();
    const srv = server();
    await exchange(client, srv);
    const up = new TextEncoder().encode('<s:Envelope>request</s:Envelope>');
    expect(await srv.tls.unwrap(await client.tls.wrap(up))).toEqual(up);
    const down = new TextEncoder().encode('<s:Envelope>response</s:Envelope>');
    expect(await client.tls.unwrap(await srv.tls.wrap(down))).toEqual(down);
    expect(client.tls.cipher()).toEqual(srv.tls.cipher());
  });

  it('works with SPNEGO-wrapped NTLM and a domain account', async () => {
    const client = makeClient({ user: 'alice', password: 'Wonder-land', domain: 'corp', tokenStyle: 'spnego' });
    const srv = server();
    const out = await exchange(client, srv);
    expect(out.legs).toBe(5);
    expect(out.final.result).toEqual({ ok: true, user: 'alice', domain: 'corp' });
  });

  it('takes four legs when both sides speak TLS 1.3 (the Finished rides with the first TSRequest)', async () => {
    const client = makeClient({ tls: nodeTls({ clientMaxVersion: 'TLSv1.3' }) });
    const srv = server();
    const out = await exchange(client, srv);
    expect(out.final.result).toEqual({ ok: true, user: 'vagrant', domain: '' });
    expect(out.legs).toBe(4);
    expect(client.tls.cipher().version).toBe('TLSv1.3');
  });

  it('accepts a version 3 client, whose binding is the key itself (no nonce)', async () => {
    const client = makeClient({ version: 3 });
    const out = await exchange(client, server());
    expect(client.negotiatedVersion).toBe(3);
    expect(out.final.result?.ok).toBe(true);
  });

  it('refuses a version below the configured minimum', async () => {
    const out = await exchange(makeClient({ version: 3 }), server({ minVersion: 5 }));
    expect(out.final.result).toMatchObject({ ok: false, reason: 'unsupported-version' });
  });
});

describe('CredSSP failures', () => {
  it('wrong password: the server reports logon-failure, the client gets STATUS_LOGON_FAILURE', async () => {
    const out = await exchange(makeClient({ password: 'not-it' }), server());
    expect(out.final.result).toMatchObject({ ok: false, reason: 'logon-failure', ntlm: 'wrong-response' });
    expect(out.legs).toBe(4);
    expect(out.clientError).toBeInstanceOf(CredSspError);
    expect((out.clientError as CredSspError).reason).toBe('peer-error');
    expect((out.clientError as CredSspError).detail.status).toBe(NtStatus.LOGON_FAILURE);
    expect(JSON.stringify(out.final)).not.toContain('not-it');
  });

  it('unknown user: logon-failure with the NTLM reason', async () => {
    const out = await exchange(makeClient({ user: 'mallory' }), server());
    expect(out.final.result).toMatchObject({ ok: false, reason: 'logon-failure', ntlm: 'unknown-user' });
  });

  it('delegated credentials that are not the authenticated user\'s are refused', async () => {
    const out = await exchange(makeClient({ delegate: { domain: 'CORP', user: 'alice', password: 'Wonder-land' } }), server());
    expect(out.final.result).toMatchObject({ ok: false, reason: 'credentials-mismatch' });
    const wrongPw = await exchange(makeClient({ delegate: { domain: '', user: 'vagrant', password: 'other' } }), server());
    expect(wrongPw.final.result).toMatchObject({ ok: false, reason: 'credentials-mismatch' });
  });

  it('garbage instead of a ClientHello fails the TLS layer', async () => {
    const srv = server();
    const r = await srv.step(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(r.done).toBe(true);
    expect(r.result).toMatchObject({ ok: false, reason: 'tls-failed' });
    // Once failed, the context stays failed.
    expect((await srv.step(new Uint8Array([1]))).result).toMatchObject({ ok: false, reason: 'tls-failed' });
  });

  it('a ClientHello cut mid-way leaves the handshake where it was: tls-incomplete', async () => {
    const client = makeClient();
    const { token } = await client.step();
    const r = await server().step(token!.subarray(0, Math.floor(token!.length / 2)));
    expect(r.result).toMatchObject({ ok: false, reason: 'tls-incomplete' });
  });

  it('a server flight cut mid-way makes the client fail with tls-incomplete', async () => {
    const client = makeClient();
    const srv = server();
    const hello = await client.step();
    const flight = await srv.step(hello.token!);
    const err = await client.step(flight.token!.subarray(0, 100)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredSspError);
    expect((err as CredSspError).reason).toBe('tls-incomplete');
  });

  it('garbage TLS records after the handshake fail the TLS layer (bad record MAC)', async () => {
    const client = makeClient();
    const srv = server();
    let t = (await client.step()).token!;
    t = (await srv.step(t)).token!;
    t = (await client.step(t)).token!;
    t = (await srv.step(t)).token!;
    const first = (await client.step(t)).token!; // TLS established: a TSRequest in records
    const forged = first.slice();
    forged[forged.length - 3] ^= 0xff;
    const r = await srv.step(forged);
    expect(r.result).toMatchObject({ ok: false, reason: 'tls-failed' });
  });

  it('well-formed TLS carrying something that is not a TSRequest: malformed, answered with an errorCode', async () => {
    const srv = server();
    const peer = await handshakeWith(srv);
    const r = await srv.step(await peer.wrap(new TextEncoder().encode('not DER at all')));
    expect(r.result).toMatchObject({ ok: false, reason: 'malformed' });
    // The answer is an error TSRequest the peer can read in its TLS session.
    const answer = decodeTsRequest(await peer.unwrap(r.token!));
    expect(answer.errorCode).toBe(NtStatus.INVALID_TOKEN);
  });

  it('a TSRequest without negoTokens where the NTLM NEGOTIATE belongs is out of order', async () => {
    const srv = server();
    const peer = await handshakeWith(srv);
    const r = await srv.step(await peer.wrap(encodeTsRequest({ version: 6, authInfo: new Uint8Array(20) })));
    expect(r.result).toMatchObject({ ok: false, reason: 'out-of-order' });
  });

  it('a second exchange on a finished context is out of order', async () => {
    const client = makeClient();
    const srv = server();
    await exchange(client, srv);
    const again = await srv.step(new Uint8Array([0x16, 3, 1, 0, 1, 0]));
    expect(again.result).toMatchObject({ ok: false, reason: 'out-of-order' });
  });
});
