// Which mechanism an `Authorization: Negotiate` token is for (RFC 4559, RFC 4178): the server
// routes Kerberos tokens to KerberosAcceptor and NTLM ones to its NTLM acceptor.
import { isNtlmssp } from '../ntlm/fields.ts';
import { OID_KERBEROS, OID_MS_KERBEROS, OID_NTLMSSP, parseNegotiateToken } from '../spnego.ts';
import { looksLikeKrb5Token } from './gss-token.ts';

export type NegotiateMechanism = 'kerberos' | 'ntlm' | 'unknown';

/**
 * 'kerberos' for a raw krb5 GSS token (requests-kerberos/pywinrm) or SPNEGO NegTokenInit whose
 * preferred mechanism is krb5/MS-krb5 (Windows, pypsrp); 'ntlm' for raw NTLMSSP or SPNEGO
 * preferring NTLMSSP; 'unknown' otherwise (including SPNEGO NegTokenResp continuation legs,
 * which only NTLM uses here: the server routes those by the connection's handshake state).
 */
export function negotiateMechanism(token: Uint8Array): NegotiateMechanism {
  if (isNtlmssp(token)) return 'ntlm';
  if (looksLikeKrb5Token(token)) return 'kerberos';
  try {
    const t = parseNegotiateToken(token);
    if (t.kind !== 'neg-token-init') return 'unknown';
    const first = t.mechTypes[0];
    if (first === OID_KERBEROS || first === OID_MS_KERBEROS) return 'kerberos';
    if (first === OID_NTLMSSP) return 'ntlm';
  } catch {
    // not SPNEGO either
  }
  return 'unknown';
}
