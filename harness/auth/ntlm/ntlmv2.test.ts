import { describe, expect, it } from 'vitest';
import { fromHex, hex } from '../bytes.ts';
import { avString, AvId, encodeAvPairs } from './av-pairs.ts';
import { decryptSessionKey, encryptSessionKey, keyExchangeKey, lmv2Response, ntHash, ntlmv2Temp, ntowfv2, ntProofStr, sessionBaseKey } from './ntlmv2.ts';

// MS-NLMP §4.2.1 common values and §4.2.4 NTLMv2 results.
const serverChallenge = fromHex('0123456789abcdef');
const clientChallenge = fromHex('aaaaaaaaaaaaaaaa');
const randomSessionKey = new Uint8Array(16).fill(0x55);
// §4.2.4: AV pairs MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server"; time 0.
const avPairs = encodeAvPairs([avString(AvId.MsvAvNbDomainName, 'Domain'), avString(AvId.MsvAvNbComputerName, 'Server')]);

describe('NTLMv2 (MS-NLMP §3.3.2, vectors of §4.2.4)', () => {
  const nt = ntHash('Password');
  const key = ntowfv2(nt, 'User', 'Domain');
  const temp = ntlmv2Temp(0n, clientChallenge, avPairs);
  const proof = ntProofStr(key, serverChallenge, temp);

  it('NT hash of "Password" (§4.2.2.1.2)', () => expect(hex(nt)).toBe('a4f49c406510bdcab6824ee7c30fd852'));
  it('NTOWFv2 (§4.2.4.1.1)', () => expect(hex(key)).toBe('0c868a403bfd7a93a3001ef22ef02e3f'));
  it('NTOWFv2 uppercases the user but not the domain', () => {
    expect(hex(ntowfv2(nt, 'user', 'Domain'))).toBe(hex(key));
    expect(hex(ntowfv2(nt, 'User', 'DOMAIN'))).not.toBe(hex(key));
  });
  it('temp (§4.2.4.1.3)', () =>
    expect(hex(temp)).toBe(
      '0101000000000000' + '0000000000000000' + 'aaaaaaaaaaaaaaaa' + '00000000' +
        '02000c0044006f006d00610069006e00' + '01000c005300650072007600650072000000000000000000',
    ));
  it('NTProofStr (§4.2.4.2.2)', () => expect(hex(proof)).toBe('68cd0ab851e51c96aabc927bebef6a1c'));
  it('LMv2 response (§4.2.4.2.1)', () =>
    expect(hex(lmv2Response(key, serverChallenge, clientChallenge))).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa'));
  it('SessionBaseKey = KeyExchangeKey (§4.2.4.1.2)', () =>
    expect(hex(keyExchangeKey(sessionBaseKey(key, proof)))).toBe('8de40ccadbc14a82f15cb0ad0de95ca3'));
  it('EncryptedRandomSessionKey (§4.2.4.2.3) and back', () => {
    const kx = sessionBaseKey(key, proof);
    const enc = encryptSessionKey(kx, randomSessionKey);
    expect(hex(enc)).toBe('c5dad2544fc9799094ce1ce90bc9d03e');
    expect(hex(decryptSessionKey(kx, enc))).toBe(hex(randomSessionKey));
  });
});
