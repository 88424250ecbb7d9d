// Before certifying a real proxy: is anything listening there? An unreachable proxy is an
// infrastructure error (exit 2), not a non-conformant one.
import { connect } from 'node:net';
import type { ProxyTarget } from '../conformance/types.ts';

export function probeProxy(target: ProxyTarget, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`proxy ${target.host}:${target.port} unreachable: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve();
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(`proxy ${target.host}:${target.port} unreachable: ${e.code ?? e.message}`));
    });
  });
}
