// Whether bytes are nothing but TLS records (RFC 8446 §5.1 / RFC 5246 §6.2): content type
// 20..23, legacy version 3.x, length at most 2^14 + 2048. A record cut by the connection's end
// is allowed (the bytes were still not plaintext).

export function tlsRecordProblem(bytes: Uint8Array): string | undefined {
  let i = 0;
  while (i < bytes.length) {
    if (bytes.length - i < 5) return undefined; // a header cut short
    const type = bytes[i];
    const len = (bytes[i + 3] << 8) | bytes[i + 4];
    if (type < 20 || type > 23) return `byte ${i}: 0x${type.toString(16).padStart(2, '0')} is not a TLS record type`;
    if (bytes[i + 1] !== 3 || bytes[i + 2] > 4) return `byte ${i}: version ${bytes[i + 1]}.${bytes[i + 2]} is not TLS`;
    if (len > 16384 + 2048) return `byte ${i}: record length ${len} exceeds 2^14+2048`;
    i += 5 + len;
  }
  return undefined;
}
