// startTls on real connections: node:tls over a ConnDuplex (see conn-duplex.ts), in either
// role. The client accepts any certificate (rejectUnauthorized: false) and reports its
// SHA-256 fingerprint; with a pin, a different certificate fails with NetError('tls').

import * as tls from 'node:tls';
import { isIP } from 'node:net';
import type { Trace } from '../trace.ts';
import { NetError, type StartTlsOptions, type TlsClientOptions, type TlsInfo, type TlsServerOptions } from '../types.ts';
import { ConnDuplex } from './conn-duplex.ts';
import { TcpConn } from './tcp-connection.ts';

export type TcpTlsOptions = (({ role: 'client' } & TlsClientOptions) | ({ role: 'server' } & TlsServerOptions)) &
  StartTlsOptions;

function cn(subject: string | undefined): string | undefined {
  return subject?.split('\n').find((l) => l.startsWith('CN='))?.slice(3);
}

export async function startTcpTls(lower: TcpConn, opts: TcpTlsOptions, trace: Trace): Promise<TcpConn> {
  if (lower.closed) throw new NetError('closed', `startTls on closed connection ${lower.id}`);
  const duplex = new ConnDuplex(lower, opts.initialData);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const sock =
    opts.role === 'client'
      ? tls.connect({
          socket: duplex,
          // SNI carries host names only (RFC 6066 §3).
          ...(opts.servername && !isIP(opts.servername) ? { servername: opts.servername } : {}),
          rejectUnauthorized: false,
        })
      : new tls.TLSSocket(duplex, {
          isServer: true,
          key: opts.identity.keyPem,
          cert: opts.identity.certPem,
          requestCert: false,
        });
  sock.on('error', () => {}); // reported through the handshake promise, then by TcpConn
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new NetError('timeout', `TLS handshake on ${lower.id} not done after ${timeoutMs} ms`)),
        timeoutMs,
      );
      const done = (err?: Error): void => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      sock.once(opts.role === 'client' ? 'secureConnect' : 'secure', () => done());
      sock.once('error', (err: Error) => done(new NetError('tls', `TLS handshake on ${lower.id} failed: ${err.message}`)));
      sock.once('close', () => done(new NetError('closed', `connection ${lower.id} closed during the TLS handshake`)));
    });
  } catch (err) {
    sock.destroy();
    if (!lower.closed) lower.close();
    throw err;
  }

  const info: TlsInfo = { protocol: sock.getProtocol() ?? undefined };
  if (opts.role === 'client') {
    const cert = sock.getPeerX509Certificate();
    const fingerprint256 = cert ? cert.fingerprint256.replace(/:/g, '').toLowerCase() : '';
    info.peerFingerprint256 = fingerprint256;
    info.peerSubject = cn(cert?.subject);
    const pin = opts.pinFingerprint256?.replace(/:/g, '').toLowerCase();
    if (pin && pin !== fingerprint256) {
      trace.note(lower.actor, `tls: server fingerprint ${fingerprint256} does not match the pin`, lower.id);
      sock.destroy();
      if (!lower.closed) lower.close();
      throw new NetError('tls', `certificate fingerprint ${fingerprint256} does not match the pinned one`);
    }
    trace.add({ kind: 'tls', conn: lower.id, client: lower.actor, server: lower.peerActor, fingerprint256 });
  } else if (lower.peerActor === 'external') {
    trace.add({
      kind: 'tls',
      conn: lower.id,
      client: 'external',
      server: lower.actor,
      fingerprint256: opts.identity.fingerprint256,
    });
  }
  return new TcpConn(sock, {
    id: lower.id,
    actor: lower.actor,
    peerActor: lower.peerActor,
    local: lower.local,
    remote: lower.remote,
    trace,
    tls: info,
    lower,
  });
}
