// CredSSP (MS-CSSP) for WinRM over HTTP, public API. See README.md.
export { CredSspClient, type CredSspClientOptions, type ClientStep } from './client.ts';
export { CredSspServer, type CredSspServerOptions, type CredSspResult, type ServerStep } from './server.ts';
export { CredSspError, NtStatus, statusFor, type CredSspFailureReason } from './errors.ts';
export { CredSspTls } from './tls-channel.ts';
export type { TlsEngine, TlsEngineFactory, TlsCipher, TlsRole, TlsState } from './tls-engine.ts';
export { nodeTls, type NodeTlsOptions } from './node-tls.ts';
export { simTlsEngines, simSubjectPublicKey } from './sim-tls.ts';
export { encodeTsRequest, decodeTsRequest, CREDSSP_VERSION, NONCE_LENGTH, type TsRequest } from './ts-request.ts';
export {
  encodeTsCredentials,
  decodeTsCredentials,
  encodePasswordCreds,
  decodePasswordCreds,
  encodePasswordCredentials,
  CredType,
  type PasswordCreds,
  type TsCredentials,
} from './ts-credentials.ts';
export { clientPubKeyAuth, serverPubKeyAuth, subjectPublicKeyOf, subjectPublicKeyFromSpki } from './pub-key-auth.ts';
