// A bare HTTP/1.1 connection for probes no WinRM client would send (an unauthenticated
// rider, a CONNECT without credentials): one request at a time, every wait bounded by the
// network's clock, every message recorded in the Trace.

import { traceMessage } from '../net/trace-message.ts';
import type { Connection, Network } from '../net/types.ts';
import { MessageParser, serialize } from '../wire/index.ts';
import type { HttpRequest, HttpResponse } from '../wire/types.ts';

export class RawConnection {
  private readonly parser = new MessageParser('response');
  private readonly queue: HttpResponse[] = [];
  private waiter?: () => void;
  closed = false;
  /** Why the last send got no response (timeout, close, unparseable bytes); for a case's reason. */
  noResponse?: string;

  private constructor(
    private readonly net: Network,
    readonly conn: Connection,
    private readonly actor: string,
  ) {
    conn.onData((d) => {
      try {
        for (const m of this.parser.push(d)) if (m.kind === 'response') this.queue.push(m);
      } catch (e) {
        this.closed = true;
        this.noResponse = `the proxy answered bytes that are not an HTTP response (${(e as Error).message})`;
        conn.reset();
      }
      this.waiter?.();
    });
    const done = () => {
      this.closed = true;
      try {
        for (const m of this.parser.end()) if (m.kind === 'response') this.queue.push(m);
      } catch {
        // a cut response: nothing more to read
      }
      this.waiter?.();
    };
    conn.onEnd(done);
    conn.onClose(done);
  }

  static async open(net: Network, to: { host: string; port: number }, actor: string, timeoutMs: number): Promise<RawConnection> {
    const conn = await net.connect({ host: to.host, port: to.port, actor, hop: 'client-proxy', timeoutMs });
    return new RawConnection(net, conn, actor);
  }

  /** Sends one request and waits for its (final) response; undefined when the connection ended first. */
  async send(req: HttpRequest, timeoutMs: number): Promise<HttpResponse | undefined> {
    this.parser.expectResponseTo(req.method);
    this.noResponse = undefined;
    traceMessage(this.net.trace, this.conn.id, this.actor, 'out', req);
    this.conn.write(serialize(req));
    const res = await this.next(timeoutMs);
    if (res) traceMessage(this.net.trace, this.conn.id, this.actor, 'in', res);
    return res;
  }

  private next(timeoutMs: number): Promise<HttpResponse | undefined> {
    return new Promise((resolve) => {
      const clock = this.net.clock;
      const check = () => {
        while (this.queue.length && this.queue[0].status < 200) this.queue.shift(); // 1xx interim
        if (this.queue.length) return finish(this.queue.shift());
        if (this.closed) {
          this.noResponse ??= 'the proxy closed the connection without a response';
          return finish(undefined);
        }
      };
      const timer = clock.setTimeout(() => {
        this.noResponse = `no response within ${timeoutMs} ms`;
        finish(undefined);
      }, timeoutMs);
      const finish = (r: HttpResponse | undefined) => {
        clock.clearTimeout(timer);
        this.waiter = undefined;
        resolve(r);
      };
      this.waiter = check;
      check();
    });
  }

  close(): void {
    if (!this.conn.closed) this.conn.close();
  }
}
