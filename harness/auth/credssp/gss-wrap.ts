// pubKeyAuth and authInfo are the inner mechanism's GSS_WrapEx output (MS-CSSP §3.1.5 steps
// 3-5), with whichever mechanism SPNEGO settled on: NTLM (sealed-blob.ts: signature then sealed
// bytes) or Kerberos (an RFC 4121 §4.2.6.2 wrap token from the established KerberosSession).
// The CredSSP state machines see only this interface, so both mechanisms share one flow.
import { KerberosError } from '../kerberos/errors.ts';
import type { KerberosSession } from '../kerberos/session.ts';
import { CredSspError } from './errors.ts';
import { sealBlob, unsealBlob, type SealingContext } from './sealed-blob.ts';

export type InnerMechanism = 'ntlm' | 'kerberos';

export interface InnerWrap {
  readonly mechanism: InnerMechanism;
  wrap(plaintext: Uint8Array): Uint8Array;
  /** Throws CredSspError: 'bad-seal' when it does not verify or is out of sequence, 'malformed' otherwise. */
  unwrap(blob: Uint8Array, what: string): Uint8Array;
}

export function ntlmWrap(session: SealingContext): InnerWrap {
  return {
    mechanism: 'ntlm',
    wrap: (p) => sealBlob(session, p),
    unwrap: (b, what) => unsealBlob(session, b, what),
  };
}

/**
 * Kerberos: gss_wrap with confidentiality (RFC 4121 §4.2.4: sealed, EC 0 for AES) and RRC 0,
 * the token MIT gss_wrap (requests-credssp via python-gssapi) writes. Receivers honour any RRC
 * (§4.2.5), so a Windows SSPI token (RRC 28) opens too. Sequence numbers continue the context's
 * (pubKeyAuth first, then authInfo), as with NTLM.
 */
export function kerberosWrap(session: KerberosSession): InnerWrap {
  return {
    mechanism: 'kerberos',
    wrap: (p) => session.wrap(p, { conf: true, rrc: 0 }),
    unwrap: (b, what) => {
      let r: { plaintext: Uint8Array; conf: boolean };
      try {
        r = session.unwrapDetailed(b);
      } catch (e) {
        if (!(e instanceof KerberosError)) throw e;
        const reason = e.code === 'malformed' ? 'malformed' : 'bad-seal';
        throw new CredSspError(reason, `${what}: Kerberos ${e.code}: ${e.message}`, { kerberos: e.code });
      }
      // §3.1.5: the blobs are encrypted; an integrity-only token would expose the password.
      if (!r.conf) throw new CredSspError('bad-seal', `${what}: Kerberos wrap token without confidentiality`);
      return r.plaintext;
    },
  };
}
