// Opening a server connection, with the failure turned into the one-line 502 reason.

import { NetError, type Connection } from '../net/types.ts';
import type { ProxyShared } from './shared.ts';

export type Opened = { ok: true; conn: Connection } | { ok: false; reason: string };

export async function openUpstream(
  shared: ProxyShared,
  host: string,
  port: number,
  tls?: { servername: string },
): Promise<Opened> {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  try {
    const conn = await shared.net.connect({
      host,
      port,
      actor: shared.actor,
      hop: 'proxy-server',
      timeoutMs: shared.timeouts.connectMs,
      ...(tls ? { tls } : {}),
    });
    return { ok: true, conn };
  } catch (err) {
    if (err instanceof NetError) {
      const what = err.code === 'refused' ? 'refused' : err.code === 'timeout' ? 'timed out' : err.code;
      return { ok: false, reason: `connect to ${where} ${what}` };
    }
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: `connect to ${where} failed: ${msg.split('\n')[0]}` };
  }
}
