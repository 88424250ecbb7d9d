// One request through the server's pipeline: routing, authentication (per connection for
// Negotiate, per request for Basic), policy, message decryption, WS-Man, encryption.
// Returns the answer and its audit entry; the connection writes both.

import { getHeader, parseTarget, type HttpRequest, type HttpResponse } from '../wire/index.ts';
import { utf8Encode } from '../wire/bytes.ts';
import type { AuditInput } from './audit.ts';
import type { AuthContext } from './auth-context.ts';
import type { NtlmSessionLike, SessionCrypto } from './auth-deps.ts';
import { verifyBasic } from './basic.ts';
import { credSspLeg, type CredSspConnection } from './credssp-context.ts';
import { acceptKerberos, isKerberosCredential } from './kerberos-context.ts';
import type { KerberosAcceptor } from '../auth/kerberos/acceptor.ts';
import { looksLikeKrb5Token } from '../auth/kerberos/gss-token.ts';
import { empty, soap, unauthorized } from './http-replies.ts';
import { basicAllowed, challengeValues, clearBodyAllowed, offers, type ListenerKind, type ServerPolicy } from './policy.ts';
import type { ServerAuthScheme, ServerUser } from './types.ts';
import type { Cancelled, WsmanService } from './wsman-service.ts';

export interface HandlerDeps {
  policy: ServerPolicy;
  users: readonly ServerUser[];
  domain: string;
  crypto: SessionCrypto;
  wsman: WsmanService;
  /** The server's Kerberos acceptor, when Kerberos is offered (issue 6). */
  kerberos?: KerberosAcceptor | undefined;
}

export interface ConnectionScope {
  listener: ListenerKind;
  auth: AuthContext;
  /** The connection's CredSSP acceptor, when the server offers CredSSP. */
  credssp?: CredSspConnection;
  /** Fires when the connection closes: a held request is dropped. */
  cancelled: Cancelled;
}

export interface Reply {
  response: HttpResponse;
  /** Close the connection after this answer, whatever the request said. */
  close: boolean;
  audit: Omit<AuditInput, 'conn' | 'listener' | 'requestLine' | 'requestTag'>;
}

/** An answer now, or later (a held Receive, CredSSP's TLS): only what must wait is a promise. */
export type ReplyOrLater = Reply | undefined | Promise<Reply | undefined>;

const WSMAN_PATH = '/wsman';
// Stateless when not streaming: one serves every request.
const UTF8_DECODER = new TextDecoder();

/**
 * Not async: 401 legs and refusals are answered at once, and a served body is the promise of
 * its WS-Man answer itself (an async wrapper returning it would add a thenable hop per request).
 */
export function handleRequest(req: HttpRequest, scope: ConnectionScope, deps: HandlerDeps): ReplyOrLater {
  // The listener serves the WinRM URL prefix only (HTTP.sys URL reservation http://+:5985/wsman/).
  if (req.target !== WSMAN_PATH && !isWsmanTarget(req)) {
    return { response: empty(404), close: false, audit: { kind: 'rejected', status: 404, reason: `no such path: ${req.target.slice(0, 100)}` } };
  }
  if (req.method !== 'POST') {
    return {
      response: empty(405, [['Allow', 'POST']]),
      close: false,
      audit: { kind: 'rejected', status: 405, reason: `method ${req.method} not allowed (WS-Man is POST only)` },
    };
  }

  const authorization = getHeader(req.headers, 'authorization');
  if (authorization !== undefined) return authorize(req, authorization, scope, deps);

  const done = scope.auth.authenticated;
  if (done) return serveBody(req, scope, deps, { kind: 'wsman', identity: done.identity, scheme: done.scheme, session: done.session });

  // MS-WSMV §3.1.4.16: Identify without authentication only when the client asks for it.
  if ((getHeader(req.headers, 'wsmanidentify') ?? '').trim().toLowerCase() === 'unauthenticated') {
    const ct = getHeader(req.headers, 'content-type');
    if (!deps.crypto.isEncrypted(ct)) {
      const out = deps.wsman.identifyAnonymous(UTF8_DECODER.decode(req.body));
      if (out) {
        const body = utf8Encode(out.xml);
        return {
          response: soap(out.status, body),
          close: false,
          audit: { kind: 'anonymous-identify', status: out.status, action: 'Identify', encrypted: false, responseBytes: body.length },
        };
      }
    }
  }
  return { response: unauthorized(challengeValues(deps.policy)), close: false, audit: { kind: 'challenge', status: 401 } };
}

/** 401 with the challenge list for a failed authentication (a function of its own: a closure per request costs a re-naming under tsx). */
function denied(deps: HandlerDeps, reason: string, s?: ServerAuthScheme): Reply {
  return {
    response: unauthorized(challengeValues(deps.policy)),
    close: false,
    audit: { kind: 'auth-failed', status: 401, reason, ...(s ? { scheme: s } : {}) },
  };
}

/** Whether the request-target (any form) names /wsman, after the normalisation HTTP.sys applies. */
function isWsmanTarget(req: HttpRequest): boolean {
  let path: string | undefined;
  try {
    path = parseTarget(req.target, req.method).path;
  } catch {
    return false;
  }
  return path !== undefined && path.split('?')[0].replace(/\/$/, '').toLowerCase() === WSMAN_PATH;
}

function authorize(req: HttpRequest, authorization: string, scope: ConnectionScope, deps: HandlerDeps): ReplyOrLater {
  const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(?:[ \t]+(.*))?$/.exec(authorization.trim());
  const scheme = m ? m[1].toLowerCase() : '';
  const param = (m?.[2] ?? '').trim();

  if (deps.kerberos && isKerberosCredential(scheme, decodeBase64(param))) {
    // Kerberos is one leg (PROTOCOL.md): accept, then serve this same request.
    const leg = acceptKerberos(deps.kerberos, decodeBase64(param));
    if (!leg.ok) {
      scope.auth.reset();
      return denied(deps, leg.reason, 'kerberos');
    }
    scope.auth.state = { kind: 'authenticated', identity: leg.identity, scheme: 'kerberos', session: leg.session };
    // A raw krb5 GSS token (requests-kerberos) or one wrapped in SPNEGO (Windows, pypsrp).
    const mechanism = `Kerberos${looksLikeKrb5Token(decodeBase64(param) ?? new Uint8Array(0)) ? '' : ' in SPNEGO'} (AP-REQ)`;
    const reply = serveBody(req, scope, deps, { kind: 'auth-complete', identity: leg.identity, scheme: 'kerberos', session: leg.session, mechanism });
    // RFC 4559 §5: the AP-REP (mutual authentication) goes on the answer, in the request's scheme.
    return leg.reply.length > 0 ? withToken(reply, `${m![1]} ${Buffer.from(leg.reply).toString('base64')}`) : reply;
  }

  if (scheme === 'negotiate' && offers(deps.policy, 'negotiate')) {
    const token = decodeBase64(param);
    if (!token) {
      scope.auth.reset();
      return denied(deps, 'Negotiate token is not base64', 'negotiate');
    }
    const leg = scope.auth.negotiate(token);
    if (leg.kind === 'failed') return denied(deps, leg.reason, 'negotiate');
    if (leg.kind === 'continue') {
      return {
        response: unauthorized([`Negotiate ${Buffer.from(leg.token).toString('base64')}`]),
        close: false,
        audit: { kind: 'auth-leg', status: 401, scheme: 'negotiate' },
      };
    }
    const done = scope.auth.authenticated!;
    const reply = serveBody(req, scope, deps, { kind: 'auth-complete', identity: done.identity, scheme: 'negotiate', session: done.session, mechanism: leg.mechanism });
    // RFC 4559 §5: the final leg may carry the server's token on the success answer.
    return leg.token ? withToken(reply, `Negotiate ${Buffer.from(leg.token).toString('base64')}`) : reply;
  }

  if (scheme === 'credssp' && offers(deps.policy, 'credssp')) return credSspLeg(req, param, scope, deps, serveBody);

  if (scheme === 'basic' && offers(deps.policy, 'basic')) {
    // Basic is checked on every request; it never authenticates the connection.
    if (!basicAllowed(deps.policy, scope.listener)) return denied(deps, 'Basic over HTTP needs AllowUnencrypted (WinRM answers 401)', 'basic');
    const r = verifyBasic(param, deps.users, deps.domain);
    if (!r.ok) return denied(deps, r.reason, 'basic');
    return serveBody(req, scope, deps, { kind: 'wsman', identity: r.identity, scheme: 'basic' });
  }

  return denied(deps, `scheme ${m ? m[1] : '(unparsable)'} not offered`);
}

interface Served {
  kind: 'wsman' | 'auth-complete';
  identity: string;
  scheme: ServerAuthScheme;
  session?: NtlmSessionLike;
  /** The mechanism that completed authentication (audited and noted in the Trace). */
  mechanism?: string;
}

/** Adds the server's final authentication token (RFC 4559 §5) to a success answer. */
function withToken(reply: ReplyOrLater, value: string): ReplyOrLater {
  if (reply instanceof Promise) return reply.then((r) => addToken(r, value));
  return addToken(reply, value);
}

function addToken(reply: Reply | undefined, value: string): Reply | undefined {
  if (reply && reply.response.status !== 401) reply.response.headers.push({ name: 'WWW-Authenticate', value });
  return reply;
}

/**
 * Opens the body and serves it. Not async: NTLM and Kerberos sealing are synchronous, so the
 * only wait is the WS-Man answer (serveWsman); CredSSP's TLS is awaited where it is a promise.
 */
function serveBody(req: HttpRequest, scope: ConnectionScope, deps: HandlerDeps, who: Served): ReplyOrLater {
  // pywinrm builds the encryption context with empty POSTs: answer 200 with nothing.
  if (req.body.length === 0) return { response: empty(200), close: false, audit: { kind: who.kind, status: 200, ...auditBase(who) } };

  const ct = getHeader(req.headers, 'content-type');
  if (!deps.crypto.isEncrypted(ct)) {
    if (!clearBodyAllowed(deps.policy, scope.listener)) {
      // PROTOCOL.md: AllowUnencrypted=false answers a clear body with 500, empty, Connection: close.
      return {
        response: empty(500),
        close: true,
        audit: { kind: 'rejected', status: 500, ...auditBase(who), encrypted: false, reason: 'unencrypted body refused (AllowUnencrypted=false)' },
      };
    }
    return serveWsman(req.body, false, scope, deps, who);
  }
  if (!who.session) {
    return { response: empty(400), close: false, audit: { kind: 'rejected', status: 400, ...auditBase(who), encrypted: true, reason: 'encrypted body without a session (Basic)' } };
  }
  let plaintext: Uint8Array | Promise<Uint8Array>;
  try {
    plaintext = deps.crypto.decrypt(who.session, ct!, req.body);
  } catch (e) {
    return decryptFailure(e, scope, deps, auditBase(who));
  }
  if (plaintext instanceof Promise) {
    return plaintext.then(
      (p) => serveWsman(p, true, scope, deps, who),
      (e) => decryptFailure(e, scope, deps, auditBase(who)),
    );
  }
  return serveWsman(plaintext, true, scope, deps, who);
}

/** The WS-Man answer to an opened body, sealed again when the request was. */
async function serveWsman(plaintext: Uint8Array, encrypted: boolean, scope: ConnectionScope, deps: HandlerDeps, who: Served): Promise<Reply | undefined> {
  const out = await deps.wsman.serve(UTF8_DECODER.decode(plaintext), { identity: who.identity, cancelled: scope.cancelled });
  if (!out) return undefined;
  const xml = utf8Encode(out.xml);
  let response: HttpResponse;
  if (encrypted) {
    const sealing = deps.crypto.encrypt(who.session!, xml);
    const sealed = sealing instanceof Promise ? await sealing : sealing;
    response = soap(out.status, sealed.body, sealed.contentType);
  } else {
    response = soap(out.status, xml);
  }
  return {
    response,
    close: false,
    // Written out rather than spread: the recorder leaves the undefined fields out, in this order.
    audit: {
      kind: who.kind,
      status: out.status,
      identity: who.identity,
      scheme: who.scheme,
      mechanism: who.mechanism || undefined,
      encrypted,
      action: out.action || undefined,
      commandId: out.commandId || undefined,
      commandLine: out.commandLine,
      responseBytes: xml.length,
    },
  };
}

/** Who the request was served as, for the audit (built only where an early answer needs it). */
function auditBase(who: Served): { identity: string; scheme: ServerAuthScheme; mechanism?: string } {
  return { identity: who.identity, scheme: who.scheme, ...(who.mechanism ? { mechanism: who.mechanism } : {}) };
}

/**
 * A body that does not open. WinRM-like answers: a structurally bad envelope is a bad request
 * (400, empty); a signature or sequence that does not verify means the security context is
 * not the client's (tampering, replay, keys of an earlier connection): 401 with the challenge
 * list, and the context is dropped so the client must authenticate again.
 */
function decryptFailure(e: unknown, scope: ConnectionScope, deps: HandlerDeps, base: { identity: string; scheme: ServerAuthScheme }): Reply {
  const code = (e as { code?: unknown }).code;
  const detail = e instanceof Error ? e.message : String(e);
  scope.auth.reset();
  if (code === 'bad-signature' || code === 'bad-sequence') {
    return {
      response: unauthorized(challengeValues(deps.policy)),
      close: false,
      audit: { kind: 'rejected', status: 401, ...base, encrypted: true, reason: `${String(code)}: ${detail}` },
    };
  }
  return {
    response: empty(400),
    close: false,
    audit: { kind: 'rejected', status: 400, ...base, encrypted: true, reason: `${String(code ?? 'decrypt-error')}: ${detail}` },
  };
}

function decodeBase64(s: string): Uint8Array | undefined {
  if (s === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(s) || s.length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(s, 'base64'));
}
