// Kerberos as CredSSP's inner mechanism (MS-CSSP §3.1.5: negoTokens carry SPNEGO, RFC 4178,
// which may negotiate Kerberos, RFC 4121, instead of NTLM). Kerberos with mutual authentication
// is one round trip inside CredSSP: NegTokenInit{krb5, AP-REQ} → NegTokenResp{accept-completed,
// AP-REP}; then pubKeyAuth and TSCredentials are wrapped with the Kerberos context (gss-wrap.ts).
import { looksLikeKrb5Token } from '../kerberos/gss-token.ts';
import { negotiateMechanism } from '../kerberos/negotiate.ts';
import type { KerberosSession } from '../kerberos/session.ts';
import { buildNegTokenInit, OID_KERBEROS } from '../spnego.ts';

/** The initiator CredSspClient drives; auth/kerberos/client.ts's KerberosClient is one. */
export interface KerberosInitiatorMech {
  /** The GSS initial context token with the AP-REQ (mutual authentication requested), raw or SPNEGO. */
  initSecContext(): Promise<Uint8Array>;
  /** Verifies the acceptor's AP-REP (raw or in a NegTokenResp); throws KerberosError. */
  acceptReply(token: Uint8Array): void;
  readonly session: KerberosSession;
}

/**
 * MS-CSSP §2.2.1.1 / §3.1.5: negoTokens hold SPNEGO tokens. A raw krb5 AP-REQ (what a
 * pykerberos-style initiator gives) goes into a NegTokenInit listing only the krb5 mechanism,
 * with the AP-REQ as its optimistic mechToken (RFC 4178 §4.2.1), as Windows and pyspnego send it.
 */
export function asSpnegoInit(token: Uint8Array): Uint8Array {
  return looksLikeKrb5Token(token) ? buildNegTokenInit([OID_KERBEROS], token) : token;
}

/** Whether the client's first negoToken prefers Kerberos (the server then uses its Kerberos acceptor). */
export function prefersKerberos(token: Uint8Array): boolean {
  return negotiateMechanism(token) === 'kerberos';
}
