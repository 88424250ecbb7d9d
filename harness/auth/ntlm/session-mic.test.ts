// NtlmSession.sign / verify: MAC-only signatures (MS-NLMP §3.4.4.2, GSS_GetMICEx §3.4.8),
// sharing the sealing RC4 handle and sequence number with seal/unseal.
import { describe, expect, it } from 'vitest';
import { hex, utf16le } from '../bytes.ts';
import { NtlmSession, SecurityError } from './session.ts';

// The MS-NLMP §4.2.4 key (RandomSessionKey 55…55) and flags SEAL|SIGN|ESS|KEY_EXCH|128|UNICODE.
// Expected values computed with ntlm-auth 1.x SessionSecurity (an independent implementation),
// whose seal of the same input gives the §4.2.4.4 published example (checked below).
const FLAGS = 0x60080031;
const KEY = new Uint8Array(16).fill(0x55);
const MSG = utf16le('Plaintext');
const session = (role: 'client' | 'server') => new NtlmSession({ flags: FLAGS, exportedSessionKey: KEY, role });

describe('NtlmSession sign/verify (MS-NLMP §3.4.4.2)', () => {
  it('gives the known signatures for seq 0 and 1, and shares handle and sequence with seal', () => {
    expect(hex(session('client').seal(MSG).sealed)).toBe('54e50165bf1936dc996020c1811b0f06fb5f'); // §4.2.4.4
    const c = session('client');
    expect(hex(c.sign(MSG))).toBe('0100000074d045342c4f1cd500000000');
    expect(hex(c.sign(MSG))).toBe('01000000e50c09993e3a33d001000000');
    const w = c.seal(MSG);
    expect(hex(w.sealed)).toBe('df5f6386c7945e0b647f40c301e087a22be7');
    expect(hex(w.signature)).toBe('01000000ae310c73a3a5386502000000');
    expect(hex(session('server').sign(MSG))).toBe('01000000e01b84f3fbde503c00000000');
  });

  it('verifies what the peer signed, interleaved with sealed messages', () => {
    const c = session('client');
    const s = session('server');
    s.verify(MSG, c.sign(MSG));
    const w = c.seal(MSG);
    expect(s.unseal(w.sealed, w.signature)).toEqual(MSG);
    c.verify(MSG, s.sign(MSG));
    expect(s.receiveSequence).toBe(2);
  });

  it('refuses an altered message, a wrong sequence number, and leaves its state as it was', () => {
    const c = session('client');
    const s = session('server');
    const sig = c.sign(MSG);
    expect(() => s.verify(utf16le('Plaintexu'), sig)).toThrow(SecurityError);
    const replay = c.sign(MSG);
    expect(() => s.verify(MSG, replay)).toThrowError(/sequence number 1 where 0/);
    s.verify(MSG, sig); // the failures changed nothing
    s.verify(MSG, replay);
  });

  it('with resetHandle re-keys RC4 but keeps the sequence number (SPNEGO mechListMIC, MS-SPNG §3.3.5.1)', () => {
    const c = session('client');
    const s = session('server');
    s.verify(MSG, c.sign(MSG, { resetHandle: true }), { resetHandle: true });
    const w = c.seal(MSG);
    // A fresh handle: the payload is sealed as the first message would be; the sequence is 1.
    expect(hex(w.sealed)).toBe('54e50165bf1936dc996020c1811b0f06fb5f');
    expect(w.signature.subarray(12)).toEqual(new Uint8Array([1, 0, 0, 0]));
    expect(s.unseal(w.sealed, w.signature)).toEqual(MSG);
  });
});
