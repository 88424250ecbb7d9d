import { describe, expect, it } from 'vitest';
import { hex, utf16le } from '../bytes.ts';
import { DerError } from '../der.ts';
import {
  CredType,
  decodePasswordCreds,
  decodeTsCredentials,
  encodePasswordCredentials,
  encodePasswordCreds,
  encodeTsCredentials,
} from './ts-credentials.ts';

describe('TSCredentials / TSPasswordCreds (MS-CSSP §2.2.1.2)', () => {
  it('carries the three strings as UTF-16LE OCTET STRINGs under [0] [1] [2]', () => {
    const der = encodePasswordCreds({ domain: 'D', user: 'u', password: 'p' });
    expect(hex(der)).toBe('3012a0040402' + hex(utf16le('D')) + 'a1040402' + hex(utf16le('u')) + 'a2040402' + hex(utf16le('p')));
  });

  it('round-trips password credentials wrapped in TSCredentials with credType 1', () => {
    const p = { domain: 'WORKGROUP', user: 'vagrant', password: 'pä$$wörd ✓' };
    const c = decodeTsCredentials(encodePasswordCredentials(p));
    expect(c.credType).toBe(CredType.PASSWORD);
    expect(decodePasswordCreds(c.credentials)).toEqual(p);
  });

  it('keeps other credTypes visible to the caller', () => {
    const c = decodeTsCredentials(encodeTsCredentials({ credType: CredType.SMART_CARD, credentials: new Uint8Array([1, 2]) }));
    expect(c).toEqual({ credType: 2, credentials: new Uint8Array([1, 2]) });
  });

  it('refuses a TSPasswordCreds with a field missing or an odd-length string', () => {
    const full = encodePasswordCreds({ domain: 'D', user: 'u', password: 'p' });
    const two = new Uint8Array([0x30, 12, ...full.subarray(2, 14)]);
    expect(() => decodePasswordCreds(two)).toThrow(DerError);
    const odd = new Uint8Array([0x30, 0x0f, 0xa0, 0x03, 0x04, 0x01, 0x44, ...full.subarray(8)]);
    expect(() => decodePasswordCreds(odd)).toThrow(DerError);
  });
});
