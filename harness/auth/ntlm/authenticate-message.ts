// AUTHENTICATE_MESSAGE (Type 3), MS-NLMP §2.2.1.3. Version (8 bytes) always occupies 64..72;
// the MIC, when sent, occupies 72..88 and the payload starts at 88.
import { concatBytes, readU32le, u32le } from '../bytes.ts';
import { NtlmError } from './errors.ts';
import { hasFlag, NegotiateFlags } from './flags.ts';
import {
  bufferOffset,
  decodeString,
  decodeVersion,
  encodeString,
  encodeVersion,
  expectHeader,
  layoutBuffers,
  MessageType,
  NTLMSSP_SIGNATURE,
  readBuffer,
  type NtlmVersion,
} from './fields.ts';

export interface AuthenticateMessage {
  flags: number;
  lmChallengeResponse: Uint8Array;
  ntChallengeResponse: Uint8Array;
  domain: string;
  user: string;
  workstation: string;
  encryptedRandomSessionKey: Uint8Array;
  version?: NtlmVersion;
  /** 16 bytes when the message carries a MIC (§2.2.1.3, MsvAvFlags MIC_PROVIDED). */
  mic?: Uint8Array;
}

export const MIC_OFFSET = 72;
const HEADER_NO_MIC = 72;
const HEADER_WITH_MIC = 88;
// Field positions: Lm 12, Nt 20, Domain 28, User 36, Workstation 44, EncryptedRandomSessionKey 52.
const FIELD_AT = [12, 20, 28, 36, 44, 52] as const;

export function encodeAuthenticate(m: AuthenticateMessage): Uint8Array {
  const flags = m.flags >>> 0;
  if (m.mic && m.mic.length !== 16) throw new NtlmError('malformed', 'MIC must be 16 bytes');
  const header = m.mic ? HEADER_WITH_MIC : HEADER_NO_MIC;
  // Payload order as Windows and ntlm-auth lay it out: domain, user, workstation, LM, NT, key.
  const bufs = [
    encodeString(m.domain, flags),
    encodeString(m.user, flags),
    encodeString(m.workstation, flags),
    m.lmChallengeResponse,
    m.ntChallengeResponse,
    m.encryptedRandomSessionKey,
  ];
  const { fields, payload } = layoutBuffers(header, bufs);
  const [domainF, userF, wsF, lmF, ntF, keyF] = fields;
  const version = hasFlag(flags, NegotiateFlags.NEGOTIATE_VERSION) ? encodeVersion(m.version) : new Uint8Array(8);
  return concatBytes(
    NTLMSSP_SIGNATURE,
    u32le(MessageType.AUTHENTICATE),
    lmF,
    ntF,
    domainF,
    userF,
    wsF,
    keyF,
    u32le(flags),
    version,
    m.mic ?? new Uint8Array(0),
    ...payload,
  );
}

export interface DecodedAuthenticate extends AuthenticateMessage {
  /** Where the payload starts: >= 88 means the 16 bytes at 72 may be a MIC. */
  payloadStart: number;
}

export function decodeAuthenticate(b: Uint8Array): DecodedAuthenticate {
  expectHeader(b, MessageType.AUTHENTICATE, 64);
  const flags = readU32le(b, 60);
  const [lm, nt, domain, user, ws, key] = FIELD_AT.map((at, i) =>
    readBuffer(b, at, ['LmChallengeResponse', 'NtChallengeResponse', 'DomainName', 'UserName', 'Workstation', 'EncryptedRandomSessionKey'][i]),
  );
  const used = FIELD_AT.map((at) => bufferOffset(b, at)).filter((f) => f.len > 0);
  const payloadStart = Math.min(b.length, ...used.map((f) => f.off));
  if (payloadStart < 64) throw new NtlmError('malformed', 'AUTHENTICATE payload overlaps the header');
  const m: DecodedAuthenticate = {
    flags,
    lmChallengeResponse: lm,
    ntChallengeResponse: nt,
    domain: decodeString(domain, flags),
    user: decodeString(user, flags),
    workstation: decodeString(ws, flags),
    encryptedRandomSessionKey: key,
    payloadStart,
  };
  if (payloadStart >= 72 && hasFlag(flags, NegotiateFlags.NEGOTIATE_VERSION)) m.version = decodeVersion(b, 64);
  if (payloadStart >= HEADER_WITH_MIC) m.mic = b.slice(MIC_OFFSET, MIC_OFFSET + 16);
  return m;
}

/** The message with its MIC field zeroed: the input of the MIC computation (§3.1.5.1.2). */
export function zeroMic(b: Uint8Array): Uint8Array {
  const copy = b.slice();
  copy.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
  return copy;
}
