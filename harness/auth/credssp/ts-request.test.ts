import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, hex } from '../bytes.ts';
import { DerError } from '../der.ts';
import { decodeInteger, encodeInteger } from './der-integer.ts';
import { decodeTsRequest, encodeTsRequest, type TsRequest } from './ts-request.ts';

describe('DER INTEGER', () => {
  it('uses the minimal two-complement form (X.690 §8.3)', () => {
    expect(hex(encodeInteger(6))).toBe('020106');
    expect(hex(encodeInteger(128))).toBe('02020080');
    expect(hex(encodeInteger(-1))).toBe('0201ff');
    expect(hex(encodeInteger(0xc000006d | 0))).toBe('0204c000006d');
  });

  it('round-trips every 32-bit value, signed or not', () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (n) => {
      const der = encodeInteger(n);
      expect(decodeInteger(der.subarray(2))).toBe(n);
    }));
  });

  it('refuses a non-minimal encoding', () => {
    expect(() => decodeInteger(fromHex('0006'))).toThrow(DerError);
    expect(() => decodeInteger(fromHex('ff80'))).toThrow(DerError);
  });
});

describe('TSRequest (MS-CSSP §2.2.1)', () => {
  it('encodes a version-only request as SEQUENCE { [0] INTEGER 6 }', () => {
    expect(hex(encodeTsRequest({ version: 6 }))).toBe('3005a003020106');
  });

  it('writes errorCode as the signed INTEGER and reads it back unsigned', () => {
    const der = encodeTsRequest({ version: 6, errorCode: 0xc000006d });
    expect(hex(der)).toBe('300da003020106a4060204c000006d');
    expect(decodeTsRequest(der).errorCode).toBe(0xc000006d);
  });

  it('places negoTokens in NegoData: SEQUENCE OF SEQUENCE { [0] OCTET STRING }', () => {
    const der = encodeTsRequest({ version: 2, negoTokens: [fromHex('aabb')] });
    expect(hex(der)).toBe('3011a003020102a10a30083006a0040402aabb');
  });

  const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
  const request: fc.Arbitrary<TsRequest> = fc.record(
    {
      version: fc.integer({ min: 1, max: 6 }),
      negoTokens: fc.array(bytes(0, 300), { minLength: 1, maxLength: 3 }),
      authInfo: bytes(0, 200),
      pubKeyAuth: bytes(0, 300),
      errorCode: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      clientNonce: bytes(32, 32),
    },
    { requiredKeys: ['version'] },
  );

  it('round-trips any combination of fields', () => {
    fc.assert(fc.property(request, (r) => {
      expect(decodeTsRequest(encodeTsRequest(r))).toEqual(r);
    }));
  });

  it('refuses trailing bytes, a missing version, fields out of order and unknown fields', () => {
    const ok = encodeTsRequest({ version: 6 });
    expect(() => decodeTsRequest(new Uint8Array([...ok, 0]))).toThrow(DerError);
    expect(() => decodeTsRequest(fromHex('3006a2040402aabb'))).toThrow(/version/);
    expect(() => decodeTsRequest(fromHex('300ba2040402aabba003020106'))).toThrow(/order/);
    expect(() => decodeTsRequest(fromHex('300ba003020106a6040402aabb'))).toThrow(/unexpected field/);
  });

  it('never throws anything but DerError on arbitrary bytes', () => {
    fc.assert(fc.property(bytes(0, 64), (b) => {
      try {
        decodeTsRequest(b);
      } catch (e) {
        expect(e).toBeInstanceOf(DerError);
      }
    }));
  });
});
