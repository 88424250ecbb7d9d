// One client connection of the proxy: parses its requests, forwards them, relays the
// responses in order, and keeps the 1:1 client↔server connection affinity that
// connection-based authentication needs (seed: "HTTP-Based Proxy Connections"; RFC 4559 §6).

import type { Connection, Endpoint, TimerHandle } from '../net/types.ts';
import type { HttpRequest, HttpResponse } from '../wire/types.ts';
import { MessageParser, parseTarget, response, serialize, setHeader } from '../wire/index.ts';
import { errorResponse } from './error-response.ts';
import { forwardedRequestHeaders, forwardedResponseHeaders, hostValue, wantsPersistence } from './forwarding.ts';
import { connectionOptions } from './hop-by-hop.ts';
import { proxyAuthRequired } from './proxy-auth.ts';
import type { ConnectionGate } from './proxy-gate.ts';
import { openUpstream } from './connect-upstream.ts';
import type { ProxyShared } from './shared.ts';
import { traceMessage } from '../net/trace-message.ts';
import { pipeOneWay } from './tunnel.ts';
import type { FaultContext, RelayContext } from './types.ts';
import { Upstream } from './upstream.ts';
import { OrderedWriter } from './writer.ts';
import { dechunk } from './reframe.ts';

// Hop-by-hop fields a request is forwarded with: none, or Proxy-Authorization (a fault's).
const NONE: readonly string[] = [];
const KEEP_PROXY_AUTHORIZATION: readonly string[] = ['proxy-authorization'];

type Queued = { kind: 'request'; req: HttpRequest } | { kind: 'bad'; reason: string };

export class ClientSession {
  private parser = new MessageParser('request');
  private readonly queue: Queued[] = [];
  /** http: parsing requests; tunnel: raw relay; intercept: TLS terminated; closed: done. */
  private mode: 'http' | 'tunnel' | 'intercept' | 'closed' = 'http';
  private processing = false;
  private clientEnded = false;
  /** The server connection pinned to this client (per-client, and pool-after-auth before auth). */
  private pinned?: Upstream;
  /** The server connection carrying the request being handled, whatever the policy. */
  private inflight?: Upstream;
  private idleTimer?: TimerHandle;
  private readonly writer: OrderedWriter;
  private readonly state: Record<string, unknown> = {};
  private clientVersion = 'HTTP/1.1';
  /** CONNECT tunnel: the writer to the server and its relay context (data, not closures: see Upstream.next). */
  private tunnelUp?: { writer: OrderedWriter; ctx: RelayContext };
  private tunnelConns: Connection[] = [];
  /** A request could not be parsed: the rest of the stream is ignored. */
  private broken = false;
  /** Proxy authentication state of this client connection (Negotiate/NTLM bind to it). */
  private readonly gate?: ConnectionGate;

  constructor(
    private readonly shared: ProxyShared,
    readonly conn: Connection,
    private readonly onDone: (s: ClientSession) => void,
  ) {
    this.writer = new OrderedWriter(conn, shared.net.clock, shared.faults);
    if (shared.gate) this.gate = shared.gate.forConnection();
    conn.onData((d) => this.onData(d));
    conn.onEnd(() => this.onClientEnd());
    conn.onClose((info) => this.onClientClose(info.reset));
    this.armIdle();
  }

  /** Closes the client connection and everything it holds (proxy shutdown). */
  close(): void {
    for (const c of this.tunnelConns) if (!c.closed) c.close();
    this.shutdown();
  }

  // ---- events from the client connection -------------------------------------------

  private onData(d: Uint8Array): void {
    if (this.mode === 'tunnel') {
      this.armIdle();
      if (this.tunnelUp) void this.tunnelUp.writer.write(d, this.tunnelUp.ctx);
      return;
    }
    if (this.mode !== 'http' || this.broken) return;
    this.disarmIdle();
    this.parse(d);
    void this.pump();
  }

  /** Queues the requests completed by `d`, or by the end of the stream when `d` is null. */
  private parse(d: Uint8Array | null): void {
    try {
      const msgs = d ? this.parser.push(d) : this.parser.tunnel ? [] : this.parser.end();
      for (const m of msgs) {
        if (m.kind !== 'request') continue;
        traceMessage(this.shared.net.trace, this.conn.id, this.shared.actor, 'in', m);
        this.queue.push({ kind: 'request', req: m });
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.queue.push({ kind: 'bad', reason });
      // Nothing after a framing error can be trusted (RFC 9112 §2.2): stop reading.
      this.broken = true;
    }
  }

  private onClientEnd(): void {
    if (this.mode === 'tunnel') return void this.tunnelUp?.writer.end();
    if (this.mode !== 'http' || this.broken) return;
    this.clientEnded = true;
    this.parse(null);
    void this.pump();
  }

  private onClientClose(reset: boolean): void {
    if (this.mode === 'closed') return;
    const wasTunnel = this.mode === 'tunnel' || this.mode === 'intercept';
    this.mode = 'closed';
    this.disarmIdle();
    if (wasTunnel) {
      for (const c of this.tunnelConns) if (!c.closed) (reset ? c.reset() : c.close());
    }
    this.releaseAll();
    this.onDone(this);
  }

  // ---- the request loop ---------------------------------------------------------------

  private async pump(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0 && this.mode === 'http') {
        const item = this.queue.shift()!;
        if (item.kind === 'bad') {
          await this.fail(400, item.reason);
          break;
        }
        const goOn = await this.handle(item.req);
        if (!goOn) break;
      }
    } catch (err) {
      // Nothing may crash the proxy: an unexpected error ends this client connection only.
      this.shared.net.trace.note(this.shared.actor, `internal error: ${String(err).split('\n')[0]}`, this.conn.id);
      this.shutdown();
    } finally {
      this.processing = false;
    }
    if (this.mode !== 'http') return;
    if (this.queue.length > 0) return void this.pump();
    if (this.clientEnded) this.shutdown();
    else this.armIdle();
  }

  /** Handles one request; false when the client connection is finished. */
  private async handle(req: HttpRequest): Promise<boolean> {
    this.clientVersion = req.version;
    const { faults } = this.shared;
    const options = connectionOptions(req.headers);
    const keepAlive = wantsPersistence(req, options);

    // RFC 9110 §11.7.1: the proxy challenges for its own credentials, CONNECT included.
    const verdict = this.gate?.check(req);
    if (verdict?.note) this.shared.net.trace.note(this.shared.actor, `proxy-auth: ${verdict.note}`, this.conn.id);
    if (verdict && !verdict.ok) {
      if (req.method === 'CONNECT') this.restartParser();
      let res = proxyAuthRequired(verdict.challenges, verdict.connectionBound);
      if (!keepAlive) res = { ...res, headers: setHeader(res.headers, 'Connection', 'close') };
      await this.sendToClient(res, req);
      if (!keepAlive) this.shutdown();
      return keepAlive;
    }

    if (req.method === 'CONNECT') return this.connect(req);

    let target;
    try {
      target = parseTarget(req.target, req.method);
    } catch (err) {
      await this.fail(400, err instanceof Error ? err.message : String(err));
      return false;
    }
    if (target.form !== 'absolute' || !target.host || !target.port || !target.scheme) {
      await this.fail(400, `a proxy needs an absolute-form target, got ${JSON.stringify(req.target.slice(0, 100))}`);
      return false;
    }

    // RFC 9112 §3.2.2, RFC 9110 §7.6: origin-form upstream, Host from the target, hop-by-hop
    // fields removed, Via appended.
    const keep = faults.keepProxyAuthorization ? KEEP_PROXY_AUTHORIZATION : NONE;
    const host = hostValue(target.scheme, target.host, target.port);
    const headers = forwardedRequestHeaders(req.headers, options, keep, host, req.version);
    let fwd: HttpRequest = { ...req, target: target.path ?? '/', version: 'HTTP/1.1', headers };
    const fctx = this.ctx(); // one per request: its fields do not change while the request is handled
    fwd = faults.onRequest(fwd, fctx);

    const authority = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    // A pinned or pooled server connection is taken without waiting; only a new one is awaited.
    const reused = this.reuse(authority);
    const got = reused ? { ok: true as const, up: reused } : await this.open(authority, target.host, target.port, target.scheme === 'https');
    if (this.mode !== 'http') return false;
    if (!got.ok) {
      await this.fail(502, got.reason);
      return false;
    }
    const up = got.up;
    this.inflight = up;
    void up.send(fwd, this.messageRelayCtx('to-server', fwd));

    const timeout = faults.responseTimeoutMs ?? this.shared.timeouts.responseMs;
    let res: HttpResponse;
    for (;;) {
      const outcome = await up.next(timeout);
      if (this.mode !== 'http') return false;
      if (outcome.kind === 'timeout') {
        up.retire();
        await this.fail(504, `no response from ${authority} within ${timeout / 1000} s`);
        return false;
      }
      if (outcome.kind === 'closed') {
        await this.fail(502, `${authority} closed the connection before responding`);
        return false;
      }
      if (outcome.kind === 'malformed') {
        await this.fail(502, `malformed response from ${authority}: ${outcome.reason}`);
        return false;
      }
      const r = outcome.response;
      // RFC 9110 §15.2: interim responses are relayed, the final one follows (101 cannot:
      // Upgrade is hop-by-hop and was removed).
      if (r.status >= 100 && r.status < 200 && r.status !== 101) {
        await this.sendToClient(this.prepareResponse(r, false), req);
        continue;
      }
      res = r;
      break;
    }

    up.busy = false;
    up.lastActive = this.shared.net.clock.now();
    this.inflight = undefined;
    if (res.status >= 200 && res.status < 300) up.authenticated = true;

    const resOptions = connectionOptions(res.headers);
    const upstreamEnds = !wantsPersistence(res, resOptions) || res.framing.kind === 'close' || up.dead;
    const policy = faults.upstreamPolicy;
    const pinnedNow = policy === 'per-client' || (policy === 'pool-after-auth' && !up.authenticated);
    // With a pinned server connection, its end ends the client connection (1:1 affinity).
    let closeClient = !keepAlive || res.framing.kind === 'close' || (upstreamEnds && pinnedNow);
    const faultClose = faults.closeAfter(res, req, fctx);
    closeClient ||= faultClose;

    let out = this.prepareResponse(res, closeClient, resOptions);
    out = faults.onResponse(out, req, fctx);
    const wrote = this.sendToClient(out, req);
    if (wrote) await wrote; // pending only behind a delay step of a relay fault

    // Where the server connection goes now.
    if (upstreamEnds || faultClose || (closeClient && pinnedNow) || policy === 'per-request') {
      up.retire();
    } else if (!pinnedNow) {
      this.shared.pool.release(up);
    } else {
      this.pinned = up;
    }
    if (this.pinned === up && (up.retiring || !pinnedNow)) this.pinned = undefined;

    if (closeClient) {
      this.shutdown();
      return false;
    }
    return true;
  }

  /** RFC 9110 §7.6: what the client receives for a server response. */
  private prepareResponse(r: HttpResponse, closeClient: boolean, options = connectionOptions(r.headers)): HttpResponse {
    let res: HttpResponse = { ...r, version: 'HTTP/1.1', headers: forwardedResponseHeaders(r.headers, options, r.version) };
    // An HTTP/1.0 recipient cannot read chunked framing (RFC 9112 §7.1).
    if (this.clientVersion === 'HTTP/1.0' && res.framing.kind === 'chunked') res = dechunk(res);
    // The list is this response's own (fresh from above or from dechunk), and holds no Connection
    // field (hop-by-hop, removed): the proxy's own goes last.
    if (closeClient) res.headers.push({ name: 'Connection', value: 'close' });
    else if (this.clientVersion === 'HTTP/1.0') res.headers.push({ name: 'Connection', value: 'keep-alive' });
    return res;
  }

  // ---- server connections ---------------------------------------------------------------

  /** The pinned server connection for `authority` if it is still good, else an idle pooled one (policy allowing). */
  private reuse(authority: string): Upstream | undefined {
    const { faults, pool, net, actor } = this.shared;
    const policy = faults.upstreamPolicy;
    let up = this.pinned;
    // Affinity holds per authority: another authority gets another connection.
    if (up && (up.authority !== authority || up.dead)) {
      up.retire();
      up = this.pinned = undefined;
    }
    if (up && faults.reconnectIdleMs !== undefined && net.clock.now() - up.lastActive > faults.reconnectIdleMs) {
      net.trace.note(actor, `replacing server connection ${up.conn.id} idle for ${net.clock.now() - up.lastActive} ms`, this.conn.id);
      up.retire();
      up = this.pinned = undefined;
    }
    if (up) return up;
    if (policy === 'pool' || policy === 'pool-after-auth') {
      const pooled = pool.acquire(authority);
      if (pooled) {
        this.watch(pooled);
        return pooled;
      }
    }
    return undefined;
  }

  /** A new server connection to `authority` (pinned when the policy says so). */
  private async open(
    authority: string,
    host: string,
    port: number,
    https: boolean,
  ): Promise<{ ok: true; up: Upstream } | { ok: false; reason: string }> {
    const { faults, pool, net, actor } = this.shared;
    const policy = faults.upstreamPolicy;
    const opened = await openUpstream(this.shared, host, port, https ? { servername: host } : undefined);
    if (!opened.ok) return opened;
    if (this.mode !== 'http') {
      opened.conn.close();
      return { ok: false, reason: 'client went away' };
    }
    const fresh = new Upstream(opened.conn, authority, net.clock, net.trace, actor, faults);
    fresh.onDeath(() => pool.remove(fresh));
    this.watch(fresh);
    if (policy === 'per-client' || policy === 'pool-after-auth') this.pinned = fresh;
    return { ok: true, up: fresh };
  }

  /** When the server ends a pinned, idle connection, the client connection ends too. */
  private watch(up: Upstream): void {
    up.onDeath(() => {
      if (up.retiring || up.busy || this.pinned !== up) return;
      this.pinned = undefined;
      this.shutdown();
    });
  }

  // ---- CONNECT --------------------------------------------------------------------------

  private async connect(req: HttpRequest): Promise<boolean> {
    const { faults, net, actor } = this.shared;
    let target;
    try {
      target = parseTarget(req.target, 'CONNECT');
    } catch (err) {
      await this.fail(400, err instanceof Error ? err.message : String(err));
      return false;
    }
    const endpoint: Endpoint = { host: target.host!, port: target.port! };
    const refusal = faults.onConnect(endpoint, req, this.ctx());
    if (refusal) {
      await this.sendToClient({ ...refusal, headers: setHeader(refusal.headers, 'Connection', 'close') }, req);
      this.shutdown();
      return false;
    }
    const opened = await openUpstream(this.shared, endpoint.host, endpoint.port);
    if (this.mode !== 'http') {
      if (opened.ok) opened.conn.close();
      return false;
    }
    if (!opened.ok) {
      await this.fail(502, opened.reason);
      return false;
    }
    const upConn = opened.conn;
    // RFC 9110 §9.3.6: a 2xx makes the connection a tunnel; it carries no content framing.
    const ok = response({ status: 200, reason: 'Connection established', bodiless: true });
    await this.sendToClient(ok, req);
    // Bytes the client sent after the CONNECT request belong to the tunnel.
    const early = this.parser.detach();

    if (faults.interceptTls) return this.intercept(upConn, endpoint, early);

    this.mode = 'tunnel';
    this.tunnelConns.push(upConn);
    this.armIdle();
    const upWriter = new OrderedWriter(upConn, net.clock, faults);
    const toServer = this.relayCtx('to-server');
    this.tunnelUp = { writer: upWriter, ctx: toServer };
    if (early.length > 0) void upWriter.write(early, toServer);
    pipeOneWay(upConn, this.writer, this.relayCtx('to-client'), () => this.armIdle());
    // The client's FIN and close are relayed from the session's own handlers.
    net.trace.note(actor, `tunnel to ${endpoint.host}:${endpoint.port}`, this.conn.id);
    return false;
  }

  /** tls-intercept: terminate the client's TLS with our identity, open our own to the server. */
  private async intercept(upConn: Connection, endpoint: Endpoint, early: Uint8Array): Promise<boolean> {
    const { net, actor, identity, faults } = this.shared;
    this.mode = 'intercept';
    this.tunnelConns.push(upConn);
    try {
      if (!identity) throw new Error('tls-intercept needs an identity');
      const clientTls = await net.startTls(this.conn, { role: 'server', identity, initialData: early });
      const serverTls = await net.startTls(upConn, { role: 'client', servername: endpoint.host });
      this.tunnelConns.push(clientTls, serverTls);
      net.trace.note(actor, `intercepting TLS to ${endpoint.host}:${endpoint.port} as ${identity.subject}`, this.conn.id);
      const toClient = new OrderedWriter(clientTls, net.clock, faults);
      const toServer = new OrderedWriter(serverTls, net.clock, faults);
      pipeOneWay(clientTls, toServer, this.relayCtx('to-server'), () => undefined);
      pipeOneWay(serverTls, toClient, this.relayCtx('to-client'), () => undefined);
    } catch (err) {
      net.trace.note(actor, `tls-intercept failed: ${String(err).split('\n')[0]}`, this.conn.id);
      upConn.close();
      this.conn.close();
    }
    return false;
  }

  /** After a refused CONNECT, the connection goes back to HTTP with what was buffered. */
  private restartParser(): void {
    if (!this.parser.tunnel) return;
    const rest = this.parser.detach();
    this.parser = new MessageParser('request');
    if (rest.length > 0) this.parse(rest);
  }

  // ---- output -------------------------------------------------------------------------------

  /** Writes `res` to the client; returns a promise only while the write is pending (see OrderedWriter). */
  private sendToClient(res: HttpResponse, req: HttpRequest): Promise<void> | void {
    if (this.conn.closed) return;
    traceMessage(this.shared.net.trace, this.conn.id, this.shared.actor, 'out', res);
    return this.writer.write(serialize(res), this.messageRelayCtx('to-client', res, req));
  }

  /** Sends an error response with a one-line reason and closes the client connection. */
  private async fail(status: number, reason: string): Promise<void> {
    const req: HttpRequest = {
      kind: 'request',
      method: 'GET',
      target: '/',
      version: this.clientVersion,
      headers: [],
      body: new Uint8Array(0),
      framing: { kind: 'none' },
    };
    await this.sendToClient(errorResponse(status, reason), req);
    this.shutdown();
  }

  /** Closes the client connection after pending writes, and whatever server connection it holds. */
  private shutdown(): void {
    if (this.mode === 'closed') return;
    this.mode = 'closed';
    this.disarmIdle();
    void this.writer.close();
    this.releaseAll();
    this.onDone(this);
  }

  private releaseAll(): void {
    this.pinned?.retire();
    this.pinned = undefined;
    // A request in flight leaves its server connection in an unknown state: never reuse it.
    this.inflight?.retire();
    this.inflight = undefined;
  }

  // ---- timers and contexts ------------------------------------------------------------

  private armIdle(): void {
    this.disarmIdle();
    if (this.mode === 'closed') return;
    const { clock } = this.shared.net;
    this.idleTimer = clock.setTimeout(() => {
      this.idleTimer = undefined;
      if (this.processing) return;
      this.shared.net.trace.note(this.shared.actor, 'closing idle client connection', this.conn.id);
      if (this.mode === 'tunnel') for (const c of this.tunnelConns) if (!c.closed) c.close();
      this.shutdown();
    }, this.shared.timeouts.idleMs);
  }

  private disarmIdle(): void {
    if (this.idleTimer) this.shared.net.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private ctx(): FaultContext {
    const { net, actor } = this.shared;
    return { clock: net.clock, trace: net.trace, actor, clientConn: this.conn.id, clientVersion: this.clientVersion, state: this.state };
  }

  /** The relay context of one message write, made only when a fault relays (nothing else reads it). */
  private messageRelayCtx(direction: RelayContext['direction'], message: HttpRequest | HttpResponse, request?: HttpRequest): RelayContext | undefined {
    return this.shared.faults.relays ? this.relayCtx(direction, message, request) : undefined;
  }

  private relayCtx(direction: RelayContext['direction'], message?: HttpRequest | HttpResponse, request?: HttpRequest): RelayContext {
    // ctx()'s fields, then direction, message and request when given (built directly: one per write).
    const { net, actor } = this.shared;
    const c: { -readonly [K in keyof RelayContext]: RelayContext[K] } = {
      clock: net.clock,
      trace: net.trace,
      actor,
      clientConn: this.conn.id,
      clientVersion: this.clientVersion,
      state: this.state,
      direction,
    };
    if (message) c.message = message;
    if (request) c.request = request;
    return c;
  }
}
