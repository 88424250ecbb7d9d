// Kerberos V5 for the WinRM harness (RFC 4120, RFC 3961/3962, RFC 4121), public API.
export { KerberosClient, DEFAULT_GSS_FLAGS, type KerberosClientOptions } from './client.ts';
export { KerberosAcceptor, DEFAULT_SKEW_MS, type AcceptResult, type AcceptFailure, type KerberosAcceptorOptions } from './acceptor.ts';
export { KerberosSession, WINRM_RRC, type WrapOptions } from './session.ts';
export { createSimKdc, type SimKdc, type SimKdcOptions } from './sim-kdc.ts';
export { tcpKdcSend, frameKdcMessage, type KdcSend, type KdcAddress } from './kdc-transport.ts';
export { parseKeytab, buildKeytab, type KeytabEntry } from './keytab.ts';
export { looksLikeKrb5Token, GSS_FLAG } from './gss-token.ts';
export { KerberosError, type KerberosErrorCode } from './errors.ts';
export { stringToKey, ETYPE_AES128, ETYPE_AES256, type EncryptionKey } from './crypto/enctype.ts';
export { negotiateMechanism, type NegotiateMechanism } from './negotiate.ts';
