// The SPNEGO mechListMIC inside CredSSP's negoTokens (RFC 4178 §5; MS-SPNG §3.3.5.1): an NTLM
// MAC-only signature (MS-NLMP §3.4.4.2) over the DER MechTypeList the initiator sent in its
// NegTokenInit. Each side signs with its outgoing and verifies with its incoming direction, then
// re-keys that direction's RC4 handle (sequence number kept) — as Windows and pyspnego do — so
// the pubKeyAuth sealed right after starts on a fresh keystream with sequence number 1.
import { encodeOid, tlv, TAG } from '../der.ts';
import { SecurityError, type NtlmSession } from '../ntlm/session.ts';
import { CredSspError } from './errors.ts';

/** DER MechTypeList (SEQUENCE OF OID), the bytes the MIC covers. */
export function mechTypeList(mechTypes: readonly string[]): Uint8Array {
  return tlv(TAG.SEQUENCE, ...mechTypes.map(encodeOid));
}

export function signMechList(session: NtlmSession, mechTypes: readonly string[]): Uint8Array {
  return session.sign(mechTypeList(mechTypes), { resetHandle: true });
}

/** Throws CredSspError('bad-mic') when the peer's mechListMIC does not verify. */
export function verifyMechList(session: NtlmSession, mechTypes: readonly string[], mic: Uint8Array): void {
  try {
    session.verify(mechTypeList(mechTypes), mic, { resetHandle: true });
  } catch (e) {
    if (e instanceof SecurityError) throw new CredSspError('bad-mic', `SPNEGO mechListMIC: ${e.message}`);
    throw e;
  }
}
