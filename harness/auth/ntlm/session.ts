// NTLM session security, MS-NLMP §3.4: per-direction sealing handle and sequence number.
// Only extended session security (NTLMSSP_MESSAGE_SIGNATURE of §2.2.2.9.2) is implemented:
// every NTLMv2 client WinRM meets negotiates it; NTLMv1-style signatures are refused.
import { bytesEqual, readU32le, writeU32le } from '../bytes.ts';
import type { HmacMd5Key } from '../crypto/md5.ts';
import type { Rc4 } from '../crypto/rc4.ts';
import { allocBytes } from '../../wire/bytes.ts';
import { NtlmError } from './errors.ts';
import { hasFlag, NegotiateFlags } from './flags.ts';
import { sealingKeys, type SealingKeys } from './keys.ts';

export type NtlmRole = 'client' | 'server';

export type SecurityErrorCode = 'bad-signature' | 'bad-sequence';

export class SecurityError extends Error {
  override readonly name = 'SecurityError';
  constructor(
    readonly code: SecurityErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const SIGNATURE_LENGTH = 16;

interface Direction {
  signKey: HmacMd5Key;
  handle: Rc4;
  /** Where unseal/verify run the keystream before committing: swapped with `handle` on success. */
  spare?: Rc4;
  seq: number;
}

function direction(signKey: HmacMd5Key, sealHandle: Rc4): Direction {
  return { signKey, handle: sealHandle.clone(), seq: 0 };
}

export class NtlmSession {
  readonly role: NtlmRole;
  readonly flags: number;
  #exportedSessionKey: Uint8Array;
  #keys: SealingKeys;
  #out: Direction;
  #in: Direction;

  constructor(opts: { flags: number; exportedSessionKey: Uint8Array; role: NtlmRole }) {
    if (!hasFlag(opts.flags, NegotiateFlags.NEGOTIATE_EXTENDED_SESSIONSECURITY)) {
      throw new NtlmError('unsupported', 'session security without EXTENDED_SESSIONSECURITY (NTLMv1 style) is not supported');
    }
    if (opts.exportedSessionKey.length !== 16) throw new NtlmError('malformed', 'ExportedSessionKey must be 16 bytes');
    this.role = opts.role;
    this.flags = opts.flags >>> 0;
    this.#exportedSessionKey = opts.exportedSessionKey.slice();
    const k = (this.#keys = sealingKeys(this.flags, this.#exportedSessionKey));
    // §3.4.5.2/3: the client sends with the client-to-server keys and receives with the
    // server-to-client ones; the server the other way round. One RC4 handle per direction.
    const c2s = direction(k.clientSign, k.clientSeal);
    const s2c = direction(k.serverSign, k.serverSeal);
    this.#out = opts.role === 'client' ? c2s : s2c;
    this.#in = opts.role === 'client' ? s2c : c2s;
  }

  /** A fresh session (sequence numbers 0) over the same key for `role`: the peer's view. */
  forRole(role: NtlmRole): NtlmSession {
    return new NtlmSession({ flags: this.flags, exportedSessionKey: this.#exportedSessionKey, role });
  }

  /** Next sequence number this side will send / expects to receive. */
  get sendSequence(): number {
    return this.#out.seq;
  }
  get receiveSequence(): number {
    return this.#in.seq;
  }

  /**
   * GSS_WrapEx (§3.4.6): seal the payload, then compute the checksum (§3.4.4.2) and RC4 it
   * with the same handle continuing its keystream (KEY_EXCH); the sequence number advances.
   */
  seal(plaintext: Uint8Array): { signature: Uint8Array; sealed: Uint8Array } {
    const out = allocBytes(SIGNATURE_LENGTH + plaintext.length);
    this.sealInto(plaintext, out, 0);
    return { signature: out.subarray(0, SIGNATURE_LENGTH), sealed: out.subarray(SIGNATURE_LENGTH) };
  }

  /**
   * seal(), writing the signature and then the sealed payload (SIGNATURE_LENGTH + plaintext
   * bytes) into `out` at `at`: lets a caller frame a message in one buffer.
   */
  sealInto(plaintext: Uint8Array, out: Uint8Array, at: number): void {
    this.#requireSeal();
    if (at < 0 || at + SIGNATURE_LENGTH + plaintext.length > out.length) throw new RangeError('sealed message does not fit');
    const d = this.#out;
    d.handle.updateInto(plaintext, out, at + SIGNATURE_LENGTH);
    this.#writeSignature(d.signKey, d.handle, d.seq, plaintext, out, at);
    d.seq = (d.seq + 1) >>> 0;
  }

  /**
   * GSS_UnwrapEx (§3.4.7): unseal and verify. A rejected message leaves this side's state as
   * it was (the caller decides what to do, typically drop the connection).
   */
  unseal(sealed: Uint8Array, signature: Uint8Array): Uint8Array {
    this.#requireSeal();
    const d = this.#in;
    if (signature.length !== SIGNATURE_LENGTH || readU32le(signature, 0) !== 1) {
      throw new SecurityError('bad-signature', 'signature is not a version 1 NTLMSSP_MESSAGE_SIGNATURE');
    }
    const seq = readU32le(signature, 12);
    if (seq !== d.seq) {
      throw new SecurityError('bad-sequence', `sequence number ${seq} where ${d.seq} was expected (replayed, reordered or foreign message)`);
    }
    let handle = d.spare;
    if (handle) handle.assign(d.handle);
    else handle = d.handle.clone();
    const plaintext = handle.update(sealed);
    this.#writeSignature(d.signKey, handle, d.seq, plaintext, EXPECTED, 0);
    if (!bytesEqual(EXPECTED, signature)) {
      throw new SecurityError('bad-signature', 'message signature does not verify (altered, or sealed with other keys)');
    }
    // Commit: the advanced copy becomes the handle (the old one is the next spare).
    d.spare = d.handle;
    d.handle = handle;
    d.seq = (d.seq + 1) >>> 0;
    return plaintext;
  }

  /**
   * GSS_GetMICEx (§3.4.8): the signature alone (§3.4.4.2), over `data` sent in clear. It shares
   * the sealing RC4 handle and the sequence number with seal(): both advance. `resetHandle`
   * re-keys this direction's RC4 handle afterwards (sequence number kept), as MS-SPNG §3.3.5.1
   * wants after the SPNEGO mechListMIC and as Windows and pyspnego do.
   */
  sign(data: Uint8Array, opts: { resetHandle?: boolean } = {}): Uint8Array {
    const d = this.#out;
    const signature = this.#signature(d.signKey, d.handle, d.seq, data);
    d.seq = (d.seq + 1) >>> 0;
    if (opts.resetHandle) d.handle.assign(this.#freshHandle(this.role));
    return signature;
  }

  /**
   * GSS_VerifyMICEx (§3.4.9): throws SecurityError when the signature or its sequence number
   * does not verify; a rejected signature leaves this side's state as it was.
   */
  verify(data: Uint8Array, signature: Uint8Array, opts: { resetHandle?: boolean } = {}): void {
    const d = this.#in;
    if (signature.length !== SIGNATURE_LENGTH || readU32le(signature, 0) !== 1) {
      throw new SecurityError('bad-signature', 'signature is not a version 1 NTLMSSP_MESSAGE_SIGNATURE');
    }
    const seq = readU32le(signature, 12);
    if (seq !== d.seq) throw new SecurityError('bad-sequence', `sequence number ${seq} where ${d.seq} was expected`);
    const handle = d.handle.clone();
    if (!bytesEqual(this.#signature(d.signKey, handle, d.seq, data), signature)) {
      throw new SecurityError('bad-signature', 'MIC does not verify (altered, or signed with other keys)');
    }
    d.handle.assign(opts.resetHandle ? this.#freshHandle(this.role === 'client' ? 'server' : 'client') : handle);
    d.seq = (d.seq + 1) >>> 0;
  }

  /** A new RC4 handle on the sealing key of the `sender`'s direction (§3.4.5.3). */
  #freshHandle(sender: NtlmRole): Rc4 {
    return sender === 'client' ? this.#keys.clientSeal : this.#keys.serverSeal;
  }

  #requireSeal(): void {
    if (!hasFlag(this.flags, NegotiateFlags.NEGOTIATE_SEAL)) throw new NtlmError('unsupported', 'NEGOTIATE_SEAL was not negotiated');
  }

  // §3.4.4.2 with extended session security:
  // Version(1) ‖ Checksum = RC4(handle, HMAC_MD5(SigningKey, seq ‖ message)[0..8]) ‖ SeqNum
  #signature(key: HmacMd5Key, handle: Rc4, seq: number, message: Uint8Array): Uint8Array {
    const out = new Uint8Array(SIGNATURE_LENGTH);
    this.#writeSignature(key, handle, seq, message, out, 0);
    return out;
  }

  #writeSignature(key: HmacMd5Key, handle: Rc4, seq: number, message: Uint8Array, out: Uint8Array, at: number): void {
    writeU32le(out, at, 1);
    writeU32le(out, at + 12, seq);
    writeU32le(SEQ, 0, seq);
    key.macInto(MAC, 0, SEQ, message);
    if (hasFlag(this.flags, NegotiateFlags.NEGOTIATE_KEY_EXCH)) handle.updateInto(CHECKSUM, out, at + 4);
    else out.set(CHECKSUM, at + 4);
  }
}

// Scratch for #writeSignature (synchronous): the sequence number as hashed, the HMAC, and its
// first 8 bytes (the checksum).
const SEQ = new Uint8Array(4);
const MAC = new Uint8Array(16);
const CHECKSUM = MAC.subarray(0, 8);
// Where unseal() computes the signature it expects.
const EXPECTED = new Uint8Array(SIGNATURE_LENGTH);
