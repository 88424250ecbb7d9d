// HTTP Negotiate tokens (RFC 4559) carrying NTLM: either a raw NTLMSSP message (what
// requests-ntlm and many clients send) or SPNEGO (RFC 4178 §4.2) NegTokenInit/NegTokenResp.
// The server answers in the style the client used.
import { context, decodeOid, DerError, encodeOid, expectTag, readAll, readTlv, TAG, tlv } from './der.ts';
import { isNtlmssp } from './ntlm/fields.ts';

export const OID_SPNEGO = '1.3.6.1.5.5.2';
export const OID_NTLMSSP = '1.3.6.1.4.1.311.2.2.10';
export const OID_KERBEROS = '1.2.840.113554.1.2.2';
export const OID_MS_KERBEROS = '1.2.840.48018.1.2.2';

export type NegState = 'accept-completed' | 'accept-incomplete' | 'reject' | 'request-mic';
const NEG_STATES: NegState[] = ['accept-completed', 'accept-incomplete', 'reject', 'request-mic'];

export type SpnegoErrorCode = 'malformed' | 'not-negotiate-token' | 'no-ntlm';

export class SpnegoError extends Error {
  override readonly name = 'SpnegoError';
  constructor(
    readonly code: SpnegoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type NegotiateToken =
  | { kind: 'raw-ntlm'; ntlm: Uint8Array }
  | { kind: 'neg-token-init'; mechTypes: string[]; mechToken?: Uint8Array; mechListMIC?: Uint8Array }
  | { kind: 'neg-token-resp'; negState?: NegState; supportedMech?: string; responseToken?: Uint8Array; mechListMIC?: Uint8Array };

export type TokenStyle = 'raw' | 'spnego';

/** Classifies and decodes a Negotiate token. Throws SpnegoError on anything else. */
export function parseNegotiateToken(b: Uint8Array): NegotiateToken {
  if (isNtlmssp(b)) return { kind: 'raw-ntlm', ntlm: b.slice() };
  try {
    if (b[0] === TAG.APPLICATION_0) return parseInit(b);
    if (b[0] === context(1)) return parseResp(b);
  } catch (e) {
    if (e instanceof DerError) throw new SpnegoError('malformed', e.message);
    throw e;
  }
  throw new SpnegoError('not-negotiate-token', 'neither NTLMSSP nor SPNEGO');
}

// InitialContextToken ::= [APPLICATION 0] IMPLICIT SEQUENCE { thisMech OID, innerToken [0] NegTokenInit }
function parseInit(b: Uint8Array): NegotiateToken {
  const outer = readTlv(b, 0);
  if (outer.end !== b.length) throw new DerError('trailing bytes after the token');
  const [mech, inner] = readAll(outer.value);
  if (!mech || !inner) throw new DerError('InitialContextToken incomplete');
  if (decodeOid(expectTag(mech, TAG.OID, 'thisMech')) !== OID_SPNEGO) throw new SpnegoError('not-negotiate-token', 'GSS token for a mechanism other than SPNEGO');
  const seq = readAll(expectTag(readAll(expectTag(inner, context(0), 'negTokenInit'))[0] ?? fail('empty negTokenInit'), TAG.SEQUENCE, 'NegTokenInit'));
  const tok: NegotiateToken & { kind: 'neg-token-init' } = { kind: 'neg-token-init', mechTypes: [] };
  for (const f of seq) {
    const [v] = readAll(f.value);
    if (!v) throw new DerError('empty NegTokenInit field');
    if (f.tag === context(0)) tok.mechTypes = readAll(expectTag(v, TAG.SEQUENCE, 'MechTypeList')).map((o) => decodeOid(expectTag(o, TAG.OID, 'MechType')));
    else if (f.tag === context(2)) tok.mechToken = expectTag(v, TAG.OCTET_STRING, 'mechToken').slice();
    else if (f.tag === context(3)) tok.mechListMIC = expectTag(v, TAG.OCTET_STRING, 'mechListMIC').slice();
    // [1] reqFlags is ignored (RFC 4178 §4.2.1: SHOULD be omitted, ignored by acceptors).
  }
  return tok;
}

// NegotiationToken ::= CHOICE { negTokenResp [1] NegTokenResp }
function parseResp(b: Uint8Array): NegotiateToken {
  const outer = readTlv(b, 0);
  if (outer.end !== b.length) throw new DerError('trailing bytes after the token');
  const seq = readAll(expectTag(readAll(outer.value)[0] ?? fail('empty negTokenResp'), TAG.SEQUENCE, 'NegTokenResp'));
  const tok: NegotiateToken & { kind: 'neg-token-resp' } = { kind: 'neg-token-resp' };
  for (const f of seq) {
    const [v] = readAll(f.value);
    if (!v) throw new DerError('empty NegTokenResp field');
    if (f.tag === context(0)) {
      const e = expectTag(v, TAG.ENUMERATED, 'negState');
      const s = NEG_STATES[e.length === 1 ? e[0] : -1];
      if (!s) throw new DerError('unknown negState');
      tok.negState = s;
    } else if (f.tag === context(1)) tok.supportedMech = decodeOid(expectTag(v, TAG.OID, 'supportedMech'));
    else if (f.tag === context(2)) tok.responseToken = expectTag(v, TAG.OCTET_STRING, 'responseToken').slice();
    else if (f.tag === context(3)) tok.mechListMIC = expectTag(v, TAG.OCTET_STRING, 'mechListMIC').slice();
  }
  return tok;
}

function fail(msg: string): never {
  throw new DerError(msg);
}

/**
 * The NTLM message inside a token, and the style to answer in. A NegTokenInit whose optimistic
 * mechToken is for another mechanism but lists NTLM yields `ntlm: undefined`: the acceptor
 * answers accept-incomplete with supportedMech NTLMSSP and no token (RFC 4178 §3.2 step 3).
 */
export function extractNtlm(tok: NegotiateToken): { style: TokenStyle; ntlm: Uint8Array | undefined } {
  switch (tok.kind) {
    case 'raw-ntlm':
      return { style: 'raw', ntlm: tok.ntlm };
    case 'neg-token-init': {
      if (!tok.mechTypes.includes(OID_NTLMSSP)) throw new SpnegoError('no-ntlm', 'the client offers no NTLMSSP mechanism');
      const optimistic = tok.mechTypes[0] === OID_NTLMSSP ? tok.mechToken : undefined;
      if (optimistic && !isNtlmssp(optimistic)) throw new SpnegoError('malformed', 'mechToken is not an NTLMSSP message');
      return { style: 'spnego', ntlm: optimistic };
    }
    case 'neg-token-resp': {
      if (tok.supportedMech && tok.supportedMech !== OID_NTLMSSP) throw new SpnegoError('no-ntlm', 'the token is for another mechanism');
      if (tok.responseToken && !isNtlmssp(tok.responseToken)) throw new SpnegoError('malformed', 'responseToken is not an NTLMSSP message');
      return { style: 'spnego', ntlm: tok.responseToken };
    }
  }
}

export function buildNegTokenInit(mechTypes: string[], mechToken?: Uint8Array): Uint8Array {
  const fields = [tlv(context(0), tlv(TAG.SEQUENCE, ...mechTypes.map(encodeOid)))];
  if (mechToken) fields.push(tlv(context(2), tlv(TAG.OCTET_STRING, mechToken)));
  return tlv(TAG.APPLICATION_0, encodeOid(OID_SPNEGO), tlv(context(0), tlv(TAG.SEQUENCE, ...fields)));
}

export function buildNegTokenResp(opts: { negState?: NegState; supportedMech?: string; responseToken?: Uint8Array; mechListMIC?: Uint8Array }): Uint8Array {
  const fields: Uint8Array[] = [];
  if (opts.negState) fields.push(tlv(context(0), tlv(TAG.ENUMERATED, new Uint8Array([NEG_STATES.indexOf(opts.negState)]))));
  if (opts.supportedMech) fields.push(tlv(context(1), encodeOid(opts.supportedMech)));
  if (opts.responseToken) fields.push(tlv(context(2), tlv(TAG.OCTET_STRING, opts.responseToken)));
  if (opts.mechListMIC) fields.push(tlv(context(3), tlv(TAG.OCTET_STRING, opts.mechListMIC)));
  return tlv(context(1), tlv(TAG.SEQUENCE, ...fields));
}

/**
 * Wraps the acceptor's answer in the client's style: raw NTLMSSP stays raw; SPNEGO gets a
 * NegTokenResp (supportedMech NTLMSSP on the first reply, as RFC 4178 §4.2.2 requires).
 */
export function wrapAcceptorToken(style: TokenStyle, ntlm: Uint8Array | undefined, negState: NegState, firstReply: boolean): Uint8Array {
  if (style === 'raw') {
    if (!ntlm) throw new SpnegoError('malformed', 'a raw NTLM answer needs an NTLM message');
    return ntlm;
  }
  return buildNegTokenResp({ negState, supportedMech: firstReply ? OID_NTLMSSP : undefined, responseToken: ntlm });
}

/** The initiator's wrapping: Type 1 in a NegTokenInit, Type 3 in a NegTokenResp (or raw). */
export function wrapInitiatorToken(style: TokenStyle, ntlm: Uint8Array, first: boolean): Uint8Array {
  if (style === 'raw') return ntlm;
  return first ? buildNegTokenInit([OID_NTLMSSP], ntlm) : buildNegTokenResp({ responseToken: ntlm });
}
