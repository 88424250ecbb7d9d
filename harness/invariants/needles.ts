// What a secret looks like on the wire, and where it shows up. A password can travel as UTF-8,
// as UTF-16LE (NTLM, CredSSP), inside Basic's base64 (RFC 7617), and as its NT hash
// (MS-NLMP §3.3.1: MD4 of the UTF-16LE password) in hex or raw.

import { md4 } from '../auth/crypto/md4.ts';
import type { Secret } from './types.ts';

export interface Needle {
  /** What was found, in words that name no secret value: "alice's password (UTF-16LE)". */
  what: string;
  bytes: Buffer;
}

export function ntHash(password: string): Buffer {
  return Buffer.from(md4(Buffer.from(password, 'utf16le')));
}

/**
 * Base64 characters that encode `text` whatever its alignment inside a longer base64 run:
 * for each of the three offsets, the 4-character groups made only of the text's bytes.
 */
function base64Cores(text: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let off = 0; off < 3; off++) {
    const padded = Buffer.concat([Buffer.alloc(off), text]);
    const b64 = padded.toString('base64');
    const firstGroup = Math.ceil(off / 3);
    const lastGroup = Math.floor(padded.length / 3) - 1; // last group made of 3 real bytes
    if (lastGroup < firstGroup) continue;
    const core = b64.slice(firstGroup * 4, (lastGroup + 1) * 4);
    if (core.length >= 8) out.push(Buffer.from(core, 'latin1'));
  }
  return out;
}

export function secretNeedles(s: Secret): Needle[] {
  const who = s.label;
  const utf8 = Buffer.from(s.password, 'utf8');
  const h = ntHash(s.password);
  const needles: Needle[] = [
    { what: `${who} (UTF-8)`, bytes: utf8 },
    { what: `${who} (UTF-16LE)`, bytes: Buffer.from(s.password, 'utf16le') },
    { what: `NT hash of ${who} (hex)`, bytes: Buffer.from(h.toString('hex'), 'latin1') },
    { what: `NT hash of ${who} (HEX)`, bytes: Buffer.from(h.toString('hex').toUpperCase(), 'latin1') },
    { what: `NT hash of ${who} (raw)`, bytes: h },
  ];
  for (const core of base64Cores(utf8)) needles.push({ what: `${who} (base64, e.g. Basic credentials)`, bytes: core });
  if (s.user) {
    const basic = Buffer.from(Buffer.from(`${s.user}:${s.password}`, 'utf8').toString('base64'), 'latin1');
    needles.push({ what: `${who} (Basic credentials ${s.user}:…)`, bytes: basic });
  }
  return needles;
}

export interface Finding {
  what: string;
  /** Offset in the scanned buffer. */
  at: number;
}

export function findNeedles(hay: Uint8Array, needles: readonly Needle[]): Finding[] {
  if (hay.length === 0) return [];
  const buf = Buffer.isBuffer(hay) ? hay : Buffer.from(hay.buffer, hay.byteOffset, hay.length);
  const out: Finding[] = [];
  for (const n of needles) {
    const at = buf.indexOf(n.bytes);
    if (at >= 0) out.push({ what: n.what, at });
  }
  return out;
}

/** Plaintext SOAP envelope openings (WS-Man over HTTP, MS-WSMV §2.2.1). */
export const SOAP_MARKERS: readonly Needle[] = [
  { what: 'plaintext SOAP (<s:Envelope)', bytes: Buffer.from('<s:Envelope', 'latin1') },
  { what: 'plaintext SOAP (<env:Envelope)', bytes: Buffer.from('<env:Envelope', 'latin1') },
];
