import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hex } from '../bytes.ts';
import { HmacMd5Key, Md5 } from './md5.ts';

const bytes = (n: number, salt: number) => new Uint8Array(n).map((_, i) => (i * 31 + salt * 7 + 3) & 0xff);

describe('MD5 / HMAC-MD5 in JavaScript', () => {
  it('equals node:crypto MD5 for every length 0..300, fed in two pieces at any alignment', () => {
    for (let n = 0; n <= 300; n++) {
      const d = bytes(n, n);
      const cut = (n * 7) % (n + 1);
      // Offsets that are not multiples of 4 exercise the byte-wise block reader.
      const shifted = new Uint8Array(n + 3);
      shifted.set(d, 3);
      const view = shifted.subarray(3);
      expect(hex(new Md5().update(view.subarray(0, cut)).update(view.subarray(cut)).digest()), `length ${n}`).toBe(
        createHash('md5').update(d).digest('hex'),
      );
    }
  });

  it('equals node:crypto HMAC-MD5 for keys shorter, equal to and longer than the block', () => {
    for (const keyLength of [1, 16, 63, 64, 65, 200]) {
      const key = new HmacMd5Key(bytes(keyLength, 1));
      for (const n of [0, 4, 55, 56, 60, 64, 1000, 2049]) {
        const d = bytes(n, keyLength);
        expect(hex(key.mac(d.subarray(0, 4), d.subarray(4))), `key ${keyLength}, length ${n}`).toBe(
          createHmac('md5', bytes(keyLength, 1)).update(d).digest('hex'),
        );
      }
    }
  });

  it('a kept key gives the same MAC every time (its padded blocks are not consumed)', () => {
    const key = new HmacMd5Key(bytes(16, 9));
    const d = bytes(100, 2);
    expect(hex(key.mac(d))).toBe(hex(key.mac(d)));
  });
});
