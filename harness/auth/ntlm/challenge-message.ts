// CHALLENGE_MESSAGE (Type 2), MS-NLMP §2.2.1.2.
import { readU32le, writeU32le } from '../bytes.ts';
import { allocBytes } from '../../wire/bytes.ts';
import { decodeAvPairs, encodeAvPairs, type AvPair } from './av-pairs.ts';
import { NtlmError } from './errors.ts';
import { hasFlag, NegotiateFlags } from './flags.ts';
import {
  bufferOffset,
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

export interface ChallengeMessage {
  flags: number;
  serverChallenge: Uint8Array; // 8 bytes
  targetName: string; // in the negotiated charset on the wire; '' for none
  targetInfo: AvPair[]; // present on the wire when NEGOTIATE_TARGET_INFO is set
  version?: NtlmVersion;
  /** Fields that pointed outside the message and were taken as absent (decode only). */
  ignored?: string[];
}

// signature 8, type 4, TargetNameFields 8, flags 4, ServerChallenge 8, Reserved 8,
// TargetInfoFields 8, Version 8
const HEADER = 56;

export function encodeChallenge(m: ChallengeMessage): Uint8Array {
  if (m.serverChallenge.length !== 8) throw new NtlmError('malformed', 'ServerChallenge must be 8 bytes');
  const flags = m.flags >>> 0;
  // Written whenever non-empty: Windows (and the §4.2.4.3 example) send it even without
  // REQUEST_TARGET.
  const targetName = encodeString(m.targetName, flags);
  const targetInfo = hasFlag(flags, NegotiateFlags.NEGOTIATE_TARGET_INFO) ? encodeAvPairs(m.targetInfo) : new Uint8Array(0);
  const payload = [targetName, targetInfo];
  const out = allocBytes(HEADER + payloadLength(payload));
  writeHeader(out, MessageType.CHALLENGE);
  writeU32le(out, 20, flags);
  out.set(m.serverChallenge, 24);
  // 32..40 Reserved (zero)
  writePayloads(out, HEADER, [12, 40], payload);
  if (hasFlag(flags, NegotiateFlags.NEGOTIATE_VERSION)) writeVersion(out, 48, m.version);
  return out;
}

export function decodeChallenge(b: Uint8Array): ChallengeMessage {
  // The minimal Type 2 is 32 bytes (up to ServerChallenge); TargetInfoFields follow at 40.
  expectHeader(b, MessageType.CHALLENGE, 32);
  const flags = readU32le(b, 20);
  const serverChallenge = b.slice(24, 32);
  // Squid's lib/ntlmauth (5.7: ntlm_fake_auth) sends a 40-byte Type 2 with no TargetInfoFields
  // although it echoes NEGOTIATE_TARGET_INFO, and a TargetName BufferOffset computed in units of
  // 12 bytes (garbage). Both fields are read leniently: an initiator never needs TargetName
  // (§3.1.5.1.2 computes the response from ServerChallenge and TargetInfo), and a TargetInfo
  // pointing outside the message is taken as absent; `ignored` names what was dropped.
  const ignored: string[] = [];
  let targetName = '';
  let firstPayload = b.length;
  const tn = bufferOffset(b, 12);
  if (tn.len > 0 && tn.off + tn.len > b.length) ignored.push('TargetName');
  else {
    targetName = decodeString(readBuffer(b, 12, 'TargetName'), flags);
    if (tn.len > 0) firstPayload = Math.min(firstPayload, tn.off);
  }
  let targetInfo: AvPair[] = [];
  if (hasFlag(flags, NegotiateFlags.NEGOTIATE_TARGET_INFO)) {
    const ti = b.length >= 48 ? bufferOffset(b, 40) : undefined;
    if (!ti || ti.off + ti.len > b.length) ignored.push('TargetInfo');
    else {
      targetInfo = decodeAvPairs(readBuffer(b, 40, 'TargetInfo'));
      if (ti.len > 0) firstPayload = Math.min(firstPayload, ti.off);
    }
  }
  const m: ChallengeMessage = { flags, serverChallenge, targetName, targetInfo, ...(ignored.length ? { ignored } : {}) };
  if (hasFlag(flags, NegotiateFlags.NEGOTIATE_VERSION) && b.length >= 56 && firstPayload >= 56) m.version = decodeVersion(b, 48);
  return m;
}
