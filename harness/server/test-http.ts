// Test support: a raw HTTP/1.1 client over one Connection of any Network, driving bytes
// through the wire codec, so that server tests see exactly what goes on the wire.

import type { Connection, Network } from '../net/types.ts';
import { MessageParser, request, serialize, type HttpRequest, type HttpResponse } from '../wire/index.ts';

export class RawHttp {
  private readonly parser = new MessageParser('response');
  private readonly waiting: Array<{ resolve: (r: HttpResponse) => void; reject: (e: Error) => void }> = [];
  private closedResolve!: () => void;
  /** Resolves when the server closes (or resets) the connection. */
  readonly closedP: Promise<void>;

  private constructor(readonly conn: Connection) {
    this.closedP = new Promise((r) => (this.closedResolve = r));
    conn.onData((d) => {
      let msgs;
      try {
        msgs = this.parser.push(d);
      } catch (e) {
        this.failAll(e as Error);
        return;
      }
      for (const m of msgs) if (m.kind === 'response') this.waiting.shift()?.resolve(m);
    });
    conn.onEnd(() => {
      try {
        for (const m of this.parser.end()) if (m.kind === 'response') this.waiting.shift()?.resolve(m);
      } catch (e) {
        this.failAll(e as Error);
      }
      // The server closed: close our side too, as HTTP clients do.
      this.conn.close();
    });
    conn.onClose(() => {
      this.failAll(new Error('connection closed'));
      this.closedResolve();
    });
  }

  static async open(net: Network, o: { host: string; port: number; tls?: boolean; actor?: string }): Promise<RawHttp> {
    const conn = await net.connect({
      host: o.host,
      port: o.port,
      actor: o.actor ?? 'client',
      hop: 'client-server',
      ...(o.tls ? { tls: {} } : {}),
    });
    return new RawHttp(conn);
  }

  get closed(): boolean {
    return this.conn.closed;
  }

  /** Writes raw bytes (malformed input tests); the response, if any, resolves the promise. */
  sendRaw(bytes: Uint8Array, method = 'POST'): Promise<HttpResponse> {
    this.parser.expectResponseTo(method);
    const p = new Promise<HttpResponse>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.conn.write(bytes);
    return p;
  }

  send(req: HttpRequest): Promise<HttpResponse> {
    return this.sendRaw(serialize(req), req.method);
  }

  /** POST /wsman with the given headers and body. */
  post(headers: Array<[string, string]>, body: Uint8Array | string = new Uint8Array(0), target = '/wsman'): Promise<HttpResponse> {
    return this.send(request({ method: 'POST', target, headers: [['Host', '127.0.0.1:5985'], ...headers], body }));
  }

  close(): void {
    this.conn.close();
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(e);
  }
}
