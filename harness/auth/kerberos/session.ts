// An established Kerberos GSS context and its per-message tokens: RFC 4121 §4.2.6.2 wrap tokens
// (TOK_ID 05 04), with or without confidentiality, rotated by RRC, keyed with the acceptor
// subkey when the acceptor sent one (flag AcceptorSubkey), else the initiator's subkey.
import { bytesEqual, concatBytes } from '../bytes.ts';
import type { RandomSource } from '../random.ts';
import { checksum, decrypt, encrypt, type EncryptionKey } from './crypto/enctype.ts';
import { KerberosError } from './errors.ts';
import { USAGE } from './types.ts';

const TOK_WRAP = [0x05, 0x04];
const FLAG_SENT_BY_ACCEPTOR = 0x01;
const FLAG_SEALED = 0x02;
const FLAG_ACCEPTOR_SUBKEY = 0x04;
const HEADER = 16;
const MAC = 12;
const CONFOUNDER = 16;

/** RRC the WinRM encryption uses (pyspnego wrap_winrm / MIT gss_wrap_iov without a trailer buffer). */
export const WINRM_RRC = HEADER + MAC; // 28: the encrypted header copy and the HMAC move to the front

export interface SessionInit {
  role: 'initiator' | 'acceptor';
  /** The context key: the acceptor subkey if any, else the initiator subkey, else the ticket session key. */
  key: EncryptionKey;
  acceptorSubkey: boolean;
  /** Our first sequence number and the peer's (RFC 4121 §4.2.6: each direction counts separately). */
  sendSeq: number;
  recvSeq: number;
  client: string;
  service: string;
  flags: number;
  random: RandomSource;
}

export interface WrapOptions {
  conf?: boolean; // default true
  rrc?: number; // right rotation count, default 0
}

export class KerberosSession {
  readonly role: 'initiator' | 'acceptor';
  readonly key: EncryptionKey;
  readonly acceptorSubkey: boolean;
  readonly client: string;
  readonly service: string;
  readonly flags: number;
  private sendSeq: bigint;
  private recvSeq: bigint;
  private readonly random: RandomSource;

  constructor(init: SessionInit) {
    this.role = init.role;
    this.key = init.key;
    this.acceptorSubkey = init.acceptorSubkey;
    this.client = init.client;
    this.service = init.service;
    this.flags = init.flags;
    this.sendSeq = BigInt(init.sendSeq >>> 0);
    this.recvSeq = BigInt(init.recvSeq >>> 0);
    this.random = init.random;
  }

  private get sendUsage() {
    return this.role === 'initiator' ? [USAGE.GSS_INITIATOR_SEAL, USAGE.GSS_INITIATOR_SIGN] : [USAGE.GSS_ACCEPTOR_SEAL, USAGE.GSS_ACCEPTOR_SIGN];
  }
  private get recvUsage() {
    return this.role === 'initiator' ? [USAGE.GSS_ACCEPTOR_SEAL, USAGE.GSS_ACCEPTOR_SIGN] : [USAGE.GSS_INITIATOR_SEAL, USAGE.GSS_INITIATOR_SIGN];
  }

  /** gss_wrap: a wrap token for `plaintext` (RFC 4121 §4.2.4, §4.2.6.2). */
  wrap(plaintext: Uint8Array, opts: WrapOptions = {}): Uint8Array {
    const conf = opts.conf ?? true;
    const rrc = opts.rrc ?? 0;
    let f = this.role === 'acceptor' ? FLAG_SENT_BY_ACCEPTOR : 0;
    if (conf) f |= FLAG_SEALED;
    if (this.acceptorSubkey) f |= FLAG_ACCEPTOR_SUBKEY;
    const seq = this.sendSeq;
    this.sendSeq = (this.sendSeq + 1n) & 0xffffffffffffffffn;
    const [sealUsage, signUsage] = this.sendUsage;
    let body: Uint8Array;
    let ec: number;
    if (conf) {
      ec = 0; // AES-CTS needs no filler
      body = encrypt(this.key, sealUsage, concatBytes(plaintext, header(f, ec, 0, seq)), this.random);
    } else {
      ec = MAC; // §4.2.4: EC holds the checksum length when not sealed
      body = concatBytes(plaintext, checksum(this.key, signUsage, concatBytes(plaintext, header(f, 0, 0, seq))));
    }
    return concatBytes(header(f, ec, rrc, seq), rotateRight(body, rrc));
  }

  /** gss_unwrap: verifies (and decrypts) a wrap token from the peer; enforces the sequence. */
  unwrap(token: Uint8Array): Uint8Array {
    return this.unwrapDetailed(token).plaintext;
  }

  unwrapDetailed(token: Uint8Array): { plaintext: Uint8Array; conf: boolean } {
    if (token.length < HEADER) throw new KerberosError('malformed', 'wrap token shorter than its header');
    if (token[0] !== TOK_WRAP[0] || token[1] !== TOK_WRAP[1]) throw new KerberosError('malformed', 'not a wrap token (TOK_ID 05 04)');
    if (token[3] !== 0xff) throw new KerberosError('malformed', 'wrap token filler is not FF');
    const f = token[2];
    const fromAcceptor = (f & FLAG_SENT_BY_ACCEPTOR) !== 0;
    if (fromAcceptor !== (this.role === 'initiator')) throw new KerberosError('malformed', 'wrap token direction flag is wrong (reflected token?)');
    if (((f & FLAG_ACCEPTOR_SUBKEY) !== 0) !== this.acceptorSubkey) throw new KerberosError('integrity', 'wrap token AcceptorSubkey flag does not match the context');
    const ec = (token[4] << 8) | token[5];
    const rrc = (token[6] << 8) | token[7];
    const seq = new DataView(token.buffer, token.byteOffset + 8, 8).getBigUint64(0);
    const body = rotateLeft(token.subarray(HEADER), rrc);
    const [sealUsage, signUsage] = this.recvUsage;
    let plaintext: Uint8Array;
    const sealed = (f & FLAG_SEALED) !== 0;
    if (sealed) {
      if (body.length < CONFOUNDER + MAC + HEADER + ec) throw new KerberosError('malformed', 'sealed wrap token too short');
      const dec = decrypt(this.key, sealUsage, body);
      const inner = dec.subarray(dec.length - HEADER);
      // The encrypted header copy must equal the outer one with RRC zero (§4.2.4).
      if (!bytesEqual(inner, header(f, ec, 0, seq))) throw new KerberosError('integrity', 'wrap token header does not match its encrypted copy');
      plaintext = dec.slice(0, dec.length - HEADER - ec);
    } else {
      if (ec !== MAC || body.length < MAC) throw new KerberosError('malformed', 'integrity-only wrap token with a bad EC');
      plaintext = body.slice(0, body.length - MAC);
      const expect = checksum(this.key, signUsage, concatBytes(plaintext, header(f, 0, 0, seq)));
      if (!bytesEqual(expect, body.subarray(body.length - MAC))) throw new KerberosError('integrity', 'wrap token checksum does not verify');
    }
    // Sequence checked after integrity, so a forged token cannot move the window.
    if (seq !== this.recvSeq) throw new KerberosError('sequence', `wrap token sequence ${seq}, expected ${this.recvSeq}`);
    this.recvSeq = (this.recvSeq + 1n) & 0xffffffffffffffffn;
    return { plaintext, conf: sealed };
  }

  /**
   * The WinRM split of a sealed wrap token (what pyspnego's wrap_winrm and Windows produce): the
   * "header" is the 16-byte token header, the rotated encrypted header copy + HMAC, and the
   * encrypted confounder (60 bytes for AES); the rest is the encrypted message.
   */
  wrapWinrm(plaintext: Uint8Array): { header: Uint8Array; data: Uint8Array } {
    const token = this.wrap(plaintext, { conf: true, rrc: WINRM_RRC });
    const split = HEADER + WINRM_RRC + CONFOUNDER;
    return { header: token.slice(0, split), data: token.slice(split) };
  }

  unwrapWinrm(header: Uint8Array, data: Uint8Array): Uint8Array {
    const r = this.unwrapDetailed(concatBytes(header, data));
    if (!r.conf) throw new KerberosError('integrity', 'WinRM message encryption needs a sealed wrap token');
    return r.plaintext;
  }
}

function header(flags: number, ec: number, rrc: number, seq: bigint): Uint8Array {
  const h = new Uint8Array(HEADER);
  h[0] = TOK_WRAP[0];
  h[1] = TOK_WRAP[1];
  h[2] = flags;
  h[3] = 0xff;
  h[4] = ec >>> 8;
  h[5] = ec & 0xff;
  h[6] = rrc >>> 8;
  h[7] = rrc & 0xff;
  new DataView(h.buffer).setBigUint64(8, seq);
  return h;
}

function rotateRight(b: Uint8Array, n: number): Uint8Array {
  if (b.length === 0) return b;
  const k = n % b.length;
  if (k === 0) return b;
  return concatBytes(b.subarray(b.length - k), b.subarray(0, b.length - k));
}

function rotateLeft(b: Uint8Array, n: number): Uint8Array {
  if (b.length === 0) return b;
  const k = n % b.length;
  if (k === 0) return b;
  return concatBytes(b.subarray(k), b.subarray(0, k));
}
