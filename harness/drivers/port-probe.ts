import { connect } from 'node:net';

/** True when a TCP connection to host:port is accepted within `timeoutMs`. */
export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(open);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WaitForPortOptions {
  timeoutMs: number;
  /** Checked between attempts: a reason string stops the wait early (e.g. the process died). */
  abortReason?: () => string | undefined;
  intervalMs?: number;
}

/** Polls until host:port accepts a connection; rejects after `timeoutMs` or on abort. */
export async function waitForPort(host: string, port: number, opts: WaitForPortOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 100;
  for (;;) {
    const reason = opts.abortReason?.();
    if (reason !== undefined) throw new Error(reason);
    if (await isPortOpen(host, port, Math.min(500, Math.max(50, deadline - Date.now())))) return;
    if (Date.now() >= deadline) {
      throw new Error(`${host}:${port} did not accept connections within ${opts.timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
