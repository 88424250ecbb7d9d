// NEGOTIATE_MESSAGE (Type 1), MS-NLMP §2.2.1.1. Domain and workstation are always OEM here.
import { fromOem, oem, readU32le, writeU32le } from '../bytes.ts';
import { allocBytes } from '../../wire/bytes.ts';
import { hasFlag, NegotiateFlags } from './flags.ts';
import {
  bufferOffset,
  decodeVersion,
  expectHeader,
  MessageType,
  payloadLength,
  readBuffer,
  writeHeader,
  writePayloads,
  writeVersion,
  type NtlmVersion,
} from './fields.ts';

export interface NegotiateMessage {
  flags: number;
  domain?: string;
  workstation?: string;
  version?: NtlmVersion;
}

const HEADER = 40; // signature 8, type 4, flags 4, DomainNameFields 8, WorkstationFields 8, Version 8

export function encodeNegotiate(m: NegotiateMessage): Uint8Array {
  let flags = m.flags >>> 0;
  // §2.2.1.1: the *_SUPPLIED bits say whether the OEM domain/workstation are present.
  if (m.domain) flags |= NegotiateFlags.NEGOTIATE_OEM_DOMAIN_SUPPLIED;
  if (m.workstation) flags |= NegotiateFlags.NEGOTIATE_OEM_WORKSTATION_SUPPLIED;
  const payload = [oem(m.domain ?? ''), oem(m.workstation ?? '')];
  const out = allocBytes(HEADER + payloadLength(payload));
  writeHeader(out, MessageType.NEGOTIATE);
  writeU32le(out, 12, flags >>> 0);
  writePayloads(out, HEADER, [16, 24], payload);
  if (hasFlag(flags, NegotiateFlags.NEGOTIATE_VERSION)) writeVersion(out, 32, m.version);
  return out;
}

export function decodeNegotiate(b: Uint8Array): NegotiateMessage {
  // Old clients send only signature, type and flags (16 bytes); the fields are optional then.
  expectHeader(b, MessageType.NEGOTIATE, 16);
  const flags = readU32le(b, 12);
  const m: NegotiateMessage = { flags };
  if (b.length >= 32) {
    const domain = readBuffer(b, 16, 'DomainName');
    const workstation = readBuffer(b, 24, 'Workstation');
    if (domain.length) m.domain = fromOem(domain);
    if (workstation.length) m.workstation = fromOem(workstation);
    const firstPayload = Math.min(
      ...[bufferOffset(b, 16), bufferOffset(b, 24)].filter((f) => f.len > 0).map((f) => f.off),
      b.length,
    );
    if (hasFlag(flags, NegotiateFlags.NEGOTIATE_VERSION) && b.length >= 40 && firstPayload >= 40) m.version = decodeVersion(b, 32);
  }
  return m;
}
