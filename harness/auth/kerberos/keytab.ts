// MIT keytab files (format version 0x0502, big-endian), as krb5's keytab.txt describes them:
// a sequence of length-prefixed entries {principal, timestamp, kvno, keyblock}; a negative
// length is a deleted slot to skip.
import { KerberosError } from './errors.ts';
import type { EncryptionKey } from './types.ts';

export interface KeytabEntry {
  principal: string; // "HTTP/localhost@WPC.TEST"
  nameType: number;
  timestamp: number;
  kvno: number;
  key: EncryptionKey;
}

export function parseKeytab(b: Uint8Array): KeytabEntry[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 2 || b[0] !== 0x05 || (b[1] !== 0x02 && b[1] !== 0x01)) throw new KerberosError('malformed', 'not an MIT keytab (version 0x0502)');
  if (b[1] === 0x01) throw new KerberosError('malformed', 'keytab version 0x0501 (native byte order) is not supported');
  const out: KeytabEntry[] = [];
  let o = 2;
  const need = (n: number, end: number) => {
    if (o + n > end) throw new KerberosError('malformed', 'keytab entry truncated');
  };
  while (o + 4 <= b.length) {
    const size = dv.getInt32(o);
    o += 4;
    if (size === 0) break;
    if (size < 0) {
      o += -size;
      continue;
    }
    const end = o + size;
    if (end > b.length) throw new KerberosError('malformed', 'keytab entry runs past the file');
    const str = () => {
      need(2, end);
      const n = dv.getUint16(o);
      o += 2;
      need(n, end);
      const s = Buffer.from(b.subarray(o, o + n)).toString('utf8');
      o += n;
      return s;
    };
    need(2, end);
    const count = dv.getUint16(o);
    o += 2;
    const realm = str();
    const comps: string[] = [];
    for (let i = 0; i < count; i++) comps.push(str());
    need(4 + 4 + 1 + 2, end);
    const nameType = dv.getUint32(o);
    const timestamp = dv.getUint32(o + 4);
    let kvno = b[o + 8];
    const etype = dv.getUint16(o + 9);
    o += 11;
    need(2, end);
    const klen = dv.getUint16(o);
    o += 2;
    need(klen, end);
    const value = b.slice(o, o + klen);
    o += klen;
    if (end - o >= 4) {
      const kvno32 = dv.getUint32(o);
      if (kvno32 !== 0) kvno = kvno32;
    }
    o = end;
    out.push({ principal: `${comps.join('/')}@${realm}`, nameType, timestamp, kvno, key: { etype, value } });
  }
  return out;
}

/** Writes a keytab (for tests and for handing keys to MIT tools). */
export function buildKeytab(entries: KeytabEntry[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from([0x05, 0x02])];
  for (const e of entries) {
    const at = e.principal.lastIndexOf('@');
    const comps = e.principal.slice(0, at).split('/');
    const realm = e.principal.slice(at + 1);
    const cs = (s: string) => {
      const v = Buffer.from(s, 'utf8');
      const h = Buffer.alloc(2);
      h.writeUInt16BE(v.length);
      return Buffer.concat([h, v]);
    };
    const head = Buffer.alloc(2);
    head.writeUInt16BE(comps.length);
    const mid = Buffer.alloc(11);
    mid.writeUInt32BE(e.nameType, 0);
    mid.writeUInt32BE(e.timestamp >>> 0, 4);
    mid.writeUInt8(e.kvno & 0xff, 8);
    mid.writeUInt16BE(e.key.etype, 9);
    const klen = Buffer.alloc(2);
    klen.writeUInt16BE(e.key.value.length);
    const kv32 = Buffer.alloc(4);
    kv32.writeUInt32BE(e.kvno >>> 0);
    const body = Buffer.concat([head, cs(realm), ...comps.map(cs), mid, klen, Buffer.from(e.key.value), kv32]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);
    parts.push(size, body);
  }
  return new Uint8Array(Buffer.concat(parts));
}
