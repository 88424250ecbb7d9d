// One accepted server connection: bytes → requests (wire codec) → handler, answers written in
// request order (RFC 9112 §9.3.2), persistence per RFC 9112 §9.3 and §9.6, and every wait
// bounded by the idle timeout. The auth context lives and dies here.

import {
  MessageParser,
  WireError,
  getHeader,
  hasToken,
  serialize,
  startLine,
  type HttpMessage,
  type HttpRequest,
  type HttpResponse,
} from '../wire/index.ts';
import type { Connection, Network, TimerHandle } from '../net/types.ts';
import { traceMessage } from '../net/trace-message.ts';
import type { AuditRecorder } from './audit.ts';
import { AuthContext } from './auth-context.ts';
import type { NegotiateCodec, NtlmAcceptorFactory } from './auth-deps.ts';
import { ConnectionEnd } from './connection-end.ts';
import { CredSspConnection, type CredSspServerFactory } from './credssp-context.ts';
import { empty } from './http-replies.ts';
import type { ListenerKind } from './policy.ts';
import { handleRequest, type ConnectionScope, type HandlerDeps, type Reply, type ReplyOrLater } from './request-handler.ts';

export interface ConnectionDeps extends HandlerDeps {
  net: Network;
  actor: string;
  audit: AuditRecorder;
  newAcceptor: NtlmAcceptorFactory;
  codec: NegotiateCodec;
  /** Set when the server offers CredSSP: one acceptor per connection (credssp-context.ts). */
  newCredSsp?: CredSspServerFactory;
  idleTimeoutMs: number;
  maxBodyBytes: number;
  /** Frame responses whose body exceeds this many bytes as chunked (RFC 9112 §7.1), in chunks of that size. */
  chunkBytes?: number;
}

/** HTTP.sys names itself so; clients and proxies see what a real WinRM listener sends. */
const SERVER_HEADER = 'Microsoft-HTTPAPI/2.0';

export class ServerConnection {
  private readonly parser: MessageParser;
  private readonly queue: HttpRequest[] = [];
  private readonly auth: AuthContext;
  private readonly credssp: CredSspConnection | undefined;
  private readonly end = new ConnectionEnd();
  /** What every request on this connection shares (nothing below mutates it). */
  private readonly scope: ConnectionScope;
  private busy = false;
  /** Set once no further request will be read (close decided, bad input, peer FIN). */
  private draining = false;
  private pendingError: WireError | undefined;
  private idleTimer: TimerHandle | undefined;
  private done = false;

  constructor(
    private readonly conn: Connection,
    private readonly listener: ListenerKind,
    private readonly deps: ConnectionDeps,
    private readonly onGone: (c: ServerConnection) => void,
  ) {
    this.parser = new MessageParser('request', { maxBodyBytes: deps.maxBodyBytes });
    this.auth = new AuthContext(deps.newAcceptor, deps.codec);
    this.credssp = deps.newCredSsp ? new CredSspConnection(deps.newCredSsp) : undefined;
    // (No conditional spread: that makes fresh hidden classes for every connection.)
    this.scope = { listener, auth: this.auth, credssp: this.credssp, cancelled: this.end };
    conn.onData((d) => this.onData(d));
    conn.onEnd(() => this.onEnd());
    conn.onClose(() => this.onClosed());
    this.armIdle();
  }

  get id(): string {
    return this.conn.id;
  }

  /** Server shutdown. */
  close(): void {
    if (!this.conn.closed) this.conn.close();
    this.onClosed();
  }

  private onData(d: Uint8Array): void {
    if (this.done || this.draining) return;
    // No idle re-arm here: pump() below disarms at once when free, and when busy the timer
    // would do nothing (it skips a busy connection); pump re-arms when it goes idle.
    let msgs: HttpMessage[];
    try {
      msgs = this.parser.push(d);
    } catch (e) {
      this.draining = true;
      this.pendingError = e instanceof WireError ? e : new WireError('bad-start-line', String(e));
      msgs = [];
    }
    for (const m of msgs) if (m.kind === 'request') this.queue.push(m);
    this.pump();
  }

  private onEnd(): void {
    if (this.done) return;
    try {
      this.parser.end();
    } catch {
      // A request cut short by the peer's FIN: nothing to answer.
    }
    this.draining = true;
    // The client went away: a held long poll has nobody to answer (HTTP.sys aborts the request).
    this.end.abort();
    this.pump();
  }

  private onClosed(): void {
    if (this.done) return;
    this.done = true;
    this.clearIdle();
    this.end.abort();
    this.auth.reset();
    this.credssp?.close();
    this.onGone(this);
  }

  private pump(): void {
    if (this.busy || this.done) return;
    this.busy = true;
    this.clearIdle();
    this.drain();
  }

  /**
   * Answers the queued requests in order while busy. Not async: a 401 leg or a refusal is
   * answered at once; when a handler has to wait (a served body), its answer resumes the drain.
   */
  private drain(): void {
    while (!this.done) {
      const req = this.queue.shift();
      if (req) {
        traceMessage(this.deps.net.trace, this.conn.id, this.deps.actor, 'in', req);
        const later = this.handle(req);
        if (later instanceof Promise) {
          void this.answerLater(req, later); // still busy: the next request waits its turn
          return;
        }
        if (!this.answer(req, later)) break;
        continue;
      }
      if (this.pendingError) {
        this.answerBadInput(this.pendingError);
        break;
      }
      if (this.draining) {
        // Peer half-closed and everything is answered: close our side too.
        this.finish();
        break;
      }
      break;
    }
    this.idle();
  }

  private async answerLater(req: HttpRequest, later: Promise<Reply | undefined>): Promise<void> {
    let reply: Reply | undefined;
    try {
      reply = await later;
    } catch (e) {
      reply = internalError(e);
    }
    if (this.answer(req, reply)) this.drain();
    else this.idle();
  }

  private handle(req: HttpRequest): ReplyOrLater {
    try {
      return handleRequest(req, this.scope, this.deps);
    } catch (e) {
      return internalError(e);
    }
  }

  private idle(): void {
    this.busy = false;
    if (!this.done) this.armIdle();
  }

  /** Writes the handler's reply to `req`; false when the connection is (to be) closed. */
  private answer(req: HttpRequest, reply: Reply | undefined): boolean {
    const { net, actor } = this.deps;
    if (this.done) return false;
    if (!reply) {
      net.trace.note(actor, `dropped a held ${req.method} ${req.target}: connection closed`, this.conn.id);
      this.finish();
      return false;
    }
    const close = reply.close || !persistent(req);
    this.deps.audit.addParts(
      { conn: this.conn.id, listener: this.listener, requestLine: startLine(req), requestTag: getHeader(req.headers, 'x-wpc-request') },
      reply.audit,
    );
    if (reply.audit.kind === 'auth-complete') {
      // Which mechanism authenticated this connection, in the Trace itself (issue 6: sim and tcp alike).
      const how = reply.audit.mechanism ? `${reply.audit.scheme} / ${reply.audit.mechanism}` : reply.audit.scheme;
      net.trace.note(actor, `authenticated ${reply.audit.identity} by ${how}`, this.conn.id);
    }
    this.send(reply.response, close, req.version === 'HTTP/1.0');
    if (close) {
      this.finish();
      return false;
    }
    return true;
  }

  private answerBadInput(e: WireError): void {
    // RFC 9112 §6.3 / §9.6: after a framing error the stream cannot be resynchronised: close.
    const status = e.code === 'body-too-large' ? 413 : 400;
    this.deps.audit.add({ conn: this.conn.id, listener: this.listener, requestLine: '', kind: 'rejected', status, reason: `malformed HTTP: ${e.code}` });
    this.send(empty(status), true, false);
    this.finish();
  }

  private send(res: HttpResponse, close: boolean, http10: boolean): void {
    res.headers.unshift({ name: 'Server', value: SERVER_HEADER });
    if (close) res.headers.push({ name: 'Connection', value: 'close' });
    else if (http10) res.headers.push({ name: 'Connection', value: 'Keep-Alive' }); // RFC 9112 §9.3 / RFC 2068 keep-alive
    const chunk = this.deps.chunkBytes;
    // Like HTTP.sys streaming a large response: only bodies over one chunk go chunked.
    if (chunk && !http10 && res.body.length > chunk) rechunk(res, chunk);
    traceMessage(this.deps.net.trace, this.conn.id, this.deps.actor, 'out', res);
    if (!this.conn.closed) this.conn.write(serialize(res));
  }

  private finish(): void {
    this.draining = true;
    if (!this.conn.closed) this.conn.close();
    this.onClosed();
  }

  private armIdle(): void {
    this.clearIdle();
    if (this.done) return;
    const clock = this.deps.net.clock;
    this.idleTimer = clock.setTimeout(() => {
      this.idleTimer = undefined;
      if (this.busy || this.done) return;
      this.deps.net.trace.note(this.deps.actor, `idle for ${this.deps.idleTimeoutMs} ms: closing`, this.conn.id);
      this.finish();
    }, this.deps.idleTimeoutMs);
  }

  private clearIdle(): void {
    if (this.idleTimer) this.deps.net.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

/** A bug below must not take the listener down: answer 500 and close. */
function internalError(e: unknown): Reply {
  return {
    response: empty(500),
    close: true,
    audit: { kind: 'rejected', status: 500, reason: `internal error: ${e instanceof Error ? e.message : String(e)}` },
  };
}

/** RFC 9112 §9.3: HTTP/1.1 persists unless `close`; HTTP/1.0 only with `keep-alive`. */
function persistent(req: HttpRequest): boolean {
  if (hasToken(req.headers, 'connection', 'close')) return false;
  if (req.version === 'HTTP/1.0') return hasToken(req.headers, 'connection', 'keep-alive');
  return true;
}

/** Re-frames a response as chunked (RFC 9112 §7.1): chunked is only for HTTP/1.1 recipients. */
function rechunk(res: HttpResponse, chunk: number): void {
  res.headers = res.headers.filter((h) => h.name.toLowerCase() !== 'content-length');
  res.headers.push({ name: 'Transfer-Encoding', value: 'chunked' });
  const sizes: number[] = [];
  for (let left = res.body.length; left > 0; left -= chunk) sizes.push(Math.min(chunk, left));
  res.framing = { kind: 'chunked', chunkSizes: sizes, trailers: [] };
}
