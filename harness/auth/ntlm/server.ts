// The NTLM acceptor (MS-NLMP §3.2) for ONE connection: Type 1 → Type 2 → Type 3, NTLMv2 only.
import { bytesEqual } from '../bytes.ts';
import type { RandomSource } from '../random.ts';
import { AvFlags, AvId, avString, avTimestamp, decodeAvPairs, findAvFlags, type AvPair } from './av-pairs.ts';
import { decodeAuthenticate } from './authenticate-message.ts';
import { encodeChallenge } from './challenge-message.ts';
import { NtlmError } from './errors.ts';
import { WINDOWS_SERVER_2019 } from './fields.ts';
import { hasFlag, NegotiateFlags as F } from './flags.ts';
import { decodeNegotiate } from './negotiate-message.ts';
import { computeMic, decryptSessionKey, keyExchangeKey, ntProofStr, responseKeyNt, sessionBaseKey } from './ntlmv2.ts';
import { NtlmSession } from './session.ts';
import type { UserDb } from './user-db.ts';

export type NtlmRejectReason =
  | 'out-of-order' // no Type 2 issued yet, or this instance already finished
  | 'malformed' // not a decodable AUTHENTICATE_MESSAGE
  | 'anonymous' // empty responses (§3.2.5.1.2 anonymous): refused
  | 'ntlmv1' // a 24-byte NtChallengeResponse: NTLMv1 is refused
  | 'flags-mismatch' // Type 3 claims security flags the Type 2 did not offer
  | 'unknown-user'
  | 'wrong-response' // NTProofStr does not verify: wrong password, or an answer to another challenge
  | 'bad-mic'; // MsvAvFlags says a MIC is present and it does not verify

export type NtlmAcceptResult =
  | { ok: true; user: string; domain: string; session: NtlmSession }
  | { ok: false; reason: NtlmRejectReason; detail: string };

export interface NtlmServerOptions {
  users: UserDb;
  random: RandomSource;
  /** Windows FILETIME (100 ns since 1601-01-01) for MsvAvTimestamp. */
  nowFiletime: () => bigint;
  computerName?: string;
  /** NetBIOS domain; defaults to the computer name (a workgroup server). */
  domain?: string;
  /** DNS domain suffix for MsvAvDnsDomainName / MsvAvDnsComputerName. */
  dnsDomain?: string;
}

// Security-relevant bits a Type 3 may only keep, never add (§3.2.5.1.2).
const NEGOTIABLE =
  F.NEGOTIATE_56 | F.NEGOTIATE_128 | F.NEGOTIATE_KEY_EXCH | F.NEGOTIATE_SEAL | F.NEGOTIATE_SIGN | F.NEGOTIATE_EXTENDED_SESSIONSECURITY;

type State = 'initial' | 'challenged' | 'done';

export class NtlmServer {
  readonly computerName: string;
  readonly domain: string;
  #opts: NtlmServerOptions;
  #state: State = 'initial';
  #type1?: Uint8Array;
  #type2?: Uint8Array;
  #type2Flags = 0;
  #serverChallenge?: Uint8Array;

  constructor(opts: NtlmServerOptions) {
    this.#opts = opts;
    this.computerName = (opts.computerName ?? 'WINRM-SIM').toUpperCase();
    this.domain = (opts.domain ?? this.computerName).toUpperCase();
  }

  get state(): State {
    return this.#state;
  }

  /** Answers a NEGOTIATE_MESSAGE with this connection's CHALLENGE_MESSAGE. Throws NtlmError. */
  acceptNegotiate(type1: Uint8Array): Uint8Array {
    if (this.#state !== 'initial') throw new NtlmError('out-of-order', 'a NEGOTIATE_MESSAGE was already answered on this context');
    const n = decodeNegotiate(type1);
    const flags = this.#challengeFlags(n.flags);
    const challenge = this.#opts.random.bytes(8);
    if (challenge.length !== 8) throw new Error('RandomSource returned the wrong number of bytes');
    const dnsDomain = (this.#opts.dnsDomain ?? '').toLowerCase();
    const dnsComputer = this.computerName.toLowerCase() + (dnsDomain ? '.' + dnsDomain : '');
    // TargetInfo, §2.2.2.1: NetBIOS and DNS names, the server time (which makes NTLMv2 clients
    // send a MIC), then MsvAvEOL (added by the encoder).
    const targetInfo: AvPair[] = [
      avString(AvId.MsvAvNbDomainName, this.domain),
      avString(AvId.MsvAvNbComputerName, this.computerName),
      avString(AvId.MsvAvDnsDomainName, dnsDomain || this.domain.toLowerCase()),
      avString(AvId.MsvAvDnsComputerName, dnsComputer),
      avTimestamp(this.#opts.nowFiletime()),
    ];
    const type2 = encodeChallenge({
      flags,
      serverChallenge: challenge,
      targetName: this.domain,
      targetInfo,
      version: WINDOWS_SERVER_2019,
    });
    this.#type1 = type1.slice();
    this.#type2 = type2;
    this.#type2Flags = flags;
    this.#serverChallenge = challenge;
    this.#state = 'challenged';
    return type2;
  }

  /** Verifies the AUTHENTICATE_MESSAGE against the challenge this instance issued. Never throws. */
  acceptAuthenticate(type3: Uint8Array): NtlmAcceptResult {
    try {
      return this.#accept(type3);
    } catch (e) {
      const detail = e instanceof NtlmError ? e.message : 'unexpected error while verifying';
      return { ok: false, reason: e instanceof NtlmError && e.code === 'out-of-order' ? 'out-of-order' : 'malformed', detail };
    }
  }

  #accept(type3: Uint8Array): NtlmAcceptResult {
    const reject = (reason: NtlmRejectReason, detail: string): NtlmAcceptResult => {
      if (reason !== 'out-of-order') this.#state = 'done';
      return { ok: false, reason, detail };
    };
    if (this.#state !== 'challenged') {
      return reject('out-of-order', this.#state === 'initial' ? 'no CHALLENGE_MESSAGE was issued on this context' : 'this context already finished');
    }
    let m;
    try {
      m = decodeAuthenticate(type3);
    } catch (e) {
      if (e instanceof NtlmError && e.code === 'wrong-type') return reject('out-of-order', e.message);
      throw e;
    }
    const serverChallenge = this.#serverChallenge!;
    const flags = m.flags >>> 0;
    if ((flags & NEGOTIABLE & ~this.#type2Flags) !== 0) return reject('flags-mismatch', 'AUTHENTICATE claims flags the CHALLENGE did not offer');
    const nt = m.ntChallengeResponse;
    if (nt.length === 0 && (m.lmChallengeResponse.length <= 1 || m.user === '')) return reject('anonymous', 'anonymous authentication is refused');
    if (nt.length === 24) return reject('ntlmv1', 'NTLMv1 responses are refused (NTLMv2 only)');
    // NTLMv2_RESPONSE: NTProofStr(16) ‖ NTLMv2_CLIENT_CHALLENGE (28-byte header, AV pairs, Z(4)).
    if (nt.length < 16 + 28 + 4) return reject('malformed', 'NtChallengeResponse too short for NTLMv2');
    const proof = nt.subarray(0, 16);
    const temp = nt.subarray(16);
    if (temp[0] !== 1 || temp[1] !== 1) return reject('malformed', 'NTLMv2_CLIENT_CHALLENGE version is not 1');
    const clientPairs = decodeAvPairs(temp.subarray(28));

    const account = this.#opts.users.lookup(m.user, m.domain);
    if (!account) return reject('unknown-user', `no account named ${JSON.stringify(m.user)}`);
    // NTOWFv2 uses the user and domain exactly as the client sent them (§3.3.2).
    const responseKey = responseKeyNt(account.ntHash, m.user, m.domain);
    if (!bytesEqual(ntProofStr(responseKey, serverChallenge, temp), proof)) {
      return reject('wrong-response', 'NTProofStr does not verify (wrong password or another challenge)');
    }
    const kxkey = keyExchangeKey(sessionBaseKey(responseKey, proof));
    let exported = kxkey;
    if (hasFlag(flags, F.NEGOTIATE_KEY_EXCH)) {
      if (m.encryptedRandomSessionKey.length !== 16) return reject('malformed', 'KEY_EXCH without a 16-byte EncryptedRandomSessionKey');
      exported = decryptSessionKey(kxkey, m.encryptedRandomSessionKey);
    }
    // §3.2.5.1.2: when MsvAvFlags has MIC_PROVIDED the MIC MUST verify.
    const avFlags = findAvFlags(clientPairs) ?? 0;
    if (avFlags & AvFlags.MIC_PROVIDED) {
      if (!m.mic) return reject('bad-mic', 'MsvAvFlags announces a MIC but the message has none');
      const mic = computeMic(exported, this.#type1!, this.#type2!, type3);
      if (!bytesEqual(mic, m.mic)) return reject('bad-mic', 'MIC does not verify');
    }
    this.#state = 'done';
    return { ok: true, user: m.user, domain: m.domain, session: new NtlmSession({ flags, exportedSessionKey: exported, role: 'server' }) };
  }

  // §3.2.5.1.1: answer in the client's charset (OEM when it did not ask for UNICODE, as
  // requests-ntlm 1.1.0 does), offer what it asked for among the security options.
  #challengeFlags(client: number): number {
    let f = F.NEGOTIATE_NTLM | F.NEGOTIATE_TARGET_INFO | F.REQUEST_TARGET;
    f |= this.domain === this.computerName ? F.TARGET_TYPE_SERVER : F.TARGET_TYPE_DOMAIN;
    f |= hasFlag(client, F.NEGOTIATE_UNICODE) ? F.NEGOTIATE_UNICODE : F.NEGOTIATE_OEM;
    f |= client & (NEGOTIABLE | F.NEGOTIATE_ALWAYS_SIGN | F.NEGOTIATE_VERSION);
    return f >>> 0;
  }
}
