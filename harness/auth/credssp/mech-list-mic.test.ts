// SPNEGO mechListMIC inside CredSSP (requests-credssp 2.x / pyspnego style), over the sim TLS
// stand-in so the exchanges are quick and deterministic.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { simIdentity } from '../../net/sim/identity.ts';
import { NtlmSession } from '../ntlm/session.ts';
import { seededRandom } from '../test-support.ts';
import { mechTypeList } from './mech-list-mic.ts';
import { simTlsEngines } from './sim-tls.ts';
import { exchange, makeClient, makeServer } from './test-support.ts';
import { OID_NTLMSSP } from '../spnego.ts';

const ID = simIdentity('winrm-server');
const pair = (over: Parameters<typeof makeClient>[0] = {}) => ({
  client: makeClient({ tls: simTlsEngines(seededRandom('c')), tokenStyle: 'spnego', mechListMic: true, ...over }),
  server: makeServer(ID, { tls: simTlsEngines(seededRandom('s')) }),
});

afterEach(() => vi.restoreAllMocks());

describe('CredSSP with a SPNEGO mechListMIC', () => {
  it('authenticates: the server verifies the client MIC and answers with its own, which the client verifies', async () => {
    const verify = vi.spyOn(NtlmSession.prototype, 'verify');
    const sign = vi.spyOn(NtlmSession.prototype, 'sign');
    const { client, server } = pair();
    const out = await exchange(client, server);
    expect(out.clientError).toBeUndefined();
    expect(out.legs).toBe(5);
    expect(out.final.result).toEqual({ ok: true, user: 'vagrant', domain: '' });
    expect(sign).toHaveBeenCalledTimes(2); // client's and server's MIC
    expect(verify).toHaveBeenCalledTimes(2);
    expect(sign.mock.calls[0][0]).toEqual(mechTypeList([OID_NTLMSSP]));
  });

  it('still authenticates SPNEGO clients that send no MIC, and raw NTLMSSP clients', async () => {
    for (const over of [{ mechListMic: false }, { tokenStyle: 'raw' as const }]) {
      const { client, server } = pair(over);
      expect((await exchange(client, server)).final.result).toMatchObject({ ok: true });
    }
  });

  it('refuses a mechListMIC that does not verify (bad-mic, MESSAGE_ALTERED to the client)', async () => {
    vi.spyOn(NtlmSession.prototype, 'sign').mockImplementationOnce(() => new Uint8Array([1, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0, 0, 0]));
    const { client, server } = pair();
    const out = await exchange(client, server);
    expect(out.final.result).toMatchObject({ ok: false, reason: 'bad-mic' });
    expect(out.clientError).toMatchObject({ reason: 'peer-error', detail: { status: 0x8009030f } });
  });
});
