// Typed CredSSP failures (MS-CSSP §3.1.5). Messages never carry a password, hash or key.
import { DerError } from '../der.ts';
import { KerberosError, type KerberosErrorCode } from '../kerberos/errors.ts';
import { NtlmError } from '../ntlm/errors.ts';
import type { NtlmRejectReason } from '../ntlm/server.ts';
import { SpnegoError } from '../spnego.ts';

export type CredSspFailureReason =
  | 'tls-failed' // the TLS layer raised an alert or error: garbage, a record that does not decrypt
  | 'tls-incomplete' // a token that left the TLS handshake where it was: the flight was cut mid-way
  | 'malformed' // a TSRequest / TSCredentials / SPNEGO / NTLM structure that does not decode
  | 'out-of-order' // a well-formed message this side does not expect now (or after the end)
  | 'unsupported-version' // TSRequest.version below the configured minimum
  | 'missing-nonce' // version >= 5 without a 32-byte clientNonce (§2.2.1, §3.1.5)
  | 'logon-failure' // the NTLM or Kerberos exchange inside negoTokens was rejected (wrong password, wrong SPN, expired ticket…)
  | 'mech-list-mic-unsupported' // (no longer raised: mechListMIC is verified, see mech-list-mic.ts)
  | 'bad-mic' // the SPNEGO mechListMIC does not verify (MS-SPNG §3.3.5.1)
  | 'bad-seal' // pubKeyAuth / authInfo does not unseal (signature or sequence wrong)
  | 'pubkey-mismatch' // pubKeyAuth is not over this side's view of the server key: an intercepting proxy
  | 'unsupported-credentials' // TSCredentials.credType other than 1 (password)
  | 'credentials-mismatch' // delegated TSPasswordCreds are not the authenticated user's, or not in the user db
  | 'peer-error'; // the peer sent TSRequest.errorCode

/** Thrown by CredSspClient.step; CredSspServer.step reports the same reasons in its result. */
export class CredSspError extends Error {
  override readonly name = 'CredSspError';
  constructor(
    readonly reason: CredSspFailureReason,
    message: string,
    /**
     * For 'logon-failure': what the NTLM acceptor said, or the Kerberos error code (KDC refusal,
     * wrong-service, expired, mutual-failed, …). For 'peer-error': the NTSTATUS.
     */
    readonly detail: { ntlm?: NtlmRejectReason; kerberos?: KerberosErrorCode; status?: number } = {},
  ) {
    super(message);
  }
}

/**
 * The NTSTATUS / SECURITY_STATUS put in TSRequest.errorCode (§2.2.1, version 3+). MS-CSSP
 * leaves the values to the implementation; these are the ones Windows' SSPI uses for the case.
 */
export const NtStatus = {
  LOGON_FAILURE: 0xc000006d, // STATUS_LOGON_FAILURE
  ACCESS_DENIED: 0xc0000022, // STATUS_ACCESS_DENIED
  INVALID_TOKEN: 0x80090308, // SEC_E_INVALID_TOKEN
  BAD_BINDINGS: 0x80090346, // SEC_E_BAD_BINDINGS
  MESSAGE_ALTERED: 0x8009030f, // SEC_E_MESSAGE_ALTERED
  OUT_OF_SEQUENCE: 0x80090310, // SEC_E_OUT_OF_SEQUENCE
  UNSUPPORTED: 0xc00000bb, // STATUS_NOT_SUPPORTED
} as const;

/** The errorCode a server sends for each failure it reports in a TSRequest. */
export function statusFor(reason: CredSspFailureReason): number {
  switch (reason) {
    case 'logon-failure':
    case 'credentials-mismatch':
      return NtStatus.LOGON_FAILURE;
    case 'pubkey-mismatch':
      return NtStatus.BAD_BINDINGS;
    case 'bad-seal':
    case 'bad-mic':
      return NtStatus.MESSAGE_ALTERED;
    case 'out-of-order':
      return NtStatus.OUT_OF_SEQUENCE;
    case 'unsupported-version':
    case 'unsupported-credentials':
    case 'mech-list-mic-unsupported':
      return NtStatus.UNSUPPORTED;
    default:
      return NtStatus.INVALID_TOKEN;
  }
}

/** Maps the codecs' errors onto CredSSP reasons. */
export function toCredSspError(e: unknown): CredSspError {
  if (e instanceof CredSspError) return e;
  if (e instanceof DerError || e instanceof SpnegoError) return new CredSspError('malformed', e.message);
  // Kerberos inside SPNEGO (MS-CSSP §3.1.5): the ticket or the AP-REP was refused.
  if (e instanceof KerberosError) {
    return new CredSspError(e.code === 'malformed' ? 'malformed' : 'logon-failure', `Kerberos ${e.code}: ${e.message}`, { kerberos: e.code });
  }
  if (e instanceof NtlmError) return new CredSspError(e.code === 'out-of-order' || e.code === 'wrong-type' ? 'out-of-order' : 'malformed', e.message);
  return new CredSspError('malformed', e instanceof Error ? e.message : String(e));
}
