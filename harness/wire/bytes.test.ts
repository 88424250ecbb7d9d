import { describe, expect, it } from 'vitest';
import { allocBytes, copyBytes } from './bytes.ts';

describe('allocBytes (slab-carved arrays)', () => {
  it('gives zeroed, plain Uint8Arrays whose memory no other array shares, across slab boundaries', () => {
    const arrays: Uint8Array[] = [];
    for (let i = 0; i < 200; i++) {
      const a = allocBytes(1 + ((i * 997) % 5000));
      expect(a.constructor).toBe(Uint8Array);
      expect(a.every((b) => b === 0)).toBe(true);
      a.fill(i & 0xff || 1);
      arrays.push(a);
    }
    arrays.forEach((a, i) => expect(a.every((b) => b === (i & 0xff || 1)), `array ${i} was overwritten`).toBe(true));
  });

  it('large and empty requests still work', () => {
    expect(allocBytes(0).length).toBe(0);
    expect(allocBytes(100_000).length).toBe(100_000);
  });

  it('copyBytes copies: changing the source leaves the copy as it was', () => {
    const src = new Uint8Array([1, 2, 3]);
    const c = copyBytes(src);
    src[0] = 9;
    expect([...c]).toEqual([1, 2, 3]);
  });
});
