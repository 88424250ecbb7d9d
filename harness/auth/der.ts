// A minimal DER (X.690) reader/writer for the few SPNEGO structures (RFC 4178 §4.2). Local
// because these structures need only TLV, OID, ENUMERATED and OCTET STRING; definite lengths
// only (DER), bounded by the input. (CredSSP's own structures use @peculiar/asn1-schema: see
// auth/credssp/README.md.)

export class DerError extends Error {
  override readonly name = 'DerError';
}

export interface Tlv {
  tag: number; // the identifier octet (class | constructed | number); single-byte tags only
  value: Uint8Array;
  end: number; // offset just after this TLV in the input
}

export function readTlv(b: Uint8Array, at: number): Tlv {
  if (at + 2 > b.length) throw new DerError('DER: truncated TLV');
  const tag = b[at];
  if ((tag & 0x1f) === 0x1f) throw new DerError('DER: multi-byte tags are not used by SPNEGO');
  let len = b[at + 1];
  let o = at + 2;
  if (len === 0x80) throw new DerError('DER: indefinite length');
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n > 4 || o + n > b.length) throw new DerError('DER: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[o + i];
    o += n;
  }
  if (o + len > b.length) throw new DerError('DER: value runs past the input');
  return { tag, value: b.subarray(o, o + len), end: o + len };
}

/** All TLVs inside a constructed value. */
export function readAll(b: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let o = 0;
  while (o < b.length) {
    const t = readTlv(b, o);
    out.push(t);
    o = t.end;
  }
  return out;
}

export function expectTag(t: Tlv, tag: number, what: string): Uint8Array {
  if (t.tag !== tag) throw new DerError(`DER: expected ${what} (tag 0x${tag.toString(16)}), got 0x${t.tag.toString(16)}`);
  return t.value;
}

export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const len = content.reduce((n, c) => n + c.length, 0);
  let head: number[];
  if (len < 0x80) head = [tag, len];
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    head = [tag, 0x80 | bytes.length, ...bytes];
  }
  const out = new Uint8Array(head.length + len);
  out.set(head);
  let o = head.length;
  for (const c of content) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export const TAG = { SEQUENCE: 0x30, OID: 0x06, OCTET_STRING: 0x04, ENUMERATED: 0x0a, BIT_STRING: 0x03, APPLICATION_0: 0x60 } as const;
export const context = (n: number) => 0xa0 | n;

export function encodeOid(oid: string): Uint8Array {
  const parts = oid.split('.').map(Number);
  if (parts.length < 2 || parts.some((p) => !Number.isInteger(p) || p < 0)) throw new DerError(`bad OID ${oid}`);
  const out = [40 * parts[0] + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk = [p & 0x7f];
    for (let n = Math.floor(p / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(TAG.OID, new Uint8Array(out));
}

export function decodeOid(v: Uint8Array): string {
  if (v.length === 0) throw new DerError('DER: empty OID');
  const parts = [Math.floor(v[0] / 40), v[0] % 40];
  let n = 0;
  for (let i = 1; i < v.length; i++) {
    n = n * 128 + (v[i] & 0x7f);
    if (n > Number.MAX_SAFE_INTEGER / 128) throw new DerError('DER: OID arc too large');
    if (!(v[i] & 0x80)) {
      parts.push(n);
      n = 0;
    } else if (i === v.length - 1) throw new DerError('DER: truncated OID');
  }
  return parts.join('.');
}
