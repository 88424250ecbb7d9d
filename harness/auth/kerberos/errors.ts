// Typed Kerberos failures: the acceptor turns them into { ok: false, reason }.
export type KerberosErrorCode =
  | 'malformed' // a DER or GSS structure does not parse
  | 'unsupported-etype' // not AES-SHA1 (RFC 3962)
  | 'integrity' // decryption or checksum failed: wrong key, tampered
  | 'wrong-service' // the ticket is for another service principal
  | 'no-key' // no key for the ticket's service, kvno or enctype
  | 'expired' // ticket end time passed (KRB_AP_ERR_TKT_EXPIRED)
  | 'not-yet-valid' // ticket start time in the future (KRB_AP_ERR_TKT_NYV)
  | 'skew' // authenticator time outside the allowed skew (KRB_AP_ERR_SKEW)
  | 'replay' // authenticator seen before (KRB_AP_ERR_REPEAT)
  | 'bad-principal' // authenticator client differs from the ticket's (KRB_AP_ERR_BADMATCH)
  | 'kdc-error' // the KDC answered KRB-ERROR
  | 'kdc-unreachable' // TCP to the KDC failed or timed out
  | 'mutual-failed' // the AP-REP does not verify
  | 'sequence' // a wrap token's sequence number is not the expected one
  | 'state'; // an API called out of order

export class KerberosError extends Error {
  override readonly name = 'KerberosError';
  constructor(
    readonly code: KerberosErrorCode,
    message: string,
    readonly krbErrorCode?: number,
  ) {
    super(message);
  }
}
