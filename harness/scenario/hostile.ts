// Proxies that are not proxies, for the never-hang property (DESIGN.md: "a broken proxy yields
// a verdict, never a hang"): each accepts connections on the proxy's address and then
//   black-hole         reads everything and never answers;
//   half-open          answers with the first bytes of a response head and then goes silent,
//                      keeping the connection open;
//   reset-happy        resets every connection after a seeded number of bytes (0..600);
//   connect-blackhole  never completes the TCP handshake (sim only: SimNetwork.blackhole).

import { SimNetwork } from '../net/sim/sim-network.ts';
import type { Connection, Endpoint, Network } from '../net/types.ts';
import type { HostileProxy } from './types.ts';

export interface HostileHandle {
  address: Endpoint;
  close(): Promise<void>;
}

export async function startHostileProxy(
  net: Network,
  behaviour: HostileProxy,
  at: { host: string; port: number },
  random: { int(lo: number, hi: number): number },
): Promise<HostileHandle> {
  if (behaviour === 'connect-blackhole') {
    if (!(net instanceof SimNetwork)) throw new Error('hostile proxy connect-blackhole runs on sim only');
    const port = at.port === 0 ? 3128 : at.port;
    net.blackhole(at.host, port);
    return { address: { host: at.host, port }, close: async () => {} };
  }
  const conns = new Set<Connection>();
  const listener = await net.listen({ host: at.host, port: at.port, actor: 'proxy' }, (conn) => {
    conns.add(conn);
    conn.onClose(() => conns.delete(conn));
    if (behaviour === 'black-hole') {
      conn.onData(() => {});
      return;
    }
    if (behaviour === 'half-open') {
      let answered = false;
      conn.onData(() => {
        if (answered) return;
        answered = true;
        conn.write(Buffer.from('HTTP/1.1 200 OK\r\nContent-Len', 'latin1'));
      });
      return;
    }
    let budget = random.int(0, 600);
    if (budget === 0) return conn.reset();
    conn.onData((d) => {
      budget -= d.length;
      if (budget <= 0 && !conn.closed) conn.reset();
    });
  });
  return {
    address: listener.address,
    async close() {
      await listener.close();
      for (const c of conns) if (!c.closed) c.close();
    },
  };
}
