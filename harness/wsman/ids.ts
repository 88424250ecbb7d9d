// Deterministic UUID-shaped identifiers (no randomness: the simulation must replay from a seed).

/**
 * Returns a generator of ids `PPPPPPPP-0000-4000-8000-NNNNNNNNNNNN`: the prefix (hex, from a
 * seed) fills the first group, a counter the last. Upper case, as WinRM writes ShellIds.
 */
export function idSequence(seed: number | string): () => string {
  const prefix = seedHex(seed);
  let n = 0;
  return () => {
    n += 1;
    return `${prefix}-0000-4000-8000-${n.toString(16).toUpperCase().padStart(12, '0')}`;
  };
}

/** Same sequence as idSequence, with the `uuid:` scheme WS-Addressing MessageIDs carry. */
export function messageIdSequence(seed: number | string): () => string {
  const next = idSequence(seed);
  return () => `uuid:${next()}`;
}

function seedHex(seed: number | string): string {
  // FNV-1a 32-bit over the seed's text: stable across runs and platforms.
  let h = 0x811c9dc5;
  const s = String(seed);
  // By code point (an index loop: a string iterator costs more than the hash).
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    h ^= cp;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).toUpperCase().padStart(8, '0');
}
