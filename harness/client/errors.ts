// Turning what lower layers throw into the client's one error type, and the internal signal
// that a connection died under a request.

import { NetError } from '../net/types.ts';
import { WinrmClientError } from './types.ts';

/**
 * The connection closed (or reset) while a request was outstanding. `written`: the request's
 * bytes went out, so the server may have executed it (INV-6 decides whether it may be re-sent).
 * `responseStarted`: some bytes of a response had arrived.
 */
export class ConnectionLost extends Error {
  constructor(
    readonly written: boolean,
    readonly responseStarted: boolean,
    readonly reset: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectionLost';
  }
}

/** Maps NetError and friends to WinrmClientError; leaves WinrmClientError as it is. */
export function toClientError(e: unknown, context: string): WinrmClientError {
  if (e instanceof WinrmClientError) return e;
  if (e instanceof NetError) {
    const code = e.code === 'tls' ? 'tls' : e.code === 'timeout' ? 'timeout' : 'network';
    return new WinrmClientError(code, `${context}: ${e.message}`, { net: e.code });
  }
  if (e instanceof ConnectionLost) {
    return new WinrmClientError('network', `${context}: ${e.message}`, { written: e.written, reset: e.reset });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new WinrmClientError('protocol', `${context}: ${msg}`);
}
