// The Kerberos V5 structures the harness uses (RFC 4120 §5), as plain data. Times are
// milliseconds since the epoch (KerberosTime has whole seconds; microseconds travel apart).
import type { EncryptionKey } from './crypto/enctype.ts';

export type { EncryptionKey };

export const NT_PRINCIPAL = 1; // RFC 4120 §6.2
export const NT_SRV_INST = 2;
export const NT_SRV_HST = 3;

export interface PrincipalName {
  nameType: number;
  nameString: string[];
}

export interface EncryptedData {
  etype: number;
  kvno?: number;
  cipher: Uint8Array;
}

export interface Checksum {
  cksumtype: number;
  checksum: Uint8Array;
}

export interface PaData {
  type: number;
  value: Uint8Array;
}

export interface Ticket {
  realm: string;
  sname: PrincipalName;
  encPart: EncryptedData;
}

export interface EncTicketPart {
  flags: number;
  key: EncryptionKey;
  crealm: string;
  cname: PrincipalName;
  transited: { trType: number; contents: Uint8Array };
  authtime: number;
  starttime?: number;
  endtime: number;
  renewTill?: number;
}

export interface KdcReqBody {
  kdcOptions: number;
  cname?: PrincipalName;
  realm: string;
  sname?: PrincipalName;
  till: number;
  nonce: number;
  etypes: number[];
}

export interface KdcReq {
  msgType: 10 | 12; // AS-REQ, TGS-REQ
  padata: PaData[];
  body: KdcReqBody;
  /** The DER of req-body as sent (the TGS authenticator checksum covers these bytes). */
  bodyBytes?: Uint8Array;
}

export interface KdcRep {
  msgType: 11 | 13; // AS-REP, TGS-REP
  padata: PaData[];
  crealm: string;
  cname: PrincipalName;
  ticket: Ticket;
  ticketBytes: Uint8Array;
  encPart: EncryptedData;
}

export interface EncKdcRepPart {
  key: EncryptionKey;
  nonce: number;
  flags: number;
  authtime: number;
  starttime?: number;
  endtime: number;
  renewTill?: number;
  srealm: string;
  sname: PrincipalName;
}

export interface KrbError {
  errorCode: number;
  stime: number;
  susec: number;
  realm: string;
  sname: PrincipalName;
  crealm?: string;
  cname?: PrincipalName;
  eText?: string;
  eData?: Uint8Array;
}

export interface ApReq {
  apOptions: number;
  ticket: Ticket;
  ticketBytes: Uint8Array;
  authenticator: EncryptedData;
}

export interface Authenticator {
  crealm: string;
  cname: PrincipalName;
  cksum?: Checksum;
  cusec: number;
  ctime: number;
  subkey?: EncryptionKey;
  seqNumber?: number;
}

export interface EncApRepPart {
  ctime: number;
  cusec: number;
  subkey?: EncryptionKey;
  seqNumber?: number;
}

export interface EtypeInfo2Entry {
  etype: number;
  salt?: string;
  s2kparams?: Uint8Array;
}

// Message types (RFC 4120 §5.10 and the APPLICATION tags).
export const MSG = { AS_REQ: 10, AS_REP: 11, TGS_REQ: 12, TGS_REP: 13, AP_REQ: 14, AP_REP: 15, KRB_ERROR: 30 } as const;

// PA-DATA types (RFC 4120 §7.5.2, RFC 6113).
export const PA = { TGS_REQ: 1, ENC_TIMESTAMP: 2, ETYPE_INFO2: 19, FX_COOKIE: 133, FX_FAST: 136 } as const;

// Key usage numbers (RFC 4120 §7.5.1, RFC 4121 §2).
export const USAGE = {
  AS_REQ_PA_ENC_TIMESTAMP: 1,
  TICKET: 2,
  AS_REP_ENC_PART: 3,
  TGS_REQ_AUTH_CKSUM: 6,
  TGS_REQ_AUTHENTICATOR: 7,
  TGS_REP_ENC_PART_SESSION: 8,
  TGS_REP_ENC_PART_SUBKEY: 9,
  AP_REQ_AUTHENTICATOR: 11,
  AP_REP_ENC_PART: 12,
  GSS_ACCEPTOR_SEAL: 22,
  GSS_ACCEPTOR_SIGN: 23,
  GSS_INITIATOR_SEAL: 24,
  GSS_INITIATOR_SIGN: 25,
} as const;

// Error codes (RFC 4120 §7.5.9) the harness names.
export const KRB_ERR = {
  KDC_ERR_C_PRINCIPAL_UNKNOWN: 6,
  KDC_ERR_S_PRINCIPAL_UNKNOWN: 7,
  KDC_ERR_ETYPE_NOSUPP: 14,
  KDC_ERR_PREAUTH_FAILED: 24,
  KDC_ERR_PREAUTH_REQUIRED: 25,
  KRB_AP_ERR_BAD_INTEGRITY: 31,
  KRB_AP_ERR_TKT_EXPIRED: 32,
  KRB_AP_ERR_TKT_NYV: 33,
  KRB_AP_ERR_REPEAT: 34,
  KRB_AP_ERR_NOT_US: 35,
  KRB_AP_ERR_BADMATCH: 36,
  KRB_AP_ERR_SKEW: 37,
  KRB_AP_ERR_MODIFIED: 41,
  KRB_AP_ERR_BADKEYVER: 44,
  KRB_AP_ERR_NOKEY: 45,
  KRB_ERR_GENERIC: 60,
} as const;

// KDCOptions / TicketFlags / APOptions bits (RFC 4120 §5.4.1, §5.3, §5.5.1): bit 0 is the MSB.
export const KDC_OPT = { FORWARDABLE: 1, RENEWABLE: 8, CANONICALIZE: 15, RENEWABLE_OK: 27 } as const;
export const TKT_FLAG = { FORWARDABLE: 1, RENEWABLE: 8, INITIAL: 9, PRE_AUTHENT: 10 } as const;
export const AP_OPT = { USE_SESSION_KEY: 1, MUTUAL_REQUIRED: 2 } as const;

/** "HTTP/localhost" → NT-SRV-HST name; "user" → NT-PRINCIPAL. Realm is separate. */
export function parsePrincipal(name: string, nameType?: number): PrincipalName {
  const parts = name.split('/');
  return { nameType: nameType ?? (parts.length > 1 ? NT_SRV_INST : NT_PRINCIPAL), nameString: parts };
}

export function principalText(p: PrincipalName, realm?: string): string {
  return p.nameString.join('/') + (realm ? `@${realm}` : '');
}

/** Splits "user@REALM" (the last unescaped @) into name and realm. */
export function splitRealm(principal: string, defaultRealm?: string): { name: string; realm: string } {
  const at = principal.lastIndexOf('@');
  if (at < 0) {
    if (!defaultRealm) throw new Error(`principal ${principal} has no realm`);
    return { name: principal, realm: defaultRealm };
  }
  return { name: principal.slice(0, at), realm: principal.slice(at + 1) };
}
