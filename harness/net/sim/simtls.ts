// simtls: a deterministic stand-in for TLS on the simulated network. Real TLS would put
// fresh random bytes on the wire and make traces differ between runs (INV-8), so `sim` runs
// this instead. It is NOT secure; it only has TLS's observable shape:
//
//   record      = type(1) 0x03 0x03 length(2, big-endian) payload      (like TLS 1.2 records)
//   type 0x16   handshake:
//     client hello = 0x01 nonce(32) sniLength(2) sni(utf-8)             nonce: seeded PRNG
//     server hello = 0x02 nonce(32) fingerprint256(32) subjectLength(2) subject(utf-8)
//   type 0x17   application data: plaintext XOR keystream, at most 16384 bytes per record.
//
// Keys: master = HMAC-SHA256("simtls master", clientNonce ‖ serverNonce ‖ fingerprint);
// one key per direction, HMAC-SHA256(master, "client write" | "server write"); keystream
// block i = HMAC-SHA256(directionKey, i as 8 bytes big-endian). So a proxy relaying the
// bytes sees no plaintext, and a proxy that terminates simtls on both sides (a MITM) does,
// while the client sees the MITM's fingerprint. No close_notify: end/close/reset go straight
// to the connection underneath. Anything that is not a simtls record fails the handshake.

import { createHmac } from 'node:crypto';
import type { Trace } from '../trace.ts';
import { NetError, type Clock, type TlsIdentity } from '../types.ts';
import { ConnBase, type CloseInfo } from '../conn-base.ts';
import type { SeededRandom } from '../random.ts';

const REC_HANDSHAKE = 0x16;
const REC_APPDATA = 0x17;
const HELLO_CLIENT = 0x01;
const HELLO_SERVER = 0x02;
const MAX_RECORD = 16384;
const NONCE = 32;

export type SimTlsOptions =
  | { role: 'client'; servername?: string; pinFingerprint256?: string }
  | { role: 'server'; identity: TlsIdentity };

export interface SimTlsEnv {
  trace: Trace;
  clock: Clock;
  random: SeededRandom;
}

function record(type: number, payload: Uint8Array): Buffer {
  const head = Buffer.from([type, 0x03, 0x03, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, payload]);
}

function u16(n: number): Buffer {
  return Buffer.from([n >> 8, n & 0xff]);
}

/** HMAC-SHA256 counter-mode keystream, continuous across records of one direction. */
class KeyStream {
  private counter = 0n;
  private block = Buffer.alloc(0);
  private off = 0;

  constructor(private readonly key: Buffer) {}

  xor(data: Uint8Array): Buffer {
    const out = Buffer.alloc(data.length);
    for (let i = 0; i < data.length; i++) {
      if (this.off === this.block.length) {
        const ctr = Buffer.alloc(8);
        ctr.writeBigUInt64BE(this.counter++);
        this.block = createHmac('sha256', this.key).update(ctr).digest();
        this.off = 0;
      }
      out[i] = data[i] ^ this.block[this.off++];
    }
    return out;
  }
}

function directionKeys(cNonce: Uint8Array, sNonce: Uint8Array, fp: Uint8Array): { c: Buffer; s: Buffer } {
  const master = createHmac('sha256', 'simtls master').update(cNonce).update(sNonce).update(fp).digest();
  return {
    c: createHmac('sha256', master).update('client write').digest(),
    s: createHmac('sha256', master).update('server write').digest(),
  };
}

/** Lower-case hex without colons, the form TlsInfo and pins use. */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/:/g, '').toLowerCase();
}

/** The plaintext side of a simtls session; same id as the connection underneath. */
class SimTlsConnection extends ConnBase {
  readonly id: string;
  private sendKs?: KeyStream;
  private recvKs?: KeyStream;
  private buf: Buffer = Buffer.alloc(0);
  private handshakeDone = false;
  private failed = false;

  constructor(
    private readonly lower: ConnBase,
    private readonly env: SimTlsEnv,
    readonly role: 'client' | 'server',
    private readonly onHandshake: (msg: Buffer) => void,
    private readonly onFail: (err: NetError) => void,
  ) {
    super(lower.actor, lower.peerActor);
    this.id = lower.id;
  }

  get local() {
    return this.lower.local;
  }
  get remote() {
    return this.lower.remote;
  }

  setKeys(send: Buffer, recv: Buffer): void {
    this.sendKs = new KeyStream(send);
    this.recvKs = new KeyStream(recv);
    this.handshakeDone = true;
  }

  write(data: Uint8Array): void {
    if (this.closed || this.localEnded || data.length === 0 || !this.sendKs) return;
    const plain = Uint8Array.from(data);
    this.env.trace.add({ kind: 'data', conn: this.id, from: this.actor, bytes: plain, tls: true });
    const recs: Buffer[] = [];
    for (let i = 0; i < plain.length; i += MAX_RECORD) {
      recs.push(record(REC_APPDATA, this.sendKs.xor(plain.subarray(i, i + MAX_RECORD))));
    }
    this.lower.write(Buffer.concat(recs));
  }

  end(): void {
    if (this.closed || this.localEnded) return;
    this.localEnded = true;
    this.lower.end();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.localEnded = true;
    this.lower.close();
  }

  reset(): void {
    if (this.closed) return;
    this.closed = true;
    this.localEnded = true;
    this.lower.reset();
  }

  // Bytes from the connection underneath.
  feed(d: Uint8Array): void {
    if (this.failed) return;
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : Buffer.from(d);
    while (this.buf.length >= 5 && !this.failed) {
      const type = this.buf[0];
      if (this.buf[1] !== 0x03 || this.buf[2] !== 0x03 || (type !== REC_HANDSHAKE && type !== REC_APPDATA)) {
        return this.fail('not a simtls record');
      }
      const len = this.buf.readUInt16BE(3);
      if (this.buf.length < 5 + len) return;
      const payload = this.buf.subarray(5, 5 + len);
      this.buf = this.buf.subarray(5 + len);
      if (type === REC_HANDSHAKE && !this.handshakeDone) this.onHandshake(Buffer.from(payload));
      else if (type === REC_APPDATA && this.recvKs) this.receiveData(new Uint8Array(this.recvKs.xor(payload)));
      else return this.fail('unexpected simtls record');
    }
  }

  lowerEnded(): void {
    if (!this.handshakeDone) return this.fail('connection ended during the handshake', 'closed');
    this.receiveEnd();
  }

  lowerClosed(info: CloseInfo): void {
    if (!this.handshakeDone) this.fail('connection closed during the handshake', 'closed');
    this.closed = true;
    this.localEnded = true;
    this.receiveClose(info);
  }

  fail(why: string, code: 'tls' | 'closed' = 'tls'): void {
    if (this.failed) return;
    this.failed = true;
    const err = new NetError(code, `simtls ${this.role} on ${this.id}: ${why}`);
    if (!this.handshakeDone) this.onFail(err);
    // A fatal TLS error closes the connection (RFC 8446 §6.2).
    if (!this.lower.closed) this.lower.close();
  }
}

/**
 * Starts simtls over `lower` (a simulated connection, or a simtls one for TLS in TLS).
 * Resolves once this side's handshake is done; the plaintext Connection has `lower.id`.
 */
export function startSimTls(
  lower: ConnBase,
  opts: SimTlsOptions & { initialData?: Uint8Array; timeoutMs?: number },
  env: SimTlsEnv,
): Promise<ConnBase> {
  if (lower.closed) return Promise.reject(new NetError('closed', `startTls on closed connection ${lower.id}`));
  return new Promise((resolve, reject) => {
    let settled = false;
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const timer = env.clock.setTimeout(() => {
      finish(new NetError('timeout', `simtls handshake on ${lower.id} timed out after ${timeoutMs} ms`));
      conn.fail(`handshake not done after ${timeoutMs} ms`);
    }, timeoutMs);
    const finish = (err?: NetError): void => {
      if (settled) return;
      settled = true;
      env.clock.clearTimeout(timer);
      if (err) reject(err);
      else resolve(conn);
    };
    const clientNonce = opts.role === 'client' ? env.random.bytes(NONCE) : new Uint8Array(0);

    const onHandshake = (msg: Buffer): void => {
      if (opts.role === 'server') {
        if (msg[0] !== HELLO_CLIENT || msg.length < 1 + NONCE + 2) return conn.fail('bad client hello');
        const cNonce = msg.subarray(1, 1 + NONCE);
        const sNonce = env.random.bytes(NONCE);
        const fp = Buffer.from(opts.identity.fingerprint256, 'hex');
        const subject = Buffer.from(opts.identity.subject, 'utf8');
        lower.write(
          record(REC_HANDSHAKE, Buffer.concat([Buffer.from([HELLO_SERVER]), sNonce, fp, u16(subject.length), subject])),
        );
        const k = directionKeys(cNonce, sNonce, fp);
        conn.setKeys(k.s, k.c);
        conn.tls = { protocol: 'simtls' };
        if (lower.peerActor === 'external') {
          env.trace.add({
            kind: 'tls',
            conn: lower.id,
            client: 'external',
            server: lower.actor,
            fingerprint256: opts.identity.fingerprint256,
          });
        }
        return finish();
      }
      if (msg[0] !== HELLO_SERVER || msg.length < 1 + NONCE + 32 + 2) return conn.fail('bad server hello');
      const sNonce = msg.subarray(1, 1 + NONCE);
      const fp = msg.subarray(1 + NONCE, 1 + NONCE + 32);
      const subjectLen = msg.readUInt16BE(1 + NONCE + 32);
      const subject = msg.subarray(1 + NONCE + 34, 1 + NONCE + 34 + subjectLen).toString('utf8');
      const fingerprint256 = fp.toString('hex');
      if (opts.pinFingerprint256 && normalizeFingerprint(opts.pinFingerprint256) !== fingerprint256) {
        env.trace.note(lower.actor, `tls: server fingerprint ${fingerprint256} does not match the pin`, lower.id);
        finish(new NetError('tls', `certificate fingerprint ${fingerprint256} does not match the pinned one`));
        return conn.fail('pin mismatch');
      }
      const k = directionKeys(clientNonce, sNonce, fp);
      conn.setKeys(k.c, k.s);
      conn.tls = { peerFingerprint256: fingerprint256, peerSubject: subject, protocol: 'simtls' };
      env.trace.add({ kind: 'tls', conn: lower.id, client: lower.actor, server: lower.peerActor, fingerprint256 });
      finish();
    };

    const conn = new SimTlsConnection(lower, env, opts.role, onHandshake, (err) => finish(err));
    const { held, ended } = lower.takeOver({
      data: (d) => conn.feed(d),
      end: () => conn.lowerEnded(),
      close: (info) => conn.lowerClosed(info),
    });
    if (opts.role === 'client') {
      const sni = Buffer.from(opts.servername ?? '', 'utf8');
      lower.write(record(REC_HANDSHAKE, Buffer.concat([Buffer.from([HELLO_CLIENT]), clientNonce, u16(sni.length), sni])));
    }
    if (opts.initialData?.length) conn.feed(opts.initialData);
    for (const d of held) conn.feed(d);
    if (ended) conn.lowerEnded();
  });
}
