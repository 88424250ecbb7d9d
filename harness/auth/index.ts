// HTTP authentication building blocks, public API.
export type { RandomSource } from './random.ts';
export { md4 } from './crypto/md4.ts';
export { Rc4 } from './crypto/rc4.ts';
export { md5, hmacMd5 } from './crypto/hash.ts';

export { NegotiateFlags, DEFAULT_CLIENT_FLAGS, describeFlags, hasFlag, type NegotiateFlagName } from './ntlm/flags.ts';
export { NtlmError, type NtlmErrorCode } from './ntlm/errors.ts';
export { AvId, AvFlags, encodeAvPairs, decodeAvPairs, type AvPair } from './ntlm/av-pairs.ts';
export { isNtlmssp, MessageType, type NtlmVersion } from './ntlm/fields.ts';
export { encodeNegotiate, decodeNegotiate, type NegotiateMessage } from './ntlm/negotiate-message.ts';
export { encodeChallenge, decodeChallenge, type ChallengeMessage } from './ntlm/challenge-message.ts';
export { encodeAuthenticate, decodeAuthenticate, type AuthenticateMessage } from './ntlm/authenticate-message.ts';
export { ntHash, ntowfv2, ntProofStr, sessionBaseKey, keyExchangeKey } from './ntlm/ntlmv2.ts';
export { deriveSessionKeys, type SessionKeys } from './ntlm/keys.ts';
export { NtlmSession, SecurityError, type NtlmRole, type SecurityErrorCode } from './ntlm/session.ts';
export { NtlmServer, type NtlmServerOptions, type NtlmAcceptResult, type NtlmRejectReason } from './ntlm/server.ts';
export { NtlmClient, type NtlmClientOptions } from './ntlm/client.ts';
export { userDb, type UserDb } from './ntlm/user-db.ts';

export {
  parseNegotiateToken,
  extractNtlm,
  wrapAcceptorToken,
  wrapInitiatorToken,
  buildNegTokenInit,
  buildNegTokenResp,
  SpnegoError,
  OID_NTLMSSP,
  OID_SPNEGO,
  OID_KERBEROS,
  type NegotiateToken,
  type NegState,
  type TokenStyle,
} from './spnego.ts';
export { parseBasic, basicHeader, type BasicCredentials } from './basic.ts';
export { parseAuthorization, parseChallenges, formatChallenge, formatCredentials, canonicalScheme, sameScheme, type AuthValue } from './challenge.ts';
export { ProxyAuthenticator, proxyAuthorizationFor, type ProxyCheck } from './proxy-auth.ts';
