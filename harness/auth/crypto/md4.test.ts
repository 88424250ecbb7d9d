import { describe, expect, it } from 'vitest';
import { md4 } from './md4.ts';
import { hex, utf16le } from '../bytes.ts';

describe('md4 (RFC 1320)', () => {
  // RFC 1320 Appendix A.5 "Test suite".
  const suite: Array<[string, string]> = [
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    ['1234567890'.repeat(8), 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ];
  for (const [input, digest] of suite) {
    it(`hashes ${JSON.stringify(input.length > 20 ? input.slice(0, 20) + '…' : input)} to the RFC digest`, () => {
      expect(hex(md4(new TextEncoder().encode(input)))).toBe(digest);
    });
  }

  it('pads correctly around the 55/56/64-byte block boundaries (stable, distinct digests)', () => {
    const digests = new Set<string>();
    for (const n of [55, 56, 57, 63, 64, 65, 119, 120]) digests.add(hex(md4(new Uint8Array(n).fill(0x61))));
    expect(digests.size).toBe(8);
  });

  it('gives the MS-NLMP §4.2.2.1.2 NT hash of "Password"', () => {
    expect(hex(md4(utf16le('Password')))).toBe('a4f49c406510bdcab6824ee7c30fd852');
  });
});
