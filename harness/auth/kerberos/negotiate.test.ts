import { describe, expect, it } from 'vitest';
import { utf8 } from '../bytes.ts';
import { buildNegTokenInit, buildNegTokenResp, OID_KERBEROS, OID_MS_KERBEROS, OID_NTLMSSP } from '../spnego.ts';
import { frameGssToken } from './gss-token.ts';
import { negotiateMechanism } from './negotiate.ts';

describe('negotiateMechanism', () => {
  const krb5 = frameGssToken(0x0100, new Uint8Array([0x6e, 0x00]));
  const ntlm = new Uint8Array([...utf8('NTLMSSP\0'), 1, 0, 0, 0]);
  it('routes raw and SPNEGO tokens by their preferred mechanism', () => {
    expect(negotiateMechanism(krb5)).toBe('kerberos');
    expect(negotiateMechanism(ntlm)).toBe('ntlm');
    expect(negotiateMechanism(buildNegTokenInit([OID_MS_KERBEROS, OID_KERBEROS, OID_NTLMSSP], krb5))).toBe('kerberos');
    expect(negotiateMechanism(buildNegTokenInit([OID_NTLMSSP, OID_KERBEROS], ntlm))).toBe('ntlm');
    expect(negotiateMechanism(buildNegTokenResp({ responseToken: ntlm }))).toBe('unknown');
    expect(negotiateMechanism(utf8('garbage'))).toBe('unknown');
  });
});
