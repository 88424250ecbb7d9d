// Sets a scenario's stage on a Network: the WinRM server with its policy, the proxy (reference
// with faults, a hostile stand-in, an external URL, or none), and one client per instance.
// Fixed ports on sim (5985/5986, proxy 3128) so that traces read like real ones; free ports on tcp.

import { randomBytes } from 'node:crypto';
import { createWinrmClient } from '../client/index.ts';
import type { WinrmClient, WinrmClientOptions } from '../client/types.ts';
import { SeededRandom } from '../net/random.ts';
import { simIdentity } from '../net/sim/identity.ts';
import { generateIdentity } from '../net/tcp/identity.ts';
import type { Endpoint, Network, TlsIdentity } from '../net/types.ts';
import { startProxy } from '../proxy/index.ts';
import { startWinrmServer } from '../server/index.ts';
import type { WinrmServer } from '../server/types.ts';
import type { Secret } from '../invariants/types.ts';
import { startHostileProxy } from './hostile.ts';
import { createRider } from './rider.ts';
import type { NormalizedClient, NormalizedScenario } from './types.ts';

export const HOST = '127.0.0.1';
const SIM_PROXY_PORT = 3128;

export interface ClientInstance {
  actor: string;
  spec: NormalizedClient;
  /** Undefined when the client refused its own options (the error is the outcome). */
  client?: WinrmClient;
  setupError?: { code: string; message: string };
}

export interface World {
  server: WinrmServer;
  proxy?: { address: Endpoint; close(): Promise<void> };
  proxyActors: string[];
  clients: ClientInstance[];
  secrets: { destination: Secret[]; proxy: Secret[] };
  close(): Promise<void>;
}

let tcpIdentities: Promise<{ server: TlsIdentity; proxy: TlsIdentity }> | undefined;

/** The password a client with `credentials: wrong` types. */
export function wrongPassword(user: string): string {
  return `Wrong-${user}-Pw-0000`;
}

export async function buildWorld(net: Network, s: NormalizedScenario, random: SeededRandom): Promise<World> {
  const sim = net.kind === 'sim';
  const ids = sim
    ? { server: simIdentity('winrm-sim'), proxy: simIdentity('proxy-intercept') }
    : await (tcpIdentities ??= Promise.all([generateIdentity('winrm-tcp'), generateIdentity('proxy-intercept')]).then(([server, proxy]) => ({ server, proxy })));
  const rnd = (label: string) => (sim ? random.fork(label) : { bytes: (n: number) => new Uint8Array(randomBytes(n)) });

  const server = await startWinrmServer(net, {
    host: HOST,
    httpPort: sim ? 5985 : 0,
    httpsPort: sim ? 5986 : 0,
    identity: ids.server,
    users: s.server.users,
    auth: s.server.auth,
    allowUnencrypted: s.server.allowUnencrypted,
    random: rnd('server'),
  });

  const secrets: World['secrets'] = {
    destination: s.server.users.map((u) => ({ label: `${u.user}'s password`, user: u.user, password: u.password })),
    proxy: [],
  };
  let proxy: World['proxy'];
  let proxyActors: string[] = [];
  let proxyAuthority: string | undefined;
  const p = s.proxy;
  if (p.kind === 'sim') {
    proxy = await startProxy(net, { host: HOST, port: sim ? SIM_PROXY_PORT : 0, faults: p.faults, ...(p.auth ? { proxyAuth: p.auth } : {}), identity: ids.proxy });
    proxyActors = ['proxy'];
    if (p.auth) secrets.proxy.push({ label: 'the proxy password', user: p.auth.user, password: p.auth.password });
  } else if (p.kind === 'hostile') {
    proxy = await startHostileProxy(net, p.behaviour, { host: HOST, port: sim ? SIM_PROXY_PORT : 0 }, random.fork('hostile'));
    proxyActors = ['proxy'];
  } else if (p.kind === 'external') {
    if (sim) throw new Error(`an external proxy (${p.url.replace(/\/\/[^@/]*@/, '//…@')}) needs --transport tcp`);
    const u = new URL(p.url);
    proxyAuthority = `${u.hostname}:${u.port || 80}`;
    proxyActors = ['external'];
    if (u.username) secrets.proxy.push({ label: 'the proxy password (from the URL)', user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
  }
  if (proxy) proxyAuthority = `${proxy.address.host}:${proxy.address.port}`;

  const clients: ClientInstance[] = [];
  for (const spec of s.clients) {
    for (let k = 1; k <= spec.count; k++) {
      const actor = `${spec.name}#${k}`;
      const user = s.server.users.find((u) => u.user === spec.user)!;
      const password = spec.credentials === 'right' ? user.password : wrongPassword(user.user);
      if (spec.credentials === 'wrong') secrets.destination.push({ label: `${actor}'s wrong password`, user: user.user, password });
      const ep = spec.transport === 'https' ? server.https! : server.http!;
      const endpoint = `${spec.transport}://${ep.host}:${ep.port}/wsman`;
      if (spec.auth === 'none') {
        const via = proxyAuthority && spec.proxy !== 'direct' ? hostPort(proxyAuthority) : undefined;
        clients.push({ actor, spec, client: createRider(net, { endpoint, ...(via ? { proxy: via } : {}), actor, random: rnd(actor) }) });
        continue;
      }
      const opts: WinrmClientOptions = {
        endpoint,
        user: user.user,
        password,
        auth: spec.auth,
        encryption: spec.encryption,
        profile: spec.profile,
        actor,
        random: rnd(actor),
        unsafeAllowUnencryptedThroughProxy: spec.unsafeAllowUnencryptedThroughProxy,
        ...(spec.transport === 'https' && server.fingerprint256 ? { pinFingerprint256: server.fingerprint256 } : {}),
        ...proxyOptions(spec, proxyAuthority, actor, secrets),
      };
      try {
        clients.push({ actor, spec, client: createWinrmClient(net, opts) });
      } catch (e) {
        const code = (e as { code?: string }).code ?? 'protocol';
        clients.push({ actor, spec, setupError: { code, message: (e as Error).message } });
      }
    }
  }

  return {
    server,
    ...(proxy ? { proxy } : {}),
    proxyActors,
    clients,
    secrets,
    async close() {
      for (const c of clients) {
        try {
          c.client?.close();
        } catch {
          // closing is best effort
        }
      }
      await proxy?.close();
      await server.close();
    },
  };
}

function hostPort(authority: string): { host: string; port: number } {
  const i = authority.lastIndexOf(':');
  return { host: authority.slice(0, i), port: Number(authority.slice(i + 1)) };
}

/** Client proxy options; `{proxy}` in any string becomes the scenario proxy's host:port. */
function proxyOptions(spec: NormalizedClient, authority: string | undefined, actor: string, secrets: World['secrets']): Partial<WinrmClientOptions> {
  const sub = (t: string | undefined) => (t === undefined ? undefined : t.replaceAll('{proxy}', authority ?? '{proxy}'));
  const c = spec.proxy;
  if (c === 'direct') return { proxy: { accessType: 'ProxyNoProxyServer' } };
  if (c === 'default') return authority ? { winhttp: { proxyServer: authority } } : {};
  if (c.auth) secrets.proxy.push({ label: `${actor}'s proxy password`, user: c.auth.user, password: c.auth.password });
  const out: Partial<WinrmClientOptions> = {};
  const proxy: NonNullable<WinrmClientOptions['proxy']> = { accessType: c.accessType ?? 'ProxyWinHttpConfig' };
  if (c.url !== undefined) proxy.url = sub(c.url)!;
  if (c.auth) proxy.auth = { scheme: c.auth.scheme ?? 'basic', user: c.auth.user, password: c.auth.password };
  if (c.accessType !== undefined || c.url !== undefined || c.auth) out.proxy = proxy;
  const onlyCredentials = c.winhttp === undefined && c.accessType === undefined && c.url === undefined && c.ie === undefined;
  if (onlyCredentials && authority) out.winhttp = { proxyServer: authority };
  if (c.winhttp) {
    out.winhttp = {
      ...(c.winhttp.proxyServer !== undefined ? { proxyServer: sub(c.winhttp.proxyServer)! } : {}),
      ...(c.winhttp.bypassList !== undefined ? { bypassList: sub(c.winhttp.bypassList)! } : {}),
    };
  }
  if (c.ie !== undefined) out.ieProxy = sub(c.ie)!;
  return out;
}
