// Test support: a WinRM server (and optionally the reference proxy) on sim or tcp, and a client
// made for it.

import { SeededRandom } from '../net/random.ts';
import { SimNetwork } from '../net/sim/sim-network.ts';
import { simIdentity } from '../net/sim/identity.ts';
import { TcpNetwork } from '../net/tcp/tcp-network.ts';
import { generateIdentity } from '../net/tcp/identity.ts';
import type { Connection, Network, TlsIdentity } from '../net/types.ts';
import { startProxy } from '../proxy/index.ts';
import type { ProxyOptions, RunningProxy } from '../proxy/types.ts';
import { startWinrmServer } from '../server/index.ts';
import type { WinrmServer, WinrmServerOptions } from '../server/types.ts';
import { createWinrmClient } from './client.ts';
import { WinrmClientError, type WinrmClient, type WinrmClientOptions } from './types.ts';

export const USER = { user: 'alice', password: 'S3cret-Pw!' };
export const HOST = '127.0.0.1';

export interface World {
  net: Network;
  server: WinrmServer;
  proxy?: RunningProxy;
  httpUrl: string;
  httpsUrl: string;
  /** A client with the test user's credentials; `opts` override. */
  client(opts?: Partial<WinrmClientOptions>): WinrmClient;
  /** `proxy-server` value naming the running proxy. */
  proxyServer: string;
}

export interface WorldOptions {
  server?: Partial<WinrmServerOptions>;
  proxy?: Omit<ProxyOptions, 'host' | 'port'> | false;
  seed?: number;
}

let tcpIdentity: Promise<TlsIdentity> | undefined;

async function build(net: Network, identity: TlsIdentity, o: WorldOptions, random: SeededRandom): Promise<World> {
  const sim = net.kind === 'sim';
  const server = await startWinrmServer(net, {
    host: HOST,
    httpPort: sim ? 5985 : 0,
    httpsPort: sim ? 5986 : 0,
    identity,
    users: [USER],
    random: random.fork('server'),
    ...o.server,
  });
  const proxy = o.proxy === false || o.proxy === undefined ? undefined : await startProxy(net, { host: HOST, port: sim ? 3128 : 0, ...o.proxy });
  let n = 0;
  const world: World = {
    net,
    server,
    ...(proxy ? { proxy } : {}),
    httpUrl: `http://${server.http!.host}:${server.http!.port}/wsman`,
    httpsUrl: `https://${server.https!.host}:${server.https!.port}/wsman`,
    proxyServer: proxy ? `${proxy.address.host}:${proxy.address.port}` : '',
    client: (opts = {}) =>
      createWinrmClient(net, {
        endpoint: world.httpUrl,
        ...USER,
        actor: `client#${++n}`,
        random: random.fork(`client#${n}`),
        timeoutMs: 10_000,
        operationTimeoutS: 5,
        ...opts,
      }),
  };
  return world;
}

/** Runs `scenario` on a fresh SimNetwork and returns its value. */
export async function onSim<T>(scenario: (w: World) => Promise<T>, o: WorldOptions = {}): Promise<T> {
  const net = new SimNetwork({ seed: o.seed ?? 1 });
  const w = await build(net, simIdentity('winrm-sim'), o, new SeededRandom(o.seed ?? 1));
  try {
    return await net.runUntilSettled(scenario(w), { maxTimeMs: 3_600_000 });
  } finally {
    await w.proxy?.close();
    await w.server.close();
    await net.shutdown();
  }
}

/** Runs `scenario` on real loopback sockets. */
export async function onTcp<T>(scenario: (w: World) => Promise<T>, o: WorldOptions = {}): Promise<T> {
  const net = new TcpNetwork();
  tcpIdentity ??= generateIdentity('winrm-tcp');
  const w = await build(net, await tcpIdentity, o, new SeededRandom(o.seed ?? 1));
  try {
    return await scenario(w);
  } finally {
    await w.proxy?.close();
    await w.server.close();
    await net.shutdown();
  }
}

export const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/**
 * A transparent TCP relay on 127.0.0.1:`port` in front of `to`. `onResponse` sees each chunk the
 * server writes that starts a response (`n` counts them over all connections, 1-based) and
 * returns the bytes to pass on, or 'drop' to swallow them and reset the client's connection.
 */
export async function relay(
  net: Network,
  port: number,
  to: { host: string; port: number },
  onResponse: (n: number, bytes: Uint8Array) => Uint8Array | 'drop',
): Promise<{ port: number }> {
  let responses = 0;
  const l = await net.listen({ host: '127.0.0.1', port, actor: 'relay' }, (down: Connection) => {
    void net.connect({ host: to.host, port: to.port, actor: 'relay', hop: 'relay-server' }).then((up) => {
      down.onData((d) => up.write(d));
      up.onData((d) => {
        let out: Uint8Array | 'drop' = d;
        if (Buffer.from(d.subarray(0, 9)).toString('latin1') === 'HTTP/1.1 ') out = onResponse(++responses, d);
        if (out === 'drop') {
          down.reset();
          up.close();
          return;
        }
        if (!down.closed) down.write(out);
      });
      down.onClose(() => up.closed || up.close());
      up.onClose(() => down.closed || down.close());
    });
  });
  return { port: l.address.port };
}

/** The WinrmClientError a client call ends with; any other outcome fails the test. */
export async function clientError(p: Promise<unknown>): Promise<WinrmClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WinrmClientError) return e;
    throw e;
  }
  throw new Error('expected a WinrmClientError');
}
