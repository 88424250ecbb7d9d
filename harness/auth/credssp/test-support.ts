// Shared fixtures for the CredSSP tests: identities, users, and a driver that plays the HTTP
// legs (client token → server → client) and counts them.
import type { TlsIdentity } from '../../net/types.ts';
import { generateIdentity } from '../../net/tcp/identity.ts';
import { userDb } from '../ntlm/user-db.ts';
import { FIXED_FILETIME, seededRandom } from '../test-support.ts';
import { CredSspClient, type CredSspClientOptions } from './client.ts';
import { CredSspServer, type CredSspServerOptions, type ServerStep } from './server.ts';

export const USERS = userDb([
  { user: 'vagrant', password: 'Vagrant!2024' },
  { user: 'alice', password: 'Wonder-land', domain: 'CORP' },
]);

let identities: Promise<{ server: TlsIdentity; mitm: TlsIdentity }> | undefined;
/** Two self-signed identities (generated once per test file): the server's and an interceptor's. */
export function testIdentities(): Promise<{ server: TlsIdentity; mitm: TlsIdentity }> {
  identities ??= Promise.all([generateIdentity('winrm-server'), generateIdentity('intercepting-proxy')]).then(([server, mitm]) => ({ server, mitm }));
  return identities;
}

export function makeClient(over: Partial<CredSspClientOptions> = {}): CredSspClient {
  return new CredSspClient({ user: 'vagrant', password: 'Vagrant!2024', random: seededRandom('client'), ...over });
}

export function makeServer(identity: TlsIdentity, over: Partial<CredSspServerOptions> = {}): CredSspServer {
  return new CredSspServer({ identity, users: USERS, random: seededRandom('server'), nowFiletime: () => FIXED_FILETIME, ...over });
}

export interface Outcome {
  legs: number;
  final: ServerStep;
  clientError?: unknown;
}

/**
 * Plays the exchange as the HTTP layer would: each client token is one request, each server
 * answer one response. Stops when the server is done (its answer goes to the client only if it
 * carries a token) or the client throws. Bounded to 12 legs.
 */
export async function exchange(client: CredSspClient, server: CredSspServer): Promise<Outcome> {
  let legs = 0;
  let inToken: Uint8Array | undefined;
  for (;;) {
    let token: Uint8Array | undefined;
    try {
      ({ token } = await client.step(inToken));
    } catch (clientError) {
      return { legs, final: { done: false }, clientError };
    }
    if (!token) throw new Error('client produced no token');
    legs++;
    const reply = await server.step(token);
    if (reply.done) {
      if (reply.token) {
        try {
          await client.step(reply.token);
        } catch (clientError) {
          return { legs, final: reply, clientError };
        }
      }
      return { legs, final: reply };
    }
    if (legs >= 12) throw new Error('exchange did not finish in 12 legs');
    inToken = reply.token;
  }
}
