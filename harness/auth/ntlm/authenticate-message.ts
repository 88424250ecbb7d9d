// AUTHENTICATE_MESSAGE (Type 3), MS-NLMP §2.2.1.3. Version (8 bytes) always occupies 64..72;
// the MIC, when sent, occupies 72..88 and the payload starts at 88.
import { readU16le, readU32le, writeU32le } from '../bytes.ts';
import { allocBytes } from '../../wire/bytes.ts';
import { NtlmError } from './errors.ts';
import { hasFlag, NegotiateFlags } from './flags.ts';
import {
  decodeString,
  decodeVersion,
  encodeString,
  expectHeader,
  MessageType,
  payloadLength,
  readBuffer,
  writeHeader,
  writePayloads,
  writeVersion,
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
const FIELD_NAME = ['LmChallengeResponse', 'NtChallengeResponse', 'DomainName', 'UserName', 'Workstation', 'EncryptedRandomSessionKey'] as const;
// Payload order as Windows and ntlm-auth lay it out: domain, user, workstation, LM, NT, key.
const PAYLOAD_FIELD_AT = [28, 36, 44, 12, 20, 52] as const;

/** With a MIC, its field is written as given (zeros while the MIC is computed: §3.1.5.1.2). */
export function encodeAuthenticate(m: AuthenticateMessage): Uint8Array {
  const flags = m.flags >>> 0;
  if (m.mic && m.mic.length !== 16) throw new NtlmError('malformed', 'MIC must be 16 bytes');
  const header = m.mic ? HEADER_WITH_MIC : HEADER_NO_MIC;
  const payload = [
    encodeString(m.domain, flags),
    encodeString(m.user, flags),
    encodeString(m.workstation, flags),
    m.lmChallengeResponse,
    m.ntChallengeResponse,
    m.encryptedRandomSessionKey,
  ];
  const out = allocBytes(header + payloadLength(payload));
  writeHeader(out, MessageType.AUTHENTICATE);
  writePayloads(out, header, PAYLOAD_FIELD_AT, payload);
  writeU32le(out, 60, flags);
  if (hasFlag(flags, NegotiateFlags.NEGOTIATE_VERSION)) writeVersion(out, 64, m.version);
  if (m.mic) out.set(m.mic, MIC_OFFSET);
  return out;
}

export interface DecodedAuthenticate extends AuthenticateMessage {
  /** Where the payload starts: >= 88 means the 16 bytes at 72 may be a MIC. */
  payloadStart: number;
}

export function decodeAuthenticate(b: Uint8Array): DecodedAuthenticate {
  expectHeader(b, MessageType.AUTHENTICATE, 64);
  const flags = readU32le(b, 60);
  const [lm, nt, domain, user, ws, key] = FIELD_AT.map((at, i) => readBuffer(b, at, FIELD_NAME[i]));
  // The payload starts at the lowest offset of a non-empty field (or the end).
  let payloadStart = b.length;
  for (const at of FIELD_AT) if (readU16le(b, at) > 0) payloadStart = Math.min(payloadStart, readU32le(b, at + 4));
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
