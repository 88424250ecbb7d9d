import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { bodySha256 } from './trace-message.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('bodySha256 (the message events’ body hash, with recent digests reused)', () => {
  it('is the SHA-256 of the bytes for fresh, repeated and same-length different bodies', () => {
    const bodies: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) bodies.push(new Uint8Array(64).fill(i % 12));
    for (const b of bodies) expect(bodySha256(b)).toBe(sha(b));
  });

  it('is not fooled when the bytes it saw are changed afterwards by their owner', () => {
    const b = new Uint8Array([1, 2, 3, 4]);
    const before = bodySha256(b);
    b[0] = 9;
    expect(bodySha256(b)).toBe(sha(b));
    expect(bodySha256(b)).not.toBe(before);
  });
});
