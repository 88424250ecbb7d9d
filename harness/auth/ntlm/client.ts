// The NTLM initiator (MS-NLMP §3.1) for ONE connection: NTLMv2 with a MIC when the server
// sends MsvAvTimestamp, as ntlm-auth and Windows do.
import { concatBytes } from '../bytes.ts';
import type { RandomSource } from '../random.ts';
import { AvFlags, AvId, avFlags, encodeAvPairs, findAvFlags, findAvTimestamp } from './av-pairs.ts';
import { encodeAuthenticate, MIC_OFFSET } from './authenticate-message.ts';
import { decodeChallenge } from './challenge-message.ts';
import { NtlmError } from './errors.ts';
import { WINDOWS_SERVER_2019, type NtlmVersion } from './fields.ts';
import { DEFAULT_CLIENT_FLAGS, hasFlag, NegotiateFlags as F } from './flags.ts';
import { encodeNegotiate } from './negotiate-message.ts';
import {
  computeMic,
  encryptSessionKey,
  keyExchangeKey,
  lmv2Response,
  ntHash,
  ntlmv2Temp,
  ntProofStr,
  responseKeyNt,
  sessionBaseKey,
} from './ntlmv2.ts';
import { NtlmSession } from './session.ts';

export interface NtlmClientOptions {
  user: string;
  password: string;
  domain?: string;
  random: RandomSource;
  /** Needed only when the server's Type 2 carries no MsvAvTimestamp. */
  nowFiletime?: () => bigint;
  workstation?: string;
  /** Type 1 flags; default DEFAULT_CLIENT_FLAGS (0xe2888235). */
  flags?: number;
  /** Send a MIC when the server sends a timestamp (default true, as ntlm-auth). */
  mic?: boolean;
  version?: NtlmVersion;
}

const SECURITY = F.NEGOTIATE_56 | F.NEGOTIATE_128 | F.NEGOTIATE_KEY_EXCH | F.NEGOTIATE_SEAL | F.NEGOTIATE_SIGN | F.NEGOTIATE_EXTENDED_SESSIONSECURITY;

export class NtlmClient {
  #opts: NtlmClientOptions;
  #flags: number;
  #type1?: Uint8Array;
  #session?: NtlmSession;

  constructor(opts: NtlmClientOptions) {
    this.#opts = opts;
    this.#flags = (opts.flags ?? DEFAULT_CLIENT_FLAGS) >>> 0;
  }

  get complete(): boolean {
    return this.#session !== undefined;
  }

  /** The session keys after authenticate(); throws before. */
  get session(): NtlmSession {
    if (!this.#session) throw new NtlmError('out-of-order', 'no session yet: authenticate() has not run');
    return this.#session;
  }

  negotiate(): Uint8Array {
    if (this.#type1) throw new NtlmError('out-of-order', 'negotiate() already called on this context');
    this.#type1 = encodeNegotiate({ flags: this.#flags, version: this.#opts.version ?? WINDOWS_SERVER_2019 });
    return this.#type1;
  }

  authenticate(type2: Uint8Array): Uint8Array {
    if (!this.#type1 || this.#session) throw new NtlmError('out-of-order', 'authenticate() needs exactly one prior negotiate()');
    const c = decodeChallenge(type2);
    if (!hasFlag(c.flags, F.NEGOTIATE_EXTENDED_SESSIONSECURITY) && hasFlag(this.#flags, F.NEGOTIATE_SEAL)) {
      throw new NtlmError('unsupported', 'server did not agree to EXTENDED_SESSIONSECURITY');
    }
    // Type 3 flags: the server's choice, narrowed to the security options we asked for.
    let flags = (c.flags & ~SECURITY) | (c.flags & this.#flags & SECURITY);
    if (hasFlag(flags, F.NEGOTIATE_UNICODE)) flags &= ~F.NEGOTIATE_OEM;
    flags >>>= 0;

    const { random } = this.#opts;
    const domain = this.#opts.domain ?? '';
    const clientChallenge = random.bytes(8);
    const serverTime = findAvTimestamp(c.targetInfo);
    let timestamp = serverTime;
    if (timestamp === undefined) {
      if (!this.#opts.nowFiletime) throw new NtlmError('unsupported', 'the CHALLENGE has no MsvAvTimestamp and no clock was given');
      timestamp = this.#opts.nowFiletime();
    }
    // §3.1.5.1.2: with a server timestamp, announce the MIC in MsvAvFlags and send Z(24) as LM.
    const withMic = serverTime !== undefined && this.#opts.mic !== false;
    const pairs = c.targetInfo.filter((p) => p.id !== AvId.MsvAvFlags);
    if (withMic) pairs.push(avFlags((findAvFlags(c.targetInfo) ?? 0) | AvFlags.MIC_PROVIDED));

    const responseKey = responseKeyNt(ntHash(this.#opts.password), this.#opts.user, domain);
    const temp = ntlmv2Temp(timestamp, clientChallenge, encodeAvPairs(pairs));
    const proof = ntProofStr(responseKey, c.serverChallenge, temp);
    const kxkey = keyExchangeKey(sessionBaseKey(responseKey, proof));
    let exported: Uint8Array = kxkey;
    let encryptedRandomSessionKey: Uint8Array = new Uint8Array(0);
    if (hasFlag(flags, F.NEGOTIATE_KEY_EXCH)) {
      exported = random.bytes(16);
      encryptedRandomSessionKey = encryptSessionKey(kxkey, exported);
    }
    const msg = {
      flags,
      lmChallengeResponse: serverTime !== undefined ? new Uint8Array(24) : lmv2Response(responseKey, c.serverChallenge, clientChallenge),
      ntChallengeResponse: concatBytes(proof, temp),
      domain,
      user: this.#opts.user,
      workstation: this.#opts.workstation ?? '',
      encryptedRandomSessionKey,
      version: this.#opts.version ?? WINDOWS_SERVER_2019,
      mic: withMic ? new Uint8Array(16) : undefined,
    };
    // §3.1.5.1.2: the MIC is computed over the message with a zero MIC field, then written in.
    const type3 = encodeAuthenticate(msg);
    if (withMic) type3.set(computeMic(exported, this.#type1, type2, type3), MIC_OFFSET);
    this.#session = new NtlmSession({ flags, exportedSessionKey: exported, role: 'client' });
    return type3;
  }
}
