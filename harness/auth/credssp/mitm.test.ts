// The pubKeyAuth binding (MS-CSSP §3.1.5 steps 3-4) against an interceptor that terminates
// TLS with its own certificate, as a TLS-inspecting proxy does, and against a server whose
// answer is not over the key the client saw.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TlsIdentity } from '../../net/types.ts';
import { NtlmServer } from '../ntlm/server.ts';
import { extractNtlm, parseNegotiateToken } from '../spnego.ts';
import { FIXED_FILETIME, seededRandom } from '../test-support.ts';
import { CredSspError, NtStatus } from './errors.ts';
import { nodeTls } from './node-tls.ts';
import { serverPubKeyAuth, subjectPublicKeyOf } from './pub-key-auth.ts';
import { sealBlob } from './sealed-blob.ts';
import type { CredSspServer } from './server.ts';
import { exchange, makeClient, makeServer, testIdentities, USERS } from './test-support.ts';
import { CredSspTls } from './tls-channel.ts';
import { decodeTsRequest, encodeTsRequest } from './ts-request.ts';

let ids: { server: TlsIdentity; mitm: TlsIdentity };
beforeAll(async () => {
  ids = await testIdentities();
});
const cleanup: Array<{ close(): void }> = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c.close();
});

/** Terminates the client's TLS with its own identity, runs its own TLS to the server, relays the plaintext TSRequests. */
class Interceptor {
  readonly front = new CredSspTls(nodeTls().server(ids.mitm));
  readonly back = new CredSspTls(nodeTls().client());
  relayed = 0;
  constructor(private readonly srv: CredSspServer) {
    cleanup.push(this.front, this.back);
  }

  async connectBack(): Promise<void> {
    await this.back.engine.start();
    let t = this.back.engine.takeOutput();
    for (let leg = 0; !this.back.established && leg < 4; leg++) {
      await this.back.engine.receive((await this.srv.step(t)).token!);
      t = this.back.engine.takeOutput();
    }
  }

  /** One HTTP leg through the interceptor. */
  async leg(token: Uint8Array): Promise<{ token?: Uint8Array; done: boolean }> {
    if (!this.front.established) {
      await this.front.engine.receive(token);
      return { token: this.front.engine.takeOutput(), done: false };
    }
    const plain = await this.front.unwrap(token);
    this.relayed++;
    const reply = await this.srv.step(await this.back.wrap(plain));
    if (!reply.token) return { done: reply.done };
    return { token: await this.front.wrap(await this.back.unwrap(reply.token)), done: reply.done };
  }
}

describe('pubKeyAuth binding', () => {
  it('an intercepting proxy with its own certificate is detected by the server (pubkey-mismatch)', async () => {
    const srv = makeServer(ids.server);
    cleanup.push(srv);
    const mitm = new Interceptor(srv);
    await mitm.connectBack();
    const client = makeClient();
    let step = await client.step();
    let error: unknown;
    for (let leg = 0; leg < 8 && !error; leg++) {
      const r = await mitm.leg(step.token!);
      if (!r.token) break;
      try {
        step = await client.step(r.token);
      } catch (e) {
        error = e;
      }
    }
    // The client saw the interceptor's key, the server knows its own: the binding cannot match.
    expect(subjectPublicKeyOf(ids.mitm.certPem)).not.toEqual(subjectPublicKeyOf(ids.server.certPem));
    expect(mitm.relayed).toBe(2); // NEGOTIATE, then AUTHENTICATE + pubKeyAuth
    expect(srv.result).toMatchObject({ ok: false, reason: 'pubkey-mismatch' });
    expect(error).toBeInstanceOf(CredSspError);
    expect((error as CredSspError).reason).toBe('peer-error');
    expect((error as CredSspError).detail.status).toBe(NtStatus.BAD_BINDINGS);
  });

  it('without the interceptor the same client and server agree', async () => {
    const srv = makeServer(ids.server);
    cleanup.push(srv);
    const out = await exchange(makeClient(), srv);
    expect(out.final.result).toMatchObject({ ok: true });
  });

  it('the client refuses a server whose pubKeyAuth answer is over another key', async () => {
    // A rogue acceptor: real TLS and a real NTLM acceptor, but it answers with a binding over
    // the interceptor's key instead of the one its TLS presented.
    const tls = new CredSspTls(nodeTls().server(ids.server));
    cleanup.push(tls);
    const ntlm = new NtlmServer({ users: USERS, random: seededRandom('rogue'), nowFiletime: () => FIXED_FILETIME });
    const client = makeClient();
    let t = (await client.step()).token!;
    while (!tls.established) {
      await tls.engine.receive(t);
      t = (await client.step(tls.engine.takeOutput())).token!;
    }
    const negotiate = decodeTsRequest(await tls.unwrap(t));
    const type2 = ntlm.acceptNegotiate(extractNtlm(parseNegotiateToken(negotiate.negoTokens![0])).ntlm!);
    t = (await client.step(await tls.wrap(encodeTsRequest({ version: 6, negoTokens: [type2] })))).token!;
    const auth = decodeTsRequest(await tls.unwrap(t));
    const r = ntlm.acceptAuthenticate(extractNtlm(parseNegotiateToken(auth.negoTokens![0])).ntlm!);
    if (!r.ok) throw new Error(`rogue NTLM failed: ${r.reason}`);
    const wrongKey = subjectPublicKeyOf(ids.mitm.certPem);
    r.session.unseal(auth.pubKeyAuth!.subarray(16), auth.pubKeyAuth!.subarray(0, 16)); // keep sequence numbers in step
    const answer = encodeTsRequest({ version: 6, pubKeyAuth: sealBlob(r.session, serverPubKeyAuth(6, wrongKey, auth.clientNonce)) });
    const err = await client.step(await tls.wrap(answer)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredSspError);
    expect((err as CredSspError).reason).toBe('pubkey-mismatch');
  });
});
