// Deterministic WS-Addressing MessageIDs: `uuid:` + a UUID-shaped string whose first ten bytes
// come once from the client's random source and whose last six are a counter, so a seeded run
// replays exactly (INV-8) and ids never repeat within a client. Upper case, as pywinrm writes them.

export function messageIdGenerator(random: { bytes(n: number): Uint8Array }): () => string {
  const prefix = random.bytes(10);
  // RFC 9562 §5.4 shape: version 4 nibble, variant 10xx.
  prefix[6] = (prefix[6] & 0x0f) | 0x40;
  prefix[8] = (prefix[8] & 0x3f) | 0x80;
  // The first ten bytes are the first four groups: written out once. The counter is the last
  // group, the low 48 bits of n big-endian, as 12 hex digits.
  const h = Buffer.from(prefix).toString('hex').toUpperCase();
  const head = `uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-`;
  let n = 0;
  return () => {
    n += 1;
    return head + (n % COUNTER_RANGE).toString(16).toUpperCase().padStart(12, '0');
  };
}

const COUNTER_RANGE = 2 ** 48;
