import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex, hex } from '../bytes.ts';
import { avString, AvId, decodeAvPairs, encodeAvPairs, avTimestamp, findAvTimestamp } from './av-pairs.ts';
import { decodeAuthenticate, encodeAuthenticate } from './authenticate-message.ts';
import { decodeChallenge, encodeChallenge } from './challenge-message.ts';
import { NtlmError } from './errors.ts';
import { describeFlags } from './flags.ts';
import { decodeNegotiate, encodeNegotiate } from './negotiate-message.ts';

// MS-NLMP §4.2.4.3 CHALLENGE_MESSAGE (flags 0xe28a8233, TargetName "Server", version 6.0.6000/15).
const SPEC_CHALLENGE =
  '4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef00000000000000002400240044000000' +
  '06007017000000 0f53006500720076006500720002000c0044006f006d00610069006e0001000c00530065007200760065007200' +
  '00000000';

describe('NTLM message codecs (MS-NLMP §2.2.1)', () => {
  it('encodes the §4.2.4.3 CHALLENGE_MESSAGE byte for byte', () => {
    const bytes = encodeChallenge({
      flags: 0xe28a8233,
      serverChallenge: fromHex('0123456789abcdef'),
      targetName: 'Server',
      targetInfo: [avString(AvId.MsvAvNbDomainName, 'Domain'), avString(AvId.MsvAvNbComputerName, 'Server')],
      version: { major: 6, minor: 0, build: 6000, revision: 15 },
    });
    expect(hex(bytes)).toBe(SPEC_CHALLENGE.replace(/\s/g, ''));
  });

  it('decodes the §4.2.4.3 CHALLENGE_MESSAGE', () => {
    const c = decodeChallenge(fromHex(SPEC_CHALLENGE));
    expect(c.flags >>> 0).toBe(0xe28a8233);
    expect(c.targetName).toBe('Server');
    expect(hex(c.serverChallenge)).toBe('0123456789abcdef');
    expect(c.targetInfo.map((p) => p.id)).toEqual([AvId.MsvAvNbDomainName, AvId.MsvAvNbComputerName]);
    expect(c.version).toEqual({ major: 6, minor: 0, build: 6000, revision: 15 });
  });

  it('writes an OEM TargetName when UNICODE is not negotiated (requests-ntlm 1.1.0 case)', () => {
    const bytes = encodeChallenge({ flags: 0xe2898236, serverChallenge: new Uint8Array(8), targetName: 'WINRM', targetInfo: [] });
    expect(new TextDecoder().decode(bytes.subarray(56, 61))).toBe('WINRM');
    expect(decodeChallenge(bytes).targetName).toBe('WINRM');
  });

  it('round-trips a NEGOTIATE_MESSAGE with OEM domain and workstation and sets the SUPPLIED bits', () => {
    const b = encodeNegotiate({ flags: 0xe2888232, domain: 'CORP', workstation: 'WS1', version: { major: 10, minor: 0, build: 17763, revision: 15 } });
    const m = decodeNegotiate(b);
    expect(m.domain).toBe('CORP');
    expect(m.workstation).toBe('WS1');
    expect(describeFlags(m.flags)).toContain('NEGOTIATE_OEM_DOMAIN_SUPPLIED');
    expect(m.version?.build).toBe(17763);
  });

  it('decodes the requests-ntlm 1.1.0 Type 1 flags 0xe2889032 as OEM without UNICODE', () => {
    const m = decodeNegotiate(encodeNegotiate({ flags: 0xe2889032 }));
    const names = describeFlags(m.flags);
    expect(names).toContain('NEGOTIATE_OEM');
    expect(names).not.toContain('NEGOTIATE_UNICODE');
  });

  it('round-trips an AUTHENTICATE_MESSAGE with a MIC in UNICODE and in OEM', () => {
    for (const flags of [0xe2888235, 0xe2888236]) {
      const msg = {
        flags,
        lmChallengeResponse: new Uint8Array(24),
        ntChallengeResponse: new Uint8Array(60).fill(3),
        domain: 'Domain',
        user: 'User',
        workstation: 'WS',
        encryptedRandomSessionKey: new Uint8Array(16).fill(9),
        mic: new Uint8Array(16).fill(7),
      };
      const d = decodeAuthenticate(encodeAuthenticate(msg));
      expect([d.user, d.domain, d.workstation]).toEqual(['User', 'Domain', 'WS']);
      expect(hex(d.mic!)).toBe(hex(msg.mic));
      expect(d.payloadStart).toBe(88);
      expect(hex(d.encryptedRandomSessionKey)).toBe(hex(msg.encryptedRandomSessionKey));
    }
  });

  it('round-trips AV pairs including a timestamp and requires MsvAvEOL', () => {
    const enc = encodeAvPairs([avString(AvId.MsvAvDnsComputerName, 'host.example'), avTimestamp(132_000_000_000_000_000n)]);
    expect(findAvTimestamp(decodeAvPairs(enc))).toBe(132_000_000_000_000_000n);
    expect(() => decodeAvPairs(enc.subarray(0, enc.length - 4))).toThrow(NtlmError);
  });

  it('never crashes on garbage: decoders throw NtlmError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (junk, type, withHeader) => {
        const b = junk.slice();
        if (withHeader && b.length >= 12) {
          b.set(new TextEncoder().encode('NTLMSSP\0'), 0);
          b[8] = type;
          b[9] = b[10] = b[11] = 0;
        }
        for (const decode of [decodeNegotiate, decodeChallenge, decodeAuthenticate]) {
          try {
            decode(b);
          } catch (e) {
            if (!(e instanceof NtlmError)) throw e;
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
