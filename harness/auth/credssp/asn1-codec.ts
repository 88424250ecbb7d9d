// Strict DER decoding and encoding through @peculiar/asn1-schema (schemas) and asn1js (the BER
// parser underneath). The libraries parse BER — indefinite lengths, non-minimal lengths and
// INTEGERs — so a decode is accepted only when re-encoding the parsed value gives back the input
// byte for byte: CredSSP structures are DER (MS-CSSP §2.2.1 "encoded using DER"). Every failure
// surfaces as the project's DerError, the type callers already map to 'malformed'.
import { AsnParser, AsnSerializer } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import { DerError } from '../der.ts';

/** Bounds for a token read from the network: CredSSP nests four levels at most. */
const BER_LIMITS = { maxDepth: 16, maxNodes: 4096 } as const;

/** The outer value of `b` parsed as BER; DerError for garbage or trailing bytes. */
export function parseBer(b: Uint8Array, what: string): asn1js.AsnType {
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(b, BER_LIMITS);
  } catch (e) {
    throw new DerError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (parsed.offset === -1) throw new DerError(`${what}: ${parsed.result.error || 'not BER'}`);
  if (parsed.offset !== b.length) throw new DerError(`${what}: trailing bytes`);
  return parsed.result;
}

/** Decodes `b` into the schema class `T`, refusing anything but its one DER encoding. */
export function decodeDer<T>(b: Uint8Array, schema: new () => T, what: string, ber = parseBer(b, what)): T {
  let value: T;
  try {
    value = AsnParser.fromASN(ber, schema);
  } catch (e) {
    throw new DerError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let again: Uint8Array;
  try {
    again = encodeDer(value);
  } catch (e) {
    throw new DerError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!sameBytes(again, b)) throw new DerError(`${what}: not DER (a length, INTEGER or tag is not in its canonical form)`);
  return value;
}

export function encodeDer(value: unknown): Uint8Array {
  return new Uint8Array(AsnSerializer.serialize(value));
}

/** A view of the bytes as the ArrayBuffer the schema classes hold (copied: callers keep theirs). */
export const toBuffer = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;

function sameBytes(a: Uint8Array, b: Uint8Array) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
