import { describe, expect, it } from 'vitest';
import { hmacMd5, md5 } from './hash.ts';
import { hex } from '../bytes.ts';

const te = new TextEncoder();

describe('md5 / hmacMd5', () => {
  it('md5 matches RFC 1321 "abc"', () => {
    expect(hex(md5(te.encode('abc')))).toBe('900150983cd24fb0d6963f7d28e17f72');
  });
  it('md5 over several parts equals md5 of their concatenation', () => {
    expect(hex(md5(te.encode('ab'), te.encode('c')))).toBe(hex(md5(te.encode('abc'))));
  });
  it('hmacMd5 matches RFC 2202 test case 2', () => {
    expect(hex(hmacMd5(te.encode('Jefe'), te.encode('what do ya want for nothing?')))).toBe(
      '750c783e6ab0b503eaa86e310a5db738',
    );
  });
});

describe('hmacMd5 key reuse', () => {
  it('a key array whose bytes changed in place is not answered from the kept key', () => {
    const key = te.encode('Jefe');
    const data = te.encode('what do ya want for nothing?');
    const first = hex(hmacMd5(key, data));
    key[0] ^= 1;
    expect(hex(hmacMd5(key, data))).not.toBe(first);
    key[0] ^= 1;
    expect(hex(hmacMd5(key, data))).toBe(first);
  });
});
