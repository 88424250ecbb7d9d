// One HTTP/1.1 connection as the client uses it: one request at a time (no pipelining, like
// WinHTTP and urllib3), each response read with the wire parser and bounded by the Network's
// clock. The connection is persistent (RFC 9112 §9.3) unless the response says otherwise.

import type { Clock, Connection } from '../net/types.ts';
import type { Trace } from '../net/trace.ts';
import { traceMessage } from '../net/trace-message.ts';
import { hasToken, MessageParser, serialize, startLine } from '../wire/index.ts';
import type { HttpMessage, HttpRequest, HttpResponse } from '../wire/types.ts';
import { ConnectionLost } from './errors.ts';
import { WinrmClientError } from './types.ts';

interface Pending {
  resolve(res: HttpResponse): void;
  reject(e: Error): void;
  started: boolean;
  timer: ReturnType<Clock['setTimeout']>;
  record?: { status: number };
}

/** RFC 9112 §9.3: HTTP/1.1 persists unless `close`; HTTP/1.0 only with `keep-alive`. */
export function closesConnection(msg: HttpMessage): boolean {
  if (hasToken(msg.headers, 'connection', 'close')) return true;
  return msg.version === 'HTTP/1.0' && !hasToken(msg.headers, 'connection', 'keep-alive');
}

export class HttpConnection {
  private readonly parser = new MessageParser('response');
  private pending?: Pending;
  private lost?: { reset: boolean; why: string };
  /** A response said the connection ends after it (Connection: close). */
  private closing = false;

  constructor(
    readonly conn: Connection,
    private readonly env: { trace: Trace; clock: Clock; actor: string },
  ) {
    conn.onData((d) => this.onData(d));
    conn.onEnd(() => this.onEnd());
    conn.onClose((info) => this.onLost(info.reset, info.reset ? 'connection reset' : 'connection closed'));
  }

  get id(): string {
    return this.conn.id;
  }

  /** Can carry another request. */
  get usable(): boolean {
    return !this.lost && !this.closing && !this.conn.closed && !this.conn.remoteEnded && !this.parser.tunnel;
  }

  /**
   * Writes `req` and resolves with its response. Rejects with ConnectionLost when the connection
   * dies first, WinrmClientError('timeout') after `timeoutMs`, 'protocol' on a malformed response.
   * `record.status` is set to the response's status before the promise resolves.
   */
  send(req: HttpRequest, timeoutMs: number, record?: { status: number }): Promise<HttpResponse> {
    if (this.pending) return Promise.reject(new Error('HttpConnection: a request is already outstanding'));
    if (!this.usable) {
      return Promise.reject(new ConnectionLost(false, false, !!this.lost?.reset, `connection ${this.id} is no longer usable`));
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      const timer = this.env.clock.setTimeout(() => {
        if (this.pending !== p) return;
        this.pending = undefined;
        // The response may still come: the connection's state is unknown, so it is dropped.
        this.closeNow();
        reject(new WinrmClientError('timeout', `no response to '${startLine(req)}' within ${timeoutMs} ms`, { conn: this.id }));
      }, timeoutMs);
      const p: Pending = { resolve, reject, started: false, timer, record };
      this.pending = p;
      this.parser.expectResponseTo(req.method);
      traceMessage(this.env.trace, this.id, this.env.actor, 'out', req);
      this.conn.write(serialize(req));
    });
  }

  /** After a 2xx to CONNECT: the bytes already read past the response (the start of TLS). */
  detachTunnel(): Uint8Array {
    return this.parser.detach();
  }

  close(): void {
    this.closeNow();
  }

  private closeNow(): void {
    this.closing = true;
    if (!this.conn.closed) this.conn.close();
  }

  private settle(res: HttpResponse): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.env.clock.clearTimeout(p.timer);
    traceMessage(this.env.trace, this.id, this.env.actor, 'in', res);
    // RFC 9112 §9.6: after a response with `close`, the client must not send more on it —
    // unless it was the 2xx that turned the connection into a CONNECT tunnel (RFC 9110 §9.3.6):
    // tinyproxy and Apache answer CONNECT with `HTTP/1.0 200`, and the tunnel stays open.
    if (closesConnection(res) && !this.parser.tunnel) this.closeNow();
    if (p.record) p.record.status = res.status;
    p.resolve(res);
  }

  private fail(e: Error): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.env.clock.clearTimeout(p.timer);
    p.reject(e);
  }

  private onData(d: Uint8Array): void {
    if (this.parser.tunnel) {
      this.parser.push(d); // buffered for detachTunnel()
      return;
    }
    if (this.pending) this.pending.started = true;
    let msgs: HttpMessage[];
    try {
      msgs = this.parser.push(d);
    } catch (e) {
      this.closeNow();
      this.fail(new WinrmClientError('protocol', `malformed response on ${this.id}: ${(e as Error).message}`, { conn: this.id }));
      return;
    }
    for (const m of msgs) {
      if (m.kind !== 'response') continue;
      if (!this.pending) {
        // A response nobody asked for: the stream is out of step; drop the connection.
        this.closeNow();
        return;
      }
      this.settle(m);
    }
  }

  private onEnd(): void {
    if (this.parser.tunnel) return;
    try {
      for (const m of this.parser.end()) if (m.kind === 'response') this.settle(m);
    } catch {
      // cut short: reported by onLost below
    }
    this.onLost(false, 'peer closed the connection');
    if (!this.conn.closed) this.conn.close();
  }

  private onLost(reset: boolean, why: string): void {
    if (!this.lost) this.lost = { reset, why };
    const p = this.pending;
    if (p) this.fail(new ConnectionLost(true, p.started, reset, `${why} (${this.id}) before the response was complete`));
  }
}
