// AV_PAIR list (TargetInfo), MS-NLMP §2.2.2.1. Values of the name pairs are always UTF-16LE,
// whatever charset was negotiated.
import { NtlmError } from './errors.ts';
import { fromUtf16le, readU16le, readU32le, readU64le, u32le, u64le, utf16le, writeU16le } from '../bytes.ts';
import { allocBytes } from '../../wire/bytes.ts';

export const AvId = {
  MsvAvEOL: 0x0000,
  MsvAvNbComputerName: 0x0001,
  MsvAvNbDomainName: 0x0002,
  MsvAvDnsComputerName: 0x0003,
  MsvAvDnsDomainName: 0x0004,
  MsvAvDnsTreeName: 0x0005,
  MsvAvFlags: 0x0006,
  MsvAvTimestamp: 0x0007,
  MsvAvSingleHost: 0x0008,
  MsvAvTargetName: 0x0009,
  MsvAvChannelBindings: 0x000a,
} as const;

/** MsvAvFlags bits, MS-NLMP §2.2.2.1. */
export const AvFlags = { CONSTRAINED: 0x1, MIC_PROVIDED: 0x2, UNTRUSTED_SPN: 0x4 } as const;

export interface AvPair {
  id: number;
  value: Uint8Array;
}

/** Encodes pairs (any MsvAvEOL given is dropped) and terminates with MsvAvEOL. */
export function encodeAvPairs(pairs: AvPair[]): Uint8Array {
  let n = 4;
  for (const p of pairs) if (p.id !== AvId.MsvAvEOL) n += 4 + p.value.length;
  const out = allocBytes(n); // zeroed: the MsvAvEOL pair (id 0, length 0) is already there
  let at = 0;
  for (const p of pairs) {
    if (p.id === AvId.MsvAvEOL) continue;
    writeU16le(out, at, p.id);
    writeU16le(out, at + 2, p.value.length);
    out.set(p.value, at + 4);
    at += 4 + p.value.length;
  }
  return out;
}

/** Decodes up to MsvAvEOL (which is required, §2.2.2.1: "MUST be the last"). */
export function decodeAvPairs(b: Uint8Array): AvPair[] {
  const out: AvPair[] = [];
  let o = 0;
  for (;;) {
    if (o + 4 > b.length) throw new NtlmError('malformed', 'AV_PAIR list truncated (no MsvAvEOL)');
    const id = readU16le(b, o);
    const len = readU16le(b, o + 2);
    if (o + 4 + len > b.length) throw new NtlmError('malformed', 'AV_PAIR value truncated');
    if (id === AvId.MsvAvEOL) return out;
    out.push({ id, value: b.slice(o + 4, o + 4 + len) });
    o += 4 + len;
  }
}

export function avString(id: number, s: string): AvPair {
  return { id, value: utf16le(s) };
}

export function avTimestamp(filetime: bigint): AvPair {
  return { id: AvId.MsvAvTimestamp, value: u64le(filetime) };
}

export function avFlags(flags: number): AvPair {
  return { id: AvId.MsvAvFlags, value: u32le(flags) };
}

export function findAv(pairs: AvPair[], id: number): Uint8Array | undefined {
  return pairs.find((p) => p.id === id)?.value;
}

export function findAvString(pairs: AvPair[], id: number): string | undefined {
  const v = findAv(pairs, id);
  return v === undefined ? undefined : fromUtf16le(v);
}

export function findAvTimestamp(pairs: AvPair[]): bigint | undefined {
  const v = findAv(pairs, AvId.MsvAvTimestamp);
  return v && v.length === 8 ? readU64le(v, 0) : undefined;
}

export function findAvFlags(pairs: AvPair[]): number | undefined {
  const v = findAv(pairs, AvId.MsvAvFlags);
  return v && v.length === 4 ? readU32le(v, 0) : undefined;
}
