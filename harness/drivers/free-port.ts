import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A port that was free on `host` a moment ago: listen on port 0, read what the kernel chose,
 * close. Racy by nature: it is an ephemeral port, and until someone binds it again any other
 * process's listen on port 0 or outgoing connection may take it. For a port bound later
 * (a product, fixed server ports) use stablePort(s).
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: listener has no TCP address'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}

/** Where the search for ports outside the ephemeral range starts: clear of the usual service ports (3128, 5985, 8080 …). */
const STABLE_MIN = 10_000;
/** Linux's default, and what other systems use (IANA's dynamic range, RFC 6335 §6). */
const DEFAULT_EPHEMERAL: [number, number] = [32768, 60999];

export interface PortRanges {
  /** The kernel's ephemeral range, inclusive: what listen on port 0 and outgoing connects draw from. */
  ephemeral: [number, number];
  /** Ports the kernel never hands out on its own, but that a service may bind (ip_local_reserved_ports). */
  reserved: Array<[number, number]>;
}

/** The ephemeral and reserved port ranges of this machine (Linux /proc; the Linux defaults elsewhere). */
export function portRanges(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): PortRanges {
  let ephemeral = DEFAULT_EPHEMERAL;
  let reserved: Array<[number, number]> = [];
  try {
    const [lo, hi] = read('/proc/sys/net/ipv4/ip_local_port_range').trim().split(/\s+/).map(Number);
    if (Number.isInteger(lo) && Number.isInteger(hi) && lo <= hi) ephemeral = [lo, hi];
  } catch {
    // not Linux: keep the default
  }
  try {
    reserved = read('/proc/sys/net/ipv4/ip_local_reserved_ports')
      .trim()
      .split(',')
      .filter(Boolean)
      .map((r) => r.split('-').map(Number))
      .map(([a, b]) => [a, b ?? a] as [number, number])
      .filter(([a, b]) => Number.isInteger(a) && Number.isInteger(b));
  } catch {
    // none
  }
  return { ephemeral, reserved };
}

/** The ports from STABLE_MIN to 65535 outside the ephemeral range and the reserved ranges, as inclusive ranges. */
export function stablePortRanges(r: PortRanges): Array<[number, number]> {
  let ranges: Array<[number, number]> = [[STABLE_MIN, 65535]];
  for (const [a, b] of [r.ephemeral, ...r.reserved]) {
    ranges = ranges.flatMap(([lo, hi]): Array<[number, number]> => {
      if (b < lo || a > hi) return [[lo, hi]];
      return [
        ...(a > lo ? [[lo, a - 1] as [number, number]] : []),
        ...(b < hi ? [[b + 1, hi] as [number, number]] : []),
      ];
    });
  }
  return ranges;
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * `count` distinct ports, free on `host` a moment ago, for listeners that must keep the same
 * port number while being closed and bound again (the harness's servers behind a proxy that
 * was told their ports up front, e.g. apache2 `pooled`). They are taken outside the kernel's
 * ephemeral range: a port from there (freePort) is, whenever it is not bound, up for grabs
 * by any other process's listen on port 0 or outgoing connection, and on a loaded machine
 * one of them takes it (EADDRINUSE on the next bind). Outside that range only a process
 * asking for that very port can. Falls back to freePort when the ephemeral range leaves no
 * room (a kernel configured to hand out all of 10000-65535).
 */
export async function stablePorts(count: number, host = '127.0.0.1', ranges: PortRanges = portRanges()): Promise<number[]> {
  const stable = stablePortRanges(ranges);
  const size = stable.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
  const ports: number[] = [];
  if (size === 0) {
    while (ports.length < count) {
      const p = await freePort(host);
      if (!ports.includes(p)) ports.push(p);
    }
    return ports;
  }
  const pick = (): number => {
    let i = Math.floor(Math.random() * size);
    for (const [lo, hi] of stable) {
      if (i <= hi - lo) return lo + i;
      i -= hi - lo + 1;
    }
    throw new Error('stablePorts: index out of range');
  };
  for (let tries = 0; ports.length < count; tries++) {
    if (tries >= 200) throw new Error(`stablePorts: no free port on ${host} outside the ephemeral range after ${tries} tries`);
    const p = pick();
    if (!ports.includes(p) && (await canListen(host, p))) ports.push(p);
  }
  return ports;
}

/** One port from stablePorts: for a product started here, which binds it some time after the pick. */
export async function stablePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await stablePorts(1, host);
  return port;
}

/** The HTTP and HTTPS ports for the harness's WinRM servers when they must be fixed (stablePorts). */
export async function serverPortPair(host = '127.0.0.1'): Promise<{ http: number; https: number }> {
  const [http, https] = await stablePorts(2, host);
  return { http, https };
}
