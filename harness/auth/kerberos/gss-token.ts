// GSS-API framing of the Kerberos mechanism: the generic token header of RFC 2743 §3.1 with the
// krb5 OID and a two-byte TOK_ID (RFC 4121 §4.1: 01 00 AP-REQ, 02 00 AP-REP, 03 00 KRB-ERROR),
// and the authenticator checksum of type 0x8003 that carries the context flags (RFC 4121 §4.1.1).
import { createHash } from 'node:crypto';
import { concatBytes, readU32le, u32le } from '../bytes.ts';
import { decodeOid, DerError, encodeOid, readTlv, TAG, tlv } from '../der.ts';
import { OID_KERBEROS, OID_MS_KERBEROS } from '../spnego.ts';
import { KerberosError } from './errors.ts';

export const TOK_AP_REQ = 0x0100;
export const TOK_AP_REP = 0x0200;
export const TOK_KRB_ERROR = 0x0300;

// GSS context flags (RFC 2744 §5.19, as carried in the 0x8003 checksum).
export const GSS_FLAG = { DELEG: 1, MUTUAL: 2, REPLAY: 4, SEQUENCE: 8, CONF: 16, INTEG: 32 } as const;
export const CKSUMTYPE_GSSAPI = 0x8003;

export function frameGssToken(tokId: number, message: Uint8Array, oid = OID_KERBEROS): Uint8Array {
  return tlv(TAG.APPLICATION_0, encodeOid(oid), new Uint8Array([tokId >>> 8, tokId & 0xff]), message);
}

/** Splits a krb5 GSS token into TOK_ID and the Kerberos message. Both krb5 OIDs are accepted. */
export function unframeGssToken(token: Uint8Array): { oid: string; tokId: number; message: Uint8Array } {
  try {
    const outer = readTlv(token, 0);
    if (outer.tag !== TAG.APPLICATION_0) throw new KerberosError('malformed', 'not a GSS-API initial context token (no [APPLICATION 0])');
    if (outer.end !== token.length) throw new KerberosError('malformed', 'GSS token: trailing bytes');
    const mech = readTlv(outer.value, 0);
    if (mech.tag !== TAG.OID) throw new KerberosError('malformed', 'GSS token without a mechanism OID');
    const oid = decodeOid(mech.value);
    if (oid !== OID_KERBEROS && oid !== OID_MS_KERBEROS) throw new KerberosError('malformed', `GSS token for mechanism ${oid}, not Kerberos`);
    const rest = outer.value.subarray(mech.end);
    if (rest.length < 2) throw new KerberosError('malformed', 'GSS token cut before TOK_ID');
    return { oid, tokId: (rest[0] << 8) | rest[1], message: rest.slice(2) };
  } catch (e) {
    if (e instanceof DerError) throw new KerberosError('malformed', `GSS token: ${e.message}`);
    throw e;
  }
}

/**
 * The channel-binding hash Bnd: MD5 of the gss_channel_bindings_struct (RFC 4121 §4.1.1.2) with
 * no addresses and the given application data (e.g. "tls-server-end-point:" + certificate hash),
 * or 16 zero bytes without bindings.
 */
export function channelBindingHash(applicationData?: Uint8Array): Uint8Array {
  if (!applicationData) return new Uint8Array(16);
  const s = concatBytes(u32le(0), u32le(0), u32le(0), u32le(0), u32le(applicationData.length), applicationData);
  return new Uint8Array(createHash('md5').update(s).digest());
}

/** The 0x8003 checksum value: Lgth(16) | Bnd | Flags, little-endian (RFC 4121 §4.1.1). */
export function encodeGssChecksum(flags: number, bindings?: Uint8Array): Uint8Array {
  return concatBytes(u32le(16), channelBindingHash(bindings), u32le(flags));
}

export function decodeGssChecksum(v: Uint8Array): { bnd: Uint8Array; flags: number } {
  if (v.length < 24) throw new KerberosError('malformed', `0x8003 checksum of ${v.length} bytes (at least 24)`);
  if (readU32le(v, 0) !== 16) throw new KerberosError('malformed', '0x8003 checksum: Lgth is not 16');
  return { bnd: v.slice(4, 20), flags: readU32le(v, 20) };
}

/** True when the token is a GSS initial context token for a Kerberos OID. */
export function looksLikeKrb5Token(token: Uint8Array): boolean {
  try {
    unframeGssToken(token);
    return true;
  } catch {
    return false;
  }
}
