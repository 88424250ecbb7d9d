// The real-socket Network (node:net, node:tls). Connection ids: when both ends of a TCP
// connection are in this process they share one id — the accepting side waits for our own
// connects in flight to that port, then matches the 4-tuple; an accepted connection whose
// initiator is not ours gets its own id and initiator "external". Every wait is bounded.

import * as net from 'node:net';
import { Trace } from '../trace.ts';
import { addr } from '../conn-base.ts';
import {
  NetError,
  type ConnectOptions,
  type Connection,
  type Endpoint,
  type ListenOptions,
  type Listener,
  type Network,
} from '../types.ts';
import { RealClock } from './real-clock.ts';
import { TcpConn } from './tcp-connection.ts';
import { startTcpTls, type TcpTlsOptions } from './tcp-tls.ts';

const TLS_ACCEPT_TIMEOUT_MS = 10_000;

interface Outgoing {
  id: string;
  actor: string;
}

function endpoint(host: string | undefined, port: number | undefined): Endpoint {
  return { host: host ?? '', port: port ?? 0 };
}

function errorCode(err: NodeJS.ErrnoException): 'refused' | 'unreachable' {
  return err.code === 'ECONNREFUSED' ? 'refused' : 'unreachable';
}

export class TcpNetwork implements Network {
  readonly kind = 'tcp' as const;
  readonly clock = new RealClock();
  readonly trace: Trace;
  private nextConn = 1;
  private readonly servers = new Set<net.Server>();
  private readonly conns = new Set<TcpConn>();
  private readonly sockets = new Set<net.Socket>();
  /** Our listeners by "address:port" → actor. */
  private readonly listenerActors = new Map<string, string>();
  /** Our connected outgoing sockets, by "local>remote", until the accept side claims them. */
  private readonly outgoing = new Map<string, Outgoing>();
  /** Our connects still in progress, by target port. */
  private readonly inflight = new Map<number, Set<Promise<void>>>();

  constructor(opts: { keepBytes?: boolean } = {}) {
    this.trace = new Trace(() => this.clock.now(), opts.keepBytes ?? true);
  }

  async listen(opts: ListenOptions, onConnection: (conn: Connection) => void): Promise<Listener> {
    const server = net.createServer({ allowHalfOpen: true });
    server.on('connection', (sock) => void this.accept(sock, opts, onConnection));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new NetError('refused', `listen on ${opts.host}:${opts.port} failed: ${err.code ?? err.message}`)),
      );
      server.listen(opts.port, opts.host, () => resolve());
    });
    server.on('error', () => {}); // after listening, errors concern single accepts
    this.servers.add(server);
    const a = server.address() as net.AddressInfo;
    const address: Endpoint = { host: a.address, port: a.port };
    const key = addr(address);
    this.listenerActors.set(key, opts.actor);
    this.trace.add({ kind: 'listen', actor: opts.actor, addr: key, tls: !!opts.tls });
    let closed = false;
    return {
      address,
      close: async () => {
        if (closed) return;
        closed = true;
        this.listenerActors.delete(key);
        this.servers.delete(server);
        // Stops accepting at once; the callback would wait for accepted connections.
        server.close();
        await new Promise((r) => setImmediate(r));
      },
    };
  }

  connect(opts: ConnectOptions): Promise<Connection> {
    const to = `${opts.host}:${opts.port}`;
    const timeoutMs = opts.timeoutMs ?? 5000;
    const started = this.clock.now();
    let tcpSettled!: () => void;
    const tcpDone = new Promise<void>((r) => (tcpSettled = r));
    const waits = this.inflight.get(opts.port) ?? new Set<Promise<void>>();
    this.inflight.set(opts.port, waits);
    waits.add(tcpDone);
    const tcpFinished = (): void => {
      waits.delete(tcpDone);
      tcpSettled();
    };

    return new Promise<Connection>((resolve, reject) => {
      let done = false;
      let conn: TcpConn | undefined;
      const sock = net.connect({ host: opts.host, port: opts.port, allowHalfOpen: true });
      this.sockets.add(sock);
      sock.once('close', () => this.sockets.delete(sock));
      const fail = (err: NetError): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        tcpFinished();
        if (!conn) {
          this.trace.add({ kind: 'refused', hop: opts.hop, initiator: opts.actor, to, reason: err.code });
          sock.destroy();
        } else {
          this.trace.note(opts.actor, `connect failed after the TCP connection opened: ${err.message}`, conn.id);
          if (!conn.closed) conn.reset();
        }
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new NetError('timeout', `connect to ${to} by ${opts.actor}: not done within ${timeoutMs} ms`)),
        timeoutMs,
      );
      sock.once('error', (err: NodeJS.ErrnoException) => {
        if (!conn) fail(new NetError(errorCode(err), `connect to ${to} by ${opts.actor}: ${err.code ?? err.message}`));
      });
      sock.once('connect', () => {
        if (done) return;
        const local = endpoint(sock.localAddress, sock.localPort);
        const remote = endpoint(sock.remoteAddress, sock.remotePort);
        const id = `c${this.nextConn++}`;
        const acceptor = this.listenerActors.get(addr(remote)) ?? 'external';
        if (acceptor !== 'external') this.outgoing.set(`${addr(local)}>${addr(remote)}`, { id, actor: opts.actor });
        this.trace.add({ kind: 'open', conn: id, hop: opts.hop, initiator: opts.actor, acceptor, from: addr(local), to: addr(remote) });
        conn = this.track(new TcpConn(sock, { id, actor: opts.actor, peerActor: acceptor, local, remote, trace: this.trace }));
        tcpFinished();
        if (!opts.tls) {
          done = true;
          clearTimeout(timer);
          return resolve(conn);
        }
        const left = Math.max(1, timeoutMs - (this.clock.now() - started));
        startTcpTls(conn, { role: 'client', servername: opts.host, ...opts.tls, timeoutMs: left }, this.trace).then(
          (t) => {
            if (done) return t.reset();
            done = true;
            clearTimeout(timer);
            resolve(this.track(t));
          },
          (err: NetError) => fail(err),
        );
      });
    });
  }

  startTls(conn: Connection, opts: TcpTlsOptions): Promise<Connection> {
    if (!(conn instanceof TcpConn)) return Promise.reject(new Error('TcpNetwork.startTls: not a TcpNetwork connection'));
    return startTcpTls(conn, opts, this.trace).then((t) => this.track(t));
  }

  async shutdown(): Promise<void> {
    for (const s of this.servers) s.close();
    this.servers.clear();
    this.listenerActors.clear();
    for (const c of this.conns) c.abandon();
    for (const s of this.sockets) s.destroy();
    this.conns.clear();
    this.clock.clearAll();
    await new Promise((r) => setImmediate(r));
  }

  private track(c: TcpConn): TcpConn {
    this.conns.add(c);
    c.onClose(() => this.conns.delete(c));
    return c;
  }

  private async accept(sock: net.Socket, opts: ListenOptions, onConnection: (conn: Connection) => void): Promise<void> {
    sock.on('error', () => {}); // until TcpConn takes over; errors then close it
    this.sockets.add(sock);
    sock.once('close', () => this.sockets.delete(sock));
    // Our own connects to this port that have not seen 'connect' yet may be this peer.
    const waits = this.inflight.get(sock.localPort ?? 0);
    if (waits?.size) await Promise.all([...waits]);
    if (sock.destroyed) return;
    const local = endpoint(sock.localAddress, sock.localPort);
    const remote = endpoint(sock.remoteAddress, sock.remotePort);
    const key = `${addr(remote)}>${addr(local)}`;
    const ours = this.outgoing.get(key);
    let id: string;
    let peerActor: string;
    if (ours) {
      this.outgoing.delete(key);
      id = ours.id;
      peerActor = ours.actor;
    } else {
      id = `c${this.nextConn++}`;
      peerActor = 'external';
      this.trace.add({ kind: 'open', conn: id, hop: 'external', initiator: 'external', acceptor: opts.actor, from: addr(remote), to: addr(local) });
    }
    const conn = this.track(new TcpConn(sock, { id, actor: opts.actor, peerActor, local, remote, trace: this.trace }));
    if (!opts.tls) return onConnection(conn);
    try {
      const t = await startTcpTls(conn, { role: 'server', identity: opts.tls.identity, timeoutMs: TLS_ACCEPT_TIMEOUT_MS }, this.trace);
      onConnection(this.track(t));
    } catch (err) {
      this.trace.note(opts.actor, `TLS accept failed: ${(err as Error).message}`, id);
    }
  }
}
