// The unauthenticated client of the seed's warning ("an unauthorized client could connect to
// the destination server by using the same authenticated connection"): it sends WS-Man in
// clear with no Authorization header, through the proxy when there is one, and records its
// exchanges like the real client (tag `X-Wpc-Request: <actor>/<n>`). It never authenticates;
// whatever data it gets back, it got by riding someone else's connection.

import { MessageParser, getHeader, request as httpRequest, serialize, startLine, type HttpResponse } from '../wire/index.ts';
import * as wsman from '../wsman/index.ts';
import type { Connection, Network } from '../net/types.ts';
import { WinrmClientError, type ClientExchange, type CommandResult, type WinrmClient } from '../client/types.ts';

export interface RiderOptions {
  /** e.g. http://127.0.0.1:5985/wsman */
  endpoint: string;
  /** host:port of the proxy, or undefined to go direct. */
  proxy?: { host: string; port: number };
  actor: string;
  timeoutMs?: number;
  random: { bytes(n: number): Uint8Array };
}

const MAX_RECEIVE_ROUNDS = 100;

export function createRider(net: Network, o: RiderOptions): WinrmClient {
  const url = new URL(o.endpoint);
  const exchanges: ClientExchange[] = [];
  const timeoutMs = o.timeoutMs ?? 30_000;
  let n = 0;
  let conn: Connection | undefined;
  let pending: { parser: MessageParser; resolve: (r: HttpResponse) => void; reject: (e: Error) => void } | undefined;
  const messageId = () => `uuid:${Buffer.from(o.random.bytes(16)).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')}`;

  async function connection(): Promise<Connection> {
    if (conn && !conn.closed && !conn.remoteEnded) return conn;
    const to = o.proxy ?? { host: url.hostname, port: Number(url.port || 80) };
    const c = await net.connect({ host: to.host, port: to.port, actor: o.actor, hop: o.proxy ? 'client-proxy' : 'client-server', timeoutMs });
    c.onData((d) => {
      if (!pending) return;
      try {
        const msgs = pending.parser.push(d);
        if (msgs.length) pending.resolve(msgs[0] as HttpResponse);
      } catch (e) {
        pending.reject(new WinrmClientError('protocol', `bad response: ${(e as Error).message}`));
      }
    });
    const lost = () => pending?.reject(new WinrmClientError('network', `connection ${c.id} closed before the response`));
    c.onEnd(() => {
      try {
        const msgs = pending?.parser.end() ?? [];
        if (msgs.length) return pending!.resolve(msgs[0] as HttpResponse);
      } catch {
        // cut short
      }
      lost();
    });
    c.onClose(lost);
    conn = c;
    return c;
  }

  async function exchange(step: string, xml: string, extra: Array<[string, string]> = []): Promise<HttpResponse> {
    const c = await connection().catch((e: Error) => {
      throw new WinrmClientError('network', `${o.actor}: ${e.message}`);
    });
    const tag = `${o.actor}/${++n}`;
    const body = new TextEncoder().encode(xml);
    const req = httpRequest({
      method: 'POST',
      target: o.proxy ? url.href : url.pathname,
      headers: [
        ['Host', url.host],
        ['Content-Type', 'application/soap+xml;charset=UTF-8'],
        ['Connection', 'Keep-Alive'],
        ['X-Wpc-Request', tag],
        ...extra,
      ],
      body,
    });
    const entry: ClientExchange = { conn: c.id, tag, requestLine: startLine(req), status: 0, step };
    exchanges.push(entry);
    const parser = new MessageParser('response');
    parser.expectResponseTo('POST');
    const res = await new Promise<HttpResponse>((resolve, reject) => {
      const timer = net.clock.setTimeout(() => {
        reject(new WinrmClientError('timeout', `${o.actor}: no response to ${step} within ${timeoutMs} ms`));
        c.reset();
      }, timeoutMs);
      pending = {
        parser,
        resolve: (r) => {
          net.clock.clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          net.clock.clearTimeout(timer);
          reject(e);
        },
      };
      c.write(serialize(req));
    }).finally(() => (pending = undefined));
    entry.status = res.status;
    if (res.status === 401 || res.status === 403) throw new WinrmClientError('access-denied', `${o.actor}: ${step} answered ${res.status} (no credentials)`);
    if (res.status === 500 && res.body.length === 0) throw new WinrmClientError('access-denied', `${o.actor}: ${step} refused with 500 (unencrypted body)`);
    if (res.status !== 200) {
      const ct = getHeader(res.headers, 'content-type') ?? '';
      const code = ct.includes('soap') ? 'wsman-fault' : 'protocol';
      throw new WinrmClientError(code, `${o.actor}: ${step} answered ${res.status}`);
    }
    return res;
  }

  const parse = (res: HttpResponse) => wsman.parseResponse(new TextDecoder().decode(res.body));
  const ro = () => ({ to: url.href, messageId: messageId() });
  let stdout: Uint8Array[] = [];

  const rider: WinrmClient = {
    exchanges,
    handshakes: 0,
    async identify() {
      const r = parse(await exchange('Identify', wsman.identify(ro()), [['WSMANIDENTIFY', 'unauthenticated']]));
      return { productVendor: r.identify?.productVendor ?? '', productVersion: r.identify?.productVersion ?? '', protocolVersion: r.identify?.protocolVersion ?? '' };
    },
    async createShell() {
      const r = parse(await exchange('Create', wsman.createShell(ro())));
      if (!r.shellId) throw new WinrmClientError('protocol', `${o.actor}: Create answered without a ShellId`);
      return r.shellId;
    },
    async command(shellId, cmd, args = []) {
      const r = parse(await exchange('Command', wsman.command(shellId, cmd, args, ro())));
      if (!r.commandId) throw new WinrmClientError('protocol', `${o.actor}: Command answered without a CommandId`);
      return r.commandId;
    },
    async receive(shellId, commandId) {
      const r = parse(await exchange('Receive', wsman.receive(shellId, commandId, ro())));
      const out = (r.streams ?? []).filter((s) => s.name === 'stdout').map((s) => s.data);
      stdout = [...stdout, ...out];
      const done = (r.commandState?.state ?? '').endsWith('Done');
      return { stdout: Buffer.concat(out), stderr: new Uint8Array(0), exitCode: r.commandState?.exitCode ?? 0, done };
    },
    async signal(shellId, commandId, code = 'terminate') {
      await exchange('Signal', wsman.signal(shellId, commandId, `http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/${code}`, ro()));
    },
    async deleteShell(shellId) {
      await exchange('Delete', wsman.deleteShell(shellId, ro()));
    },
    async runCommand(cmd, args = []): Promise<CommandResult> {
      const shell = await rider.createShell();
      const id = await rider.command(shell, cmd, args);
      let last: CommandResult & { done: boolean } = { stdout: new Uint8Array(0), stderr: new Uint8Array(0), exitCode: 0, done: false };
      const all: Uint8Array[] = [];
      for (let i = 0; i < MAX_RECEIVE_ROUNDS && !last.done; i++) {
        last = await rider.receive(shell, id);
        all.push(last.stdout);
      }
      await rider.signal(shell, id);
      await rider.deleteShell(shell);
      return { stdout: Buffer.concat(all), stderr: new Uint8Array(0), exitCode: last.exitCode };
    },
    close() {
      conn?.close();
    },
  };
  return rider;
}
