// A simulated network with an origin server and a proxy in front of it, for the sim tests.

import { SimNetwork } from '../../net/index.ts';
import type { TlsIdentity } from '../../net/types.ts';
import type { HttpRequest } from '../../wire/types.ts';
import { request } from '../../wire/index.ts';
import { startProxy } from '../reference.ts';
import type { ProxyOptions } from '../types.ts';
import { startOrigin, TestClient, type Handler } from './http-peers.ts';

export interface RigOptions {
  seed?: number;
  proxy?: Partial<ProxyOptions>;
  handler?: Handler;
  /** Serve HTTPS (the CONNECT tests) with this identity. */
  originTls?: TlsIdentity;
}

export async function simRig(opts: RigOptions = {}) {
  const net = new SimNetwork({ seed: opts.seed ?? 1 });
  const origin = await startOrigin(
    net,
    { actor: 'server', ...(opts.originTls ? { tls: { identity: opts.originTls } } : {}) },
    opts.handler,
  );
  const proxy = await startProxy(net, { host: '127.0.0.1', port: 0, ...opts.proxy });
  const drive = <T>(p: Promise<T>, maxTimeMs = 60_000): Promise<T> => net.runUntilSettled(p, { maxTimeMs });
  const authority = `127.0.0.1:${origin.address.port}`;
  return {
    net,
    origin,
    proxy,
    drive,
    authority,
    /** Absolute-form URL on the origin. */
    url: (path = '/x') => `http://${authority}${path}`,
    client: (actor = 'client') => drive(TestClient.open(net, proxy.address, actor)),
    /** Lets virtual time pass with nothing else to wait for. */
    wait: (ms: number) => drive(net.clock.sleep(ms), ms + 1000),
  };
}

/** An absolute-form request to the origin, as a client configured with a proxy sends it. */
export function proxied(
  url: string,
  init: { method?: string; headers?: Array<[string, string]>; body?: Uint8Array | string; version?: string; chunked?: boolean } = {},
): HttpRequest {
  const host = new URL(url).host;
  return request({
    method: init.method ?? 'GET',
    target: url,
    version: init.version ?? 'HTTP/1.1',
    headers: [['Host', host], ...(init.headers ?? [])],
    ...(init.body !== undefined ? { body: init.body } : {}),
    ...(init.chunked ? { chunked: true } : {}),
  });
}
