// Test support: a WinRM server on a fresh SimNetwork, and a way to run a scenario on it.

import { SeededRandom } from '../net/random.ts';
import { simIdentity } from '../net/sim/identity.ts';
import { SimNetwork } from '../net/sim/sim-network.ts';
import type { Network } from '../net/types.ts';
import { startWinrmServer } from './server.ts';
import { RawHttp } from './test-http.ts';
import type { WinrmServer, WinrmServerOptions } from './types.ts';

export const USER = { user: 'alice', password: 'S3cret-Pw!' };
export const HOST = '127.0.0.1';

export interface Fixture {
  net: Network;
  server: WinrmServer;
  /** A new client connection to the HTTP (default) or HTTPS listener. */
  open(tls?: boolean): Promise<RawHttp>;
  /** Seeded randomness for the client side. */
  random: SeededRandom;
}

export function fixtureOn(net: Network, server: WinrmServer, random: SeededRandom): Fixture {
  return {
    net,
    server,
    random,
    open: (tls = false) => {
      const ep = tls ? server.https! : server.http!;
      return RawHttp.open(net, { host: ep.host, port: ep.port, tls });
    },
  };
}

/** Runs `scenario` against a sim server (HTTP 5985 + HTTPS 5986) and returns its value. */
export async function onSim<T>(
  scenario: (f: Fixture) => Promise<T>,
  opts: Partial<WinrmServerOptions> = {},
  seed = 1,
): Promise<T> {
  const net = new SimNetwork({ seed });
  const server = await startWinrmServer(net, {
    host: HOST,
    httpPort: 5985,
    httpsPort: 5986,
    identity: simIdentity('winrm-sim'),
    users: [USER],
    random: net.random.fork('server'),
    ...opts,
  });
  try {
    return await net.runUntilSettled(scenario(fixtureOn(net, server, new SeededRandom(seed + 1000))), { maxTimeMs: 3_600_000 });
  } finally {
    await server.close();
    await net.shutdown();
  }
}
