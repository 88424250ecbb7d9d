import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.ts';

const draw = (r: SeededRandom, n: number) => Array.from({ length: n }, () => r.nextU32());

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(draw(new SeededRandom(7), 50)).toEqual(draw(new SeededRandom(7), 50));
    expect(draw(new SeededRandom(7), 50)).not.toEqual(draw(new SeededRandom(8), 50));
  });

  it('int(lo, hi) stays within both inclusive bounds and reaches each of them', () => {
    const r = new SeededRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = r.int(-2, 3);
      expect(Number.isInteger(x) && x >= -2 && x <= 3).toBe(true);
      seen.add(x);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(() => r.int(3, 2)).toThrow(RangeError);
  });

  it('next() is in [0, 1) and roughly uniform', () => {
    const r = new SeededRandom(99);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.02);
  });

  it('bytes(n) returns n bytes that are not all equal', () => {
    const b = new SeededRandom(3).bytes(33);
    expect(b).toHaveLength(33);
    expect(new Set(b).size).toBeGreaterThan(10);
  });

  it('fork(label) does not depend on draws made by the parent, and differs per label and per fork', () => {
    const a = new SeededRandom(5);
    const b = new SeededRandom(5);
    draw(b, 17);
    expect(draw(a.fork('tls'), 10)).toEqual(draw(b.fork('tls'), 10));
    expect(draw(a.fork('tls'), 10)).not.toEqual(draw(new SeededRandom(5).fork('tls'), 10)); // second fork of 'tls'
    expect(draw(new SeededRandom(5).fork('ntlm'), 10)).not.toEqual(draw(new SeededRandom(5).fork('tls'), 10));
  });
});
