// Per-connection authentication context (MS-NTHT §3.2, RFC 4559 §4): NTLM inside Negotiate
// is connection-based, so the handshake state and the session it yields belong to ONE
// server connection and die with it. A Type3 on a connection that issued no Type2 fails.

import type { ServerAuthScheme } from './types.ts';
import type { NegotiateCodec, NtlmAcceptor, NtlmAcceptorFactory, NtlmSessionLike } from './auth-deps.ts';

export type AuthState =
  | { kind: 'none' }
  /** Type2 sent; waiting for the Type3 on this connection. */
  | { kind: 'challenged'; ntlm: NtlmAcceptor; style: 'raw' | 'spnego' }
  | { kind: 'authenticated'; identity: string; scheme: ServerAuthScheme; session: NtlmSessionLike };

export type LegResult =
  /** 401 + `WWW-Authenticate: Negotiate <token>`. */
  | { kind: 'continue'; token: Uint8Array }
  /** Authentication complete; `token` (SPNEGO accept-completed) goes on the final answer when set. */
  | { kind: 'complete'; identity: string; mechanism: string; token?: Uint8Array }
  | { kind: 'failed'; reason: string };

export class AuthContext {
  state: AuthState = { kind: 'none' };

  constructor(
    private readonly newAcceptor: NtlmAcceptorFactory,
    private readonly codec: NegotiateCodec,
  ) {}

  get authenticated(): Extract<AuthState, { kind: 'authenticated' }> | undefined {
    return this.state.kind === 'authenticated' ? this.state : undefined;
  }

  /** Forget everything (a failed leg, a broken session): the client must start over. */
  reset(): void {
    this.state = { kind: 'none' };
  }

  /** One `Authorization: Negotiate <token>` leg. Never throws: bad input is a failed leg. */
  negotiate(token: Uint8Array): LegResult {
    const unwrapped = this.codec.unwrap(token);
    if (!unwrapped.ok) return this.fail(unwrapped.reason);
    const { ntlm, style, messageType } = unwrapped;
    try {
      if (messageType === 1) {
        // A new Type1 restarts the handshake, even on an authenticated connection.
        const acceptor = this.newAcceptor();
        const type2 = acceptor.acceptNegotiate(ntlm);
        this.state = { kind: 'challenged', ntlm: acceptor, style };
        return { kind: 'continue', token: this.codec.wrapChallenge(type2, style) };
      }
      if (messageType === 3) {
        if (this.state.kind !== 'challenged') {
          return this.fail('NTLM Type3 on a connection that issued no challenge (MS-NTHT: connection-based)');
        }
        const acceptor = this.state.ntlm;
        const replyStyle = this.state.style;
        const r = acceptor.acceptAuthenticate(ntlm);
        if (!r.ok) return this.fail(`NTLM authentication failed: ${r.reason}`);
        const identity = `${r.domain}\\${r.user}`;
        this.state = { kind: 'authenticated', identity, scheme: 'negotiate', session: r.session };
        const done = this.codec.wrapComplete(replyStyle);
        const mechanism = replyStyle === 'spnego' ? 'NTLM in SPNEGO' : 'NTLM (raw NTLMSSP token)';
        return done ? { kind: 'complete', identity, mechanism, token: done } : { kind: 'complete', identity, mechanism };
      }
      return this.fail(`unexpected NTLM message type ${messageType}`);
    } catch (e) {
      return this.fail(`bad NTLM token: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private fail(reason: string): LegResult {
    this.reset();
    return { kind: 'failed', reason };
  }
}
