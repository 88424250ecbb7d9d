// A world for one case: its own Network (so its Trace holds only its own connections), the
// proxy under test (simulated on `sim`, external on `tcp`), WinRM servers and clients.

import { randomBytes } from 'node:crypto';
import { createWinrmClient } from '../client/index.ts';
import type { WinrmClient } from '../client/types.ts';
import { SimNetwork, TcpNetwork, simIdentity, type Network, type TlsIdentity } from '../net/index.ts';
import { startProxy } from '../proxy/index.ts';
import { startWinrmServer } from '../server/index.ts';
import type { WinrmServer } from '../server/types.ts';
import type { CaseInfo } from './catalogue.ts';
import type { ProxyAuthScheme } from '../proxy/index.ts';
import type { CaseContext, CaseTiming, ProxyTarget } from './types.ts';

export type ProxySpec =
  /** proxyAuth.schemes: what the simulated proxy offers (default Basic). */
  | { kind: 'sim'; faults: string[]; proxyAuth?: { user: string; password: string; schemes?: ProxyAuthScheme[] } }
  | { kind: 'external'; target: ProxyTarget };

export interface WorldOptions {
  transport: 'sim' | 'tcp';
  proxy: ProxySpec;
  seed: number;
  timing: CaseTiming;
  account: { user: string; password: string; domain: string };
  serverHost: string;
  /** Fixed listener ports (--server-ports); free ports otherwise. */
  serverPorts?: { http: number; https: number };
  /** The HTTPS certificate (made once per run on tcp: RSA key generation is slow). */
  identity: TlsIdentity;
}

export interface World {
  ctx: CaseContext;
  net: Network;
  /** Runs `p` to completion: drives the scheduler on `sim`, waits on `tcp`; bounded either way. */
  drive<T>(p: Promise<T>, boundMs: number): Promise<T>;
  close(): Promise<void>;
}

/** Simulated proxy's address inside the simulated network. */
const SIM_PROXY = { host: '127.0.0.1', port: 3128 };

export async function createWorld(info: CaseInfo, opts: WorldOptions): Promise<World> {
  const net: Network =
    opts.transport === 'sim' ? new SimNetwork({ seed: caseSeed(opts.seed, info.id) }) : new TcpNetwork({ keepBytes: true });
  const sim = net instanceof SimNetwork ? net : undefined;
  const closers: Array<() => Promise<void>> = [];
  const random = (label: string): { bytes(n: number): Uint8Array } =>
    sim ? sim.random.fork(label) : { bytes: (n: number) => new Uint8Array(randomBytes(n)) };

  const drive = async <T>(p: Promise<T>, boundMs: number): Promise<T> => {
    if (sim) return sim.runUntilSettled(p, { maxTimeMs: boundMs });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`case did not finish within ${boundMs} ms`)), boundMs);
    });
    try {
      return await Promise.race([p, bound]);
    } finally {
      clearTimeout(timer);
    }
  };

  let proxy: ProxyTarget;
  if (opts.proxy.kind === 'sim') {
    const p = opts.proxy;
    const running = await drive(
      startProxy(net, {
        ...SIM_PROXY,
        faults: p.faults,
        identity: simIdentity('wpc-intercept'),
        random: random('proxy'),
        ...(p.proxyAuth ? { proxyAuth: p.proxyAuth } : {}),
      }),
      10_000,
    );
    closers.push(() => running.close());
    proxy = { ...SIM_PROXY, product: 'wpc', ...(p.proxyAuth ? { credentials: { user: p.proxyAuth.user, password: p.proxyAuth.password } } : {}) };
  } else {
    proxy = opts.proxy.target;
  }

  let servers = 0;
  let clients = 0;
  const ctx: CaseContext = {
    info,
    net,
    proxy,
    timing: opts.timing,
    seed: opts.seed,
    account: opts.account,
    random: random('case'),
    async startServer(extra = {}) {
      const n = ++servers;
      // Fixed ports (--server-ports) go to the case's first server; others take free ports.
      const fixed = n === 1 ? opts.serverPorts : undefined;
      const server = await startWinrmServer(net, {
        host: opts.serverHost,
        httpPort: fixed?.http ?? 0,
        httpsPort: fixed?.https ?? 0,
        identity: opts.identity,
        users: [{ user: opts.account.user, password: opts.account.password, domain: opts.account.domain }],
        domain: opts.account.domain,
        computerName: 'WPC-WINRM',
        maxOperationTimeoutMs: 60_000,
        actor: n === 1 ? 'server' : `server#${n}`,
        random: random(`server#${n}`),
        ...extra,
      }).catch((e: Error) => {
        throw fixed ? fixedPortError(e, fixed) : e;
      });
      closers.push(() => server.close());
      return server;
    },
    client(server: WinrmServer, o = {}): WinrmClient {
      const n = ++clients;
      const https = info.transport === 'https';
      const addr = https ? server.https : server.http;
      if (!addr) throw new Error(`the server has no ${info.transport} listener`);
      const { name, ...rest } = o;
      const actor = name ?? `client#${n}`;
      const client = createWinrmClient(net, {
        endpoint: `${https ? 'https' : 'http'}://${addr.host}:${addr.port}/wsman`,
        user: opts.account.user,
        password: opts.account.password,
        domain: opts.account.domain,
        proxy: {
          accessType: 'ProxyIEConfig',
          url: `http://${proxy.host}:${proxy.port}`,
          // The WinRM 2.0 default (REQUIREMENTS §4): Negotiate when offered, then NTLM, Digest, Basic.
          ...(proxy.credentials ? { auth: { user: proxy.credentials.user, password: proxy.credentials.password } } : {}),
        },
        ...(https && server.fingerprint256 ? { pinFingerprint256: server.fingerprint256 } : {}),
        actor,
        timeoutMs: opts.timing.timeoutMs,
        operationTimeoutS: 20,
        random: random(actor),
        ...rest,
      });
      closers.push(async () => client.close());
      return client;
    },
  };

  return {
    ctx,
    net,
    drive,
    async close() {
      for (const c of closers.reverse()) await c().catch(() => undefined);
      await net.shutdown().catch(() => undefined);
    },
  };
}

/**
 * A fixed server port that cannot be bound, said as such: someone else holds it (a process
 * told that port, or, for a port in the kernel's ephemeral range, any listen on port 0 or
 * outgoing connection that drew it), and no case can run until it is free.
 */
function fixedPortError(e: Error, ports: { http: number; https: number }): Error {
  const m = /listen on .*:(\d+) failed: (EADDRINUSE|EACCES|EADDRNOTAVAIL)/.exec(e.message);
  if (!m) return e;
  const port = Number(m[1]);
  const why = m[2] === 'EADDRINUSE' ? 'is in use' : m[2] === 'EACCES' ? 'may not be bound by this user' : 'is not on an address of this machine';
  return new Error(`server port ${port} ${why} (fixed server ports ${ports.http},${ports.https}): ${e.message}`);
}

/** One seed per case, so that a case replays alone exactly as it ran in the whole run. */
export function caseSeed(seed: number, caseId: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < caseId.length; i++) h = Math.imul(h ^ caseId.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}
