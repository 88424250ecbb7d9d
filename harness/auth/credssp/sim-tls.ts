// A deterministic TlsEngine for the simulated network (README "The TLS layer and determinism"):
// node:tls puts OpenSSL's fresh randomness in every token and works outside the sim's events,
// so on `sim` CredSSP runs this stand-in. NOT secure; it keeps TLS 1.2's observable shape:
//
//   record = type(1) 0x03 0x03 length(2, big-endian) payload
//   leg 1  client: 16 {01 nonce(32)}                   server: 16 {02 nonce(32) keyLen(2) key}
//   leg 2  client: 16 {14 verify(32)}                  server: 16 {14 verify(32)}   (Finished)
//   then   17 {ciphertext ‖ tag(16)}: plaintext XOR HMAC-SHA256 keystream per direction, tag =
//          HMAC-SHA256(macKey, seq ‖ ciphertext)[0..16) — a changed byte fails like a bad record MAC.
//
// key = a pseudo SubjectPublicKey derived from the identity's fingerprint, so an interceptor
// with another identity has another key (the pubKeyAuth binding notices). Anything that is not
// a well-formed record fails the engine; a partial record waits for the rest.
import { createHash, createHmac } from 'node:crypto';
import type { TlsIdentity } from '../../net/types.ts';
import { bytesEqual, concatBytes } from '../bytes.ts';
import type { RandomSource } from '../random.ts';
import type { TlsCipher, TlsEngine, TlsEngineFactory, TlsRole, TlsState } from './tls-engine.ts';

const REC_CCS_FINISHED = 0x16;
const REC_APPDATA = 0x17;
const HELLO_CLIENT = 0x01;
const HELLO_SERVER = 0x02;
const FINISHED = 0x14;
const NONCE = 32;
const TAG = 16;
const MAX_PLAINTEXT = 16384;
/** A GCM suite, so the CredSSP trailer length is 16 as with real TLS 1.2 (encryption/credssp.ts). */
const CIPHER: TlsCipher = { name: 'ECDHE-RSA-AES128-GCM-SHA256', version: 'TLSv1.2' };

const hmac = (key: Uint8Array | string, ...parts: Array<Uint8Array | string>): Uint8Array => {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** The pseudo SubjectPublicKey the stand-in binds to an identity. */
export function simSubjectPublicKey(identity: TlsIdentity): Uint8Array {
  return new Uint8Array(createHash('sha256').update('sim-tls credssp key\0').update(identity.fingerprint256).digest());
}

function record(type: number, payload: Uint8Array): Uint8Array {
  return concatBytes(new Uint8Array([type, 0x03, 0x03, payload.length >> 8, payload.length & 0xff]), payload);
}

class Direction {
  #seq = 0n;
  #counter = 0n;
  #block: Uint8Array = new Uint8Array(0);
  #off = 0;
  constructor(
    private readonly key: Uint8Array,
    private readonly macKey: Uint8Array,
  ) {}

  #xor(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      if (this.#off === this.#block.length) {
        const ctr = Buffer.alloc(8);
        ctr.writeBigUInt64BE(this.#counter++);
        this.#block = hmac(this.key, ctr);
        this.#off = 0;
      }
      out[i] = data[i] ^ this.#block[this.#off++];
    }
    return out;
  }

  #tag(cipher: Uint8Array): Uint8Array {
    const seq = Buffer.alloc(8);
    seq.writeBigUInt64BE(this.#seq++);
    return hmac(this.macKey, seq, cipher).subarray(0, TAG);
  }

  seal(plain: Uint8Array): Uint8Array {
    const c = this.#xor(plain);
    return concatBytes(c, this.#tag(c));
  }

  /** undefined when the tag does not verify (bad record MAC). */
  open(payload: Uint8Array): Uint8Array | undefined {
    if (payload.length < TAG) return undefined;
    const c = payload.subarray(0, payload.length - TAG);
    if (!bytesEqual(this.#tag(c), payload.subarray(payload.length - TAG))) return undefined;
    return this.#xor(c);
  }
}

class SimTlsEngine implements TlsEngine {
  #state: TlsState = 'idle';
  #failure?: string;
  #in: Uint8Array = new Uint8Array(0);
  #out: Uint8Array[] = [];
  #plain: Uint8Array[] = [];
  #clientNonce?: Uint8Array;
  #serverNonce?: Uint8Array;
  #key?: Uint8Array;
  #master?: Uint8Array;
  #send?: Direction;
  #recv?: Direction;
  #sentFinished = false;

  constructor(
    readonly role: TlsRole,
    private readonly random: RandomSource,
    serverKey?: Uint8Array,
  ) {
    this.#key = serverKey;
  }

  get state(): TlsState {
    return this.#state;
  }
  get failure(): string | undefined {
    return this.#failure;
  }

  async start(): Promise<void> {
    if (this.role !== 'client' || this.#state !== 'idle') return;
    this.#state = 'handshaking';
    this.#clientNonce = this.random.bytes(NONCE);
    this.#out.push(record(REC_CCS_FINISHED, concatBytes(new Uint8Array([HELLO_CLIENT]), this.#clientNonce)));
  }

  async receive(bytes: Uint8Array): Promise<void> {
    if (this.#state === 'failed' || this.#state === 'closed') return;
    if (this.#state === 'idle') this.#state = 'handshaking';
    this.#in = concatBytes(this.#in, bytes);
    while (this.#in.length >= 5 && (this.#state as TlsState) !== 'failed') {
      const [type, major, minor] = this.#in;
      if ((type !== REC_CCS_FINISHED && type !== REC_APPDATA) || major !== 3 || minor !== 3) return this.#fail('not a TLS record');
      const len = (this.#in[3] << 8) | this.#in[4];
      if (this.#in.length < 5 + len) return; // partial record: wait for the rest
      const payload = this.#in.slice(5, 5 + len);
      this.#in = this.#in.slice(5 + len);
      if (type === REC_APPDATA) this.#onAppData(payload);
      else this.#onHandshake(payload);
    }
  }

  async send(plaintext: Uint8Array): Promise<void> {
    if (this.#state !== 'established') throw new Error(`TLS: cannot send application data in state ${this.#state}`);
    for (let o = 0; o === 0 || o < plaintext.length; o += MAX_PLAINTEXT) {
      this.#out.push(record(REC_APPDATA, this.#send!.seal(plaintext.subarray(o, o + MAX_PLAINTEXT))));
    }
  }

  takeOutput(): Uint8Array {
    const b = concatBytes(...this.#out);
    this.#out = [];
    return b;
  }

  takePlaintext(): Uint8Array {
    const b = concatBytes(...this.#plain);
    this.#plain = [];
    return b;
  }

  serverPublicKey(): Uint8Array {
    if (!this.#key) throw new Error('TLS: no server certificate yet');
    return this.#key.slice();
  }

  cipher(): TlsCipher {
    if (this.#state !== 'established') throw new Error('TLS: no cipher before the handshake completes');
    return { ...CIPHER };
  }

  close(): void {
    if (this.#state !== 'failed') this.#state = 'closed';
  }

  #onHandshake(p: Uint8Array): void {
    const kind = p[0];
    if (this.role === 'server' && kind === HELLO_CLIENT && !this.#clientNonce && p.length === 1 + NONCE) {
      this.#clientNonce = p.slice(1);
      this.#serverNonce = this.random.bytes(NONCE);
      const key = this.#key!;
      this.#out.push(
        record(REC_CCS_FINISHED, concatBytes(new Uint8Array([HELLO_SERVER]), this.#serverNonce, new Uint8Array([key.length >> 8, key.length & 0xff]), key)),
      );
      this.#keys();
      return;
    }
    if (this.role === 'client' && kind === HELLO_SERVER && this.#clientNonce && !this.#serverNonce && p.length >= 3 + NONCE) {
      this.#serverNonce = p.slice(1, 1 + NONCE);
      const len = (p[1 + NONCE] << 8) | p[2 + NONCE];
      if (p.length !== 3 + NONCE + len) return this.#fail('bad server hello');
      this.#key = p.slice(3 + NONCE);
      this.#keys();
      this.#out.push(record(REC_CCS_FINISHED, concatBytes(new Uint8Array([FINISHED]), this.#verify('client'))));
      this.#sentFinished = true;
      return;
    }
    if (kind === FINISHED && this.#master && this.#state === 'handshaking' && p.length === 1 + NONCE) {
      const peer = this.role === 'client' ? 'server' : 'client';
      if (!bytesEqual(p.subarray(1), this.#verify(peer))) return this.#fail('decrypt error: Finished does not verify');
      if (this.role === 'server') {
        this.#out.push(record(REC_CCS_FINISHED, concatBytes(new Uint8Array([FINISHED]), this.#verify('server'))));
        this.#sentFinished = true;
      }
      if (this.#sentFinished) this.#state = 'established';
      return;
    }
    this.#fail('unexpected handshake message');
  }

  #onAppData(p: Uint8Array): void {
    if (this.#state !== 'established') return this.#fail('application data before the handshake completed');
    const plain = this.#recv!.open(p);
    if (!plain) return this.#fail('bad record mac');
    this.#plain.push(plain);
  }

  #keys(): void {
    this.#master = hmac('sim-tls master', this.#clientNonce!, this.#serverNonce!, this.#key!);
    const dir = (who: string) => new Direction(hmac(this.#master!, `${who} write`), hmac(this.#master!, `${who} mac`));
    this.#send = dir(this.role);
    this.#recv = dir(this.role === 'client' ? 'server' : 'client');
  }

  #verify(who: string): Uint8Array {
    return hmac(this.#master!, `${who} finished`);
  }

  #fail(message: string): void {
    this.#state = 'failed';
    this.#failure = message;
  }
}

/** The TlsEngineFactory for the simulated network: deterministic given the seeded `random`. */
export function simTlsEngines(random: RandomSource): TlsEngineFactory {
  return {
    client: () => new SimTlsEngine('client', random),
    server: (identity: TlsIdentity) => new SimTlsEngine('server', random, simSubjectPublicKey(identity)),
  };
}
