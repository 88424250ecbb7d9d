import { describe, expect, it } from 'vitest';
import { findNeedles, ntHash, secretNeedles } from './needles.ts';

describe('secret needles', () => {
  it('computes the NT hash of MS-NLMP §4.2.4 ("Password")', () => {
    expect(ntHash('Password').toString('hex')).toBe('a4f49c406510bdcab6824ee7c30fd852');
  });

  it('finds a password inside any base64 run, whatever its alignment', () => {
    const needles = secretNeedles({ label: 'pw', password: 'Sup3r-Secret-42' });
    for (const prefix of ['', 'x', 'xy', 'xyz']) {
      const b64 = Buffer.from(`${prefix}Sup3r-Secret-42tail`).toString('base64');
      expect(findNeedles(Buffer.from(b64), needles).length, prefix).toBeGreaterThan(0);
    }
  });

  it('finds nothing in unrelated bytes', () => {
    const needles = secretNeedles({ label: 'pw', user: 'u', password: 'Sup3r-Secret-42' });
    expect(findNeedles(Buffer.from('POST /wsman HTTP/1.1\r\nAuthorization: Negotiate TlRMTVNTUAABAAAAB4IIogAAAAAAAAAA\r\n'), needles)).toEqual([]);
  });
});
