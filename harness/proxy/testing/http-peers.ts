// A tiny HTTP/1.1 client and origin server written against Connection and the wire codec,
// for driving the proxy on either transport in tests. Not the WinRM endpoints: just enough
// HTTP to see what the proxy did on the wire.

import type { Connection, Endpoint, Listener, Network } from '../../net/types.ts';
import type { HttpRequest, HttpResponse } from '../../wire/types.ts';
import { hasToken, MessageParser, response, serialize } from '../../wire/index.ts';

export interface SeenRequest {
  /** Server-side connection id the request arrived on. */
  conn: string;
  req: HttpRequest;
}

export type Handler = (req: HttpRequest, conn: Connection) => HttpResponse | Promise<HttpResponse>;

/** Default handler: 200 naming the connection in `X-Server-Conn`, echoing the request body. */
export const echoHandler: Handler = (req, conn) =>
  response({ status: 200, headers: [['X-Server-Conn', conn.id], ['Content-Type', 'application/octet-stream']], body: req.body });

export interface OriginServer {
  address: Endpoint;
  seen: SeenRequest[];
  /** Server-side connections accepted, in order. */
  conns: Connection[];
  close(): Promise<void>;
}

/** An origin server: answers requests in order on each connection; honours Connection: close. */
export async function startOrigin(
  net: Network,
  opts: { host?: string; port?: number; actor?: string; tls?: Parameters<Network['listen']>[0]['tls'] } = {},
  handler: Handler = echoHandler,
): Promise<OriginServer> {
  const seen: SeenRequest[] = [];
  const conns: Connection[] = [];
  const listener: Listener = await net.listen(
    { host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, actor: opts.actor ?? 'server', ...(opts.tls ? { tls: opts.tls } : {}) },
    (conn) => {
      conns.push(conn);
      const parser = new MessageParser('request');
      let chain = Promise.resolve();
      conn.onData((d) => {
        let msgs;
        try {
          msgs = parser.push(d);
        } catch {
          conn.write(serialize(response({ status: 400, headers: [['Connection', 'close']] })));
          conn.close();
          return;
        }
        for (const m of msgs) {
          if (m.kind !== 'request') continue;
          seen.push({ conn: conn.id, req: m });
          chain = chain.then(async () => {
            const res = await handler(m, conn);
            if (conn.closed) return;
            conn.write(serialize(res));
            if (hasToken(m.headers, 'connection', 'close') || hasToken(res.headers, 'connection', 'close')) conn.close();
          });
        }
      });
      conn.onEnd(() => void chain.then(() => conn.close()));
    },
  );
  return { address: listener.address, seen, conns, close: () => listener.close() };
}

/** A client over one connection: sends requests one after another and reads the responses. */
export class TestClient {
  readonly responses: HttpResponse[] = [];
  closeInfo?: { reset: boolean };
  private parser = new MessageParser('response');
  private waiters: Array<{ resolve(r: HttpResponse): void; reject(e: Error): void }> = [];
  private closeWaiters: Array<(i: { reset: boolean }) => void> = [];

  constructor(readonly conn: Connection) {
    conn.onData((d) => {
      let msgs: ReturnType<MessageParser['push']>;
      try {
        msgs = this.parser.push(d);
      } catch (err) {
        this.failAll(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      this.deliver(msgs);
    });
    const ended = (): void => {
      try {
        this.deliver(this.parser.end());
      } catch {
        // a cut message: the waiter learns it from the close
      }
    };
    // Like any HTTP client: the server's FIN ends the exchange, so this side closes too.
    conn.onEnd(() => {
      ended();
      if (!conn.closed) conn.close();
    });
    conn.onClose((info) => {
      ended();
      this.closeInfo = { reset: info.reset };
      this.failAll(new Error(info.reset ? 'connection reset' : 'connection closed'));
      for (const w of this.closeWaiters.splice(0)) w({ reset: info.reset });
    });
  }

  static async open(net: Network, to: Endpoint, actor = 'client', hop = 'client-proxy'): Promise<TestClient> {
    return new TestClient(await net.connect({ host: to.host, port: to.port, actor, hop }));
  }

  /** Sends `req` and resolves with its final (non-1xx) response. */
  send(req: HttpRequest): Promise<HttpResponse> {
    this.parser.expectResponseTo(req.method);
    const p = new Promise<HttpResponse>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.conn.write(serialize(req));
    return p;
  }

  /** Writes raw bytes; the next response resolves the returned promise. */
  sendRaw(bytes: Uint8Array | string, method = 'GET'): Promise<HttpResponse> {
    this.parser.expectResponseTo(method);
    const p = new Promise<HttpResponse>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.conn.write(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
    return p;
  }

  /** Bytes received after a 2xx to CONNECT (the tunnel), not parsed. */
  detach(): Uint8Array {
    return this.parser.detach();
  }

  whenClosed(): Promise<{ reset: boolean }> {
    if (this.closeInfo) return Promise.resolve(this.closeInfo);
    return new Promise((r) => this.closeWaiters.push(r));
  }

  close(): void {
    this.conn.close();
  }

  private deliver(msgs: ReturnType<MessageParser['push']>): void {
    for (const m of msgs) {
      if (m.kind !== 'response' || (m.status >= 100 && m.status < 200)) continue;
      this.responses.push(m);
      this.waiters.shift()?.resolve(m);
    }
  }

  private failAll(err: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}
