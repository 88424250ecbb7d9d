// TSRequest decoding against bytes written by another implementation, and DER strictness: the
// ASN.1 library parses BER, and asn1-codec.ts refuses every non-canonical form with DerError.
import { describe, expect, it } from 'vitest';
import { fromHex, hex } from '../bytes.ts';
import { DerError } from '../der.ts';
import { decodeTsCredentials, encodePasswordCredentials } from './ts-credentials.ts';
import { decodeTsRequest, encodeTsRequest } from './ts-request.ts';

// The client's first TSRequest (version 6, NTLM NEGOTIATE in negoTokens) from the unit tests of
// wallix/redemption (tests/core/RDP/nla/test_nla.cpp, "expected_negotiate"), a FreeRDP-derived
// CredSSP for RDP NLA: an independent encoder, and the same first leg requests-credssp sends.
const REDEMPTION_NEGOTIATE = fromHex(
  '3037a003020106a1303' + '02e302ca02a04284e544c4d5353500001000000b78208e2000000002800000000000000' + '280000000601b11d0000000f',
);

describe('TSRequest from another implementation', () => {
  it('decodes the NTLM NEGOTIATE leg and encodes it back byte for byte', () => {
    const r = decodeTsRequest(REDEMPTION_NEGOTIATE);
    expect(r.version).toBe(6);
    expect(r.negoTokens).toHaveLength(1);
    expect(new TextDecoder().decode(r.negoTokens![0].subarray(0, 8))).toBe('NTLMSSP\0');
    expect(r.negoTokens![0][8]).toBe(1); // NtLmNegotiate (MS-NLMP §2.2.1.1)
    expect(hex(encodeTsRequest(r))).toBe(hex(REDEMPTION_NEGOTIATE));
  });

  it('uses the long length form past 127 bytes (X.690 §8.1.3.5)', () => {
    const der = encodeTsRequest({ version: 6, pubKeyAuth: new Uint8Array(300) });
    expect(hex(der.subarray(0, 4))).toBe('30820139');
    expect(decodeTsRequest(der).pubKeyAuth).toHaveLength(300);
  });
});

describe('DER strictness (X.690 §10)', () => {
  const expectDer = (h: string, re?: RegExp) => {
    expect(() => decodeTsRequest(fromHex(h))).toThrow(DerError);
    if (re) expect(() => decodeTsRequest(fromHex(h))).toThrow(re);
  };

  it('refuses an indefinite length (BER only)', () => expectDer('3080a0030201060000', /canonical/));
  it('refuses a long-form length that fits the short form', () => expectDer('308105a003020106', /canonical/));
  it('refuses a non-minimal INTEGER inside the structure', () => expectDer('3006a00402020006', /canonical/));
  it('refuses a constructed OCTET STRING (BER only)', () => expectDer('300ea003020106a2072405040301aabb'));
  it('refuses a field that is not the schema type', () => expectDer('3005a003040106')); // version as an OCTET STRING
  it('refuses a truncated value and garbage', () => {
    expectDer('3005a0030201');
    expectDer('ffff');
    expectDer('');
  });
  it('refuses an INTEGER beyond what the fields hold', () => expectDer('300ca00a020800ffffffffffffff'));

  it('TSCredentials: refuses a non-canonical re-encoding of valid content', () => {
    const der = encodePasswordCredentials({ domain: 'D', user: 'u', password: 'p' });
    expect(decodeTsCredentials(der).credType).toBe(1);
    const long = new Uint8Array([0x30, 0x81, der[1], ...der.subarray(2)]);
    expect(() => decodeTsCredentials(long)).toThrow(DerError);
  });
});
