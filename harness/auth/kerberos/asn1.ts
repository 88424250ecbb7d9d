// DER building blocks for the Kerberos ASN.1 module (RFC 4120 §5.2), on top of the small TLV
// reader/writer in ../der.ts. Kerberos uses explicit context tags everywhere ([n] around the
// value) and APPLICATION tags 1..30, all single-byte identifiers, which ../der.ts handles.
import { DerError, readAll, readTlv, tlv, type Tlv } from '../der.ts';
import { KerberosError } from './errors.ts';

export const T = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  SEQUENCE: 0x30,
  GENERALIZED_TIME: 0x18,
  GENERAL_STRING: 0x1b,
} as const;

export const app = (n: number) => 0x60 | n; // [APPLICATION n] constructed
export const ctx = (n: number) => 0xa0 | n; // [n] constructed (explicit)

// ---- writers ----

export function int(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff) throw new RangeError(`INTEGER out of Int32/UInt32 range: ${n}`);
  const bytes: number[] = [];
  let v = BigInt(n);
  // Minimal two's complement (X.690 §8.3.2).
  for (;;) {
    bytes.unshift(Number(v & 0xffn));
    const rest = v >> 8n;
    const sign = bytes[0] & 0x80;
    if ((rest === 0n && !sign) || (rest === -1n && sign)) break;
    v = rest;
  }
  return tlv(T.INTEGER, new Uint8Array(bytes));
}

export const octets = (b: Uint8Array) => tlv(T.OCTET_STRING, b);
export const gstr = (s: string) => tlv(T.GENERAL_STRING, new Uint8Array(Buffer.from(s, 'utf8')));
export const seq = (...items: Uint8Array[]) => tlv(T.SEQUENCE, ...items);
/** [n] explicit, or nothing when the value is absent (OPTIONAL fields). */
export const field = (n: number, v: Uint8Array | undefined): Uint8Array => (v === undefined ? new Uint8Array(0) : tlv(ctx(n), v));

/** KerberosTime ::= GeneralizedTime, "YYYYMMDDHHMMSSZ", no fraction (RFC 4120 §5.2.3). */
export function ktime(ms: number): Uint8Array {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString(); // 2026-11-24T21:30:30.000Z
  const s = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
  return tlv(T.GENERALIZED_TIME, new Uint8Array(Buffer.from(s, 'latin1')));
}

/** KerberosFlags: a 32-bit BIT STRING, bit 0 the most significant (RFC 4120 §5.2.8). */
export function flags(bits: number): Uint8Array {
  return tlv(T.BIT_STRING, new Uint8Array([0, (bits >>> 24) & 0xff, (bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff]));
}
/** The flag value of bit number `n` of a KerberosFlags. */
export const bit = (n: number) => (0x80000000 >>> n) >>> 0;

// ---- readers ----

function malformed(msg: string): never {
  throw new KerberosError('malformed', msg);
}

/** Runs a decoder, turning DER failures and missing fields into KerberosError('malformed'). */
export function decoding<R>(what: string, f: () => R): R {
  try {
    return f();
  } catch (e) {
    if (e instanceof DerError) malformed(`${what}: ${e.message}`);
    if (e instanceof TypeError || e instanceof RangeError) malformed(`${what}: ${e.message}`);
    throw e;
  }
}

export function one(b: Uint8Array, tag: number, what: string): Tlv {
  const t = readTlv(b, 0);
  if (t.tag !== tag) malformed(`${what}: expected tag 0x${tag.toString(16)}, got 0x${t.tag.toString(16)}`);
  if (t.end !== b.length) malformed(`${what}: trailing bytes`);
  return t;
}

/**
 * The explicit-tagged fields of a SEQUENCE: [n] → the TLV inside. `b` is a whole SEQUENCE (or
 * [APPLICATION n] SEQUENCE when appTag is given).
 */
export class Fields {
  private readonly map = new Map<number, Tlv>();
  constructor(
    b: Uint8Array,
    readonly what: string,
    appTag?: number,
  ) {
    let body = b;
    if (appTag !== undefined) body = one(b, app(appTag), what).value;
    const s = readTlv(body, 0);
    if (s.tag !== T.SEQUENCE) malformed(`${what}: not a SEQUENCE`);
    if (s.end !== body.length) malformed(`${what}: trailing bytes`);
    for (const f of readAll(s.value)) {
      if ((f.tag & 0xe0) !== 0xa0) malformed(`${what}: field without a context tag`);
      const inner = readTlv(f.value, 0);
      if (inner.end !== f.value.length) malformed(`${what}: [${f.tag & 0x1f}] holds more than one value`);
      this.map.set(f.tag & 0x1f, inner);
    }
  }
  has(n: number): boolean {
    return this.map.has(n);
  }
  private get(n: number, tag: number): Tlv {
    const t = this.map.get(n) ?? malformed(`${this.what}: field [${n}] missing`);
    if (t.tag !== tag) malformed(`${this.what}: field [${n}] has tag 0x${t.tag.toString(16)}`);
    return t;
  }
  /** The whole encoded TLV of field n (for nested structures). */
  raw(n: number): Uint8Array {
    const t = this.map.get(n) ?? malformed(`${this.what}: field [${n}] missing`);
    return tlvBytes(t);
  }
  rawOpt(n: number): Uint8Array | undefined {
    return this.has(n) ? this.raw(n) : undefined;
  }
  int(n: number): number {
    return decodeInt(this.get(n, T.INTEGER).value);
  }
  intOpt(n: number): number | undefined {
    return this.has(n) ? this.int(n) : undefined;
  }
  str(n: number): string {
    return Buffer.from(this.get(n, T.GENERAL_STRING).value).toString('utf8');
  }
  strOpt(n: number): string | undefined {
    return this.has(n) ? this.str(n) : undefined;
  }
  octets(n: number): Uint8Array {
    return this.get(n, T.OCTET_STRING).value.slice();
  }
  octetsOpt(n: number): Uint8Array | undefined {
    return this.has(n) ? this.octets(n) : undefined;
  }
  time(n: number): number {
    return decodeTime(this.get(n, T.GENERALIZED_TIME).value);
  }
  timeOpt(n: number): number | undefined {
    return this.has(n) ? this.time(n) : undefined;
  }
  flags(n: number): number {
    const v = this.get(n, T.BIT_STRING).value;
    if (v.length < 1) malformed(`${this.what}: empty BIT STRING`);
    let out = 0;
    for (let i = 0; i < 4; i++) out = (out << 8) | (v[1 + i] ?? 0);
    return out >>> 0;
  }
  /** SEQUENCE OF: the encoded elements. */
  seqOf(n: number): Uint8Array[] {
    return readAll(this.get(n, T.SEQUENCE).value).map(tlvBytes);
  }
}

/** Re-encodes a parsed TLV (its bytes, header included). */
export function tlvBytes(t: Tlv): Uint8Array {
  return tlv(t.tag, t.value);
}

export function decodeInt(v: Uint8Array): number {
  if (v.length === 0 || v.length > 5) malformed('INTEGER of bad length');
  let n = v[0] & 0x80 ? -1n : 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return Number(BigInt.asIntN(40, n));
}

export function decodeTime(v: Uint8Array): number {
  const s = Buffer.from(v).toString('latin1');
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(s);
  if (!m) malformed(`bad KerberosTime ${JSON.stringify(s)}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

export function readInt(b: Uint8Array): number {
  return decodeInt(one(b, T.INTEGER, 'INTEGER').value);
}
