// Kerberos over TCP (RFC 4120 §7.2.2): each message is preceded by its length, 4 bytes
// big-endian, high bit clear; one request and one reply per connection. Real sockets, so real
// timers, every wait bounded. The simulator passes its own `send` function instead.
import { connect } from 'node:net';
import { concatBytes } from '../bytes.ts';
import { KerberosError } from './errors.ts';

export type KdcSend = (request: Uint8Array) => Promise<Uint8Array>;
export type KdcAddress = { host: string; port: number };

const MAX_REPLY = 1 << 20;

export function tcpKdcSend(addr: KdcAddress, timeoutMs = 5_000): KdcSend {
  return (request) =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: addr.host, port: addr.port });
      const chunks: Buffer[] = [];
      let got = 0;
      const done = (err?: Error, reply?: Uint8Array) => {
        clearTimeout(timer);
        socket.destroy();
        if (err) reject(err);
        else resolve(reply!);
      };
      const timer = setTimeout(() => done(new KerberosError('kdc-unreachable', `no reply from the KDC ${addr.host}:${addr.port} within ${timeoutMs} ms`)), timeoutMs);
      socket.once('error', (e) => done(new KerberosError('kdc-unreachable', `KDC ${addr.host}:${addr.port}: ${e.message}`)));
      socket.once('connect', () => {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(request.length);
        socket.write(concatBytes(len, request));
      });
      socket.on('data', (d: Buffer) => {
        chunks.push(d);
        got += d.length;
        if (got < 4) return;
        const all = Buffer.concat(chunks);
        const n = all.readUInt32BE(0);
        if (n & 0x80000000 || n > MAX_REPLY) return done(new KerberosError('kdc-error', `KDC reply length ${n} not acceptable`));
        if (all.length >= 4 + n) done(undefined, new Uint8Array(all.subarray(4, 4 + n)));
      });
      socket.once('end', () => done(new KerberosError('kdc-unreachable', 'KDC closed the connection before a whole reply')));
    });
}

/** Frames for the server side of the same protocol (the simulated KDC over TCP). */
export function frameKdcMessage(msg: Uint8Array): Uint8Array {
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, msg.length);
  return concatBytes(len, msg);
}
