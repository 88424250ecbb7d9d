// The one source of randomness inside the simulation (no Math.random): sfc32, seeded from a
// 32-bit seed through splitmix32. Small, fast, and the same sequence on every platform.

/** splitmix32 step: spreads a 32-bit seed over the 128-bit sfc32 state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) >>> 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** FNV-1a over UTF-16 code units: turns a fork label into 32 bits. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Forks made so far per label; made on the first fork (most generators never fork). */
  private forkCounts?: Map<string, number>;

  constructor(readonly seed: number) {
    const st = { s: seed >>> 0 };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    for (let i = 0; i < 12; i++) this.nextU32(); // let the state mix before first use
  }

  /** Uniform in [0, 2^32). */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 0x1_0000_0000;
  }

  /** Uniform integer in lo..hi, both inclusive (rejection sampling, so no modulo bias). */
  int(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
      throw new RangeError(`SeededRandom.int: bad range ${lo}..${hi}`);
    }
    const span = hi - lo + 1;
    if (span > 0x1_0000_0000) throw new RangeError('SeededRandom.int: range wider than 2^32');
    if (span === 0x1_0000_0000) return lo + this.nextU32();
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % span);
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    return lo + (x % span);
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      let x = this.nextU32();
      for (let j = i; j < Math.min(n, i + 4); j++, x >>>= 8) out[j] = x & 0xff;
    }
    return out;
  }

  /**
   * An independent stream named `label`. It depends only on this generator's seed, the label
   * and how many times that label was forked before — not on how many numbers were drawn —
   * so adding a draw in one component does not shift another component's stream.
   */
  fork(label: string): SeededRandom {
    const counts = (this.forkCounts ??= new Map());
    const n = counts.get(label) ?? 0;
    counts.set(label, n + 1);
    return new SeededRandom(fnv1a(`${this.seed >>> 0}\u0000${label}\u0000${n}`));
  }
}
