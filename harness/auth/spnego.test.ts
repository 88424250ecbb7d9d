import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex, hex } from './bytes.ts';
import { decodeOid, encodeOid, readTlv } from './der.ts';
import { encodeNegotiate } from './ntlm/negotiate-message.ts';
import {
  buildNegTokenInit,
  buildNegTokenResp,
  extractNtlm,
  OID_KERBEROS,
  OID_NTLMSSP,
  parseNegotiateToken,
  SpnegoError,
  wrapAcceptorToken,
  wrapInitiatorToken,
} from './spnego.ts';

const type1 = encodeNegotiate({ flags: 0xe2888235 });

describe('Negotiate tokens (RFC 4559, RFC 4178)', () => {
  it('encodes the NTLMSSP OID as Windows does (06 0a 2b 06 01 04 01 82 37 02 02 0a)', () => {
    expect(hex(encodeOid(OID_NTLMSSP))).toBe('060a2b06010401823702020a');
    expect(decodeOid(readTlv(encodeOid(OID_NTLMSSP), 0).value)).toBe(OID_NTLMSSP);
  });

  it('reads a NegTokenInit laid out as Windows sends it (the header bytes of SMB client setup blobs)', () => {
    // 60 48 06 06 2b0601050502 a0 3e 30 3c a0 0e 30 0c 06 0a <NTLMSSP OID> a2 2a 04 28 <40-byte Type 1>
    const t1 = fromHex('4e544c4d5353500001000000978208e2000000000000000000000000000000000a00614a0000000f');
    const token = fromHex('604806062b0601050502a03e303ca00e300c060a2b06010401823702020aa22a0428' + hex(t1));
    const parsed = parseNegotiateToken(token);
    expect(parsed).toMatchObject({ kind: 'neg-token-init', mechTypes: [OID_NTLMSSP] });
    expect(hex(extractNtlm(parsed).ntlm!)).toBe(hex(t1));
    expect(hex(buildNegTokenInit([OID_NTLMSSP], t1))).toBe(hex(token));
  });

  it('passes a raw NTLMSSP token through and answers raw', () => {
    const parsed = parseNegotiateToken(type1);
    expect(extractNtlm(parsed)).toEqual({ style: 'raw', ntlm: type1 });
    expect(wrapAcceptorToken('raw', type1, 'accept-incomplete', true)).toBe(type1);
  });

  it('answers SPNEGO with NegTokenResp accept-incomplete + supportedMech NTLMSSP + token', () => {
    const resp = parseNegotiateToken(wrapAcceptorToken('spnego', type1, 'accept-incomplete', true));
    expect(resp).toMatchObject({ kind: 'neg-token-resp', negState: 'accept-incomplete', supportedMech: OID_NTLMSSP });
    if (resp.kind === 'neg-token-resp') expect(hex(resp.responseToken!)).toBe(hex(type1));
    const done = parseNegotiateToken(wrapAcceptorToken('spnego', undefined, 'accept-completed', false));
    expect(done).toEqual({ kind: 'neg-token-resp', negState: 'accept-completed' });
  });

  it('extracts a Type 3 from the initiator’s NegTokenResp', () => {
    const tok = parseNegotiateToken(wrapInitiatorToken('spnego', type1, false));
    expect(extractNtlm(tok)).toEqual({ style: 'spnego', ntlm: type1 });
  });

  it('asks for NTLM when the optimistic token is Kerberos but NTLM is offered second', () => {
    const tok = parseNegotiateToken(buildNegTokenInit([OID_KERBEROS, OID_NTLMSSP], new Uint8Array([1, 2, 3])));
    expect(extractNtlm(tok)).toEqual({ style: 'spnego', ntlm: undefined });
  });

  it('refuses a NegTokenInit without NTLMSSP with code no-ntlm', () => {
    const tok = parseNegotiateToken(buildNegTokenInit([OID_KERBEROS], new Uint8Array([1])));
    expect(() => extractNtlm(tok)).toThrow(expect.objectContaining({ code: 'no-ntlm' }));
  });

  it('handles long-form lengths (a token > 127 bytes)', () => {
    const big = new Uint8Array(300);
    big.set(type1);
    const tok = parseNegotiateToken(buildNegTokenResp({ negState: 'accept-incomplete', responseToken: big }));
    expect(tok.kind === 'neg-token-resp' && tok.responseToken!.length).toBe(300);
  });

  it('throws SpnegoError (never anything else) on garbage and on every truncation', () => {
    const good = buildNegTokenInit([OID_NTLMSSP], type1);
    for (let n = 0; n < good.length; n++) expect(() => parseNegotiateToken(good.subarray(0, n))).toThrow(SpnegoError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.constantFrom(0x60, 0xa1, 0x30, 0x4e), (junk, first) => {
        const b = new Uint8Array([first, ...junk]);
        try {
          extractNtlm(parseNegotiateToken(b));
        } catch (e) {
          if (!(e instanceof SpnegoError)) throw e;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
