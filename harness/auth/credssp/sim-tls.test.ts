// The deterministic TLS stand-in under the CredSSP state machines (what `sim` runs).
import { describe, expect, it } from 'vitest';
import { simIdentity } from '../../net/sim/identity.ts';
import { seededRandom } from '../test-support.ts';
import { simSubjectPublicKey, simTlsEngines } from './sim-tls.ts';
import { exchange, makeClient, makeServer } from './test-support.ts';
import { CredSspTls } from './tls-channel.ts';

const ID = simIdentity('winrm-server');

function pair(seed: string, over: { password?: string } = {}) {
  const client = makeClient({ tls: simTlsEngines(seededRandom(`${seed}/c`)), random: seededRandom(`${seed}/cr`), ...over });
  const server = makeServer(ID, { tls: simTlsEngines(seededRandom(`${seed}/s`)), random: seededRandom(`${seed}/sr`) });
  return { client, server };
}

/** Every token of an exchange, in order (client, server, client, …). */
async function tokens(seed: string): Promise<string[]> {
  const { client, server } = pair(seed);
  const out: string[] = [];
  let inTok: Uint8Array | undefined;
  for (let i = 0; i < 8; i++) {
    const c = await client.step(inTok);
    out.push(Buffer.from(c.token!).toString('hex'));
    const s = await server.step(c.token!);
    if (s.done) break;
    out.push(Buffer.from(s.token!).toString('hex'));
    inTok = s.token;
  }
  return out;
}

describe('simTlsEngines', () => {
  it('carries a full CredSSP exchange in five legs, like TLS 1.2', async () => {
    const { client, server } = pair('a');
    const out = await exchange(client, server);
    expect(out.clientError).toBeUndefined();
    expect(out.legs).toBe(5);
    expect(out.final.result).toEqual({ ok: true, user: 'vagrant', domain: '' });
    expect(client.tls.cipher()).toEqual({ name: 'ECDHE-RSA-AES128-GCM-SHA256', version: 'TLSv1.2' });
    const msg = new Uint8Array(40_000).fill(7);
    expect(await server.tls.unwrap(await client.tls.wrap(msg))).toEqual(msg);
    expect(await client.tls.unwrap(await server.tls.wrap(msg))).toEqual(msg);
  });

  it('is deterministic: the same seeds give the same tokens byte for byte, other seeds others', async () => {
    expect(await tokens('x')).toEqual(await tokens('x'));
    expect(await tokens('x')).not.toEqual(await tokens('y'));
  });

  it('reports a wrong password as logon-failure through the TLS session', async () => {
    const { client, server } = pair('b', { password: 'wrong' });
    const out = await exchange(client, server);
    expect(out.final.result).toMatchObject({ ok: false, reason: 'logon-failure' });
  });

  it('fails the engine on a changed byte of application data (bad record MAC)', async () => {
    const { client, server } = pair('c');
    await exchange(client, server);
    const rec = await client.tls.wrap(new Uint8Array([1, 2, 3]));
    rec[6] ^= 1;
    await expect(server.tls.unwrap(rec)).rejects.toMatchObject({ reason: 'tls-failed' });
  });

  it('fails on bytes that are not records, and waits on a partial record', async () => {
    const garbage = simTlsEngines(seededRandom('g')).server(ID);
    await garbage.receive(new TextEncoder().encode('GET / HTTP/1.1\r\n'));
    expect(garbage.state).toBe('failed');
    const c = simTlsEngines(seededRandom('p')).client();
    await c.start();
    const hello = c.takeOutput();
    const s = simTlsEngines(seededRandom('q')).server(ID);
    await s.receive(hello.subarray(0, 10));
    expect(s.takeOutput()).toHaveLength(0);
    await s.receive(hello.subarray(10));
    expect(s.takeOutput().length).toBeGreaterThan(0);
  });

  it('binds the key to the identity: another identity has another key', () => {
    expect(simSubjectPublicKey(ID)).not.toEqual(simSubjectPublicKey(simIdentity('intercepting-proxy')));
    const tls = new CredSspTls(simTlsEngines(seededRandom('k')).server(ID));
    expect(tls.engine.serverPublicKey()).toEqual(simSubjectPublicKey(ID));
  });
});
