// Rewrites that turn a message received by the proxy into the one it forwards. Lists are new;
// the fields in them are shared with the received message (fields are values, never modified).

import type { HeaderField, HttpMessage } from '../wire/types.ts';
import { asciiNameIs, hasField, listTokens } from '../wire/headers.ts';
import { connectionOptions, isHopByHop } from './hop-by-hop.ts';

/**
 * The header list a request is forwarded with (RFC 9112 §3.2.2, RFC 9110 §7.6), in one pass over
 * the received one: Host replaced by `host` (the target's authority) and first, as clients usually
 * send it; hop-by-hop fields removed (`keep` excepted); "Connection: close" when the client asked
 * to close; Via appended to.
 */
export function forwardedRequestHeaders(
  headers: readonly HeaderField[],
  options: readonly string[],
  keep: readonly string[],
  host: string,
  receivedVersion: string,
): HeaderField[] {
  const out: HeaderField[] = [{ name: 'Host', value: host }];
  let via = -1;
  for (const h of headers) {
    if (asciiNameIs(h.name, 'host') || isHopByHop(h.name, options, keep)) continue;
    if (asciiNameIs(h.name, 'via')) via = out.length;
    out.push(h);
  }
  if (options.includes('close')) out.push({ name: 'Connection', value: 'close' });
  appendVia(out, via, receivedVersion);
  return out;
}

/**
 * The header list a response is relayed with (RFC 9110 §7.6), in one pass over the received one:
 * hop-by-hop fields removed; Proxy-Support set when a challenge needs connection affinity
 * (RFC 4559 §6); Via appended to.
 */
export function forwardedResponseHeaders(
  headers: readonly HeaderField[],
  options: readonly string[],
  receivedVersion: string,
): HeaderField[] {
  const out: HeaderField[] = [];
  let via = -1;
  let proxySupport = -1;
  let sessionChallenge = false;
  for (const h of headers) {
    if (isHopByHop(h.name, options, NONE)) continue;
    if (asciiNameIs(h.name, 'via')) via = out.length;
    else if (proxySupport < 0 && asciiNameIs(h.name, 'proxy-support')) proxySupport = out.length;
    else if (!sessionChallenge && asciiNameIs(h.name, 'www-authenticate')) sessionChallenge = isSessionChallenge(h.value);
    out.push(h);
  }
  if (sessionChallenge) {
    // RFC 4559 §6: tell the client this proxy keeps connection-based authentication working.
    const field = { name: proxySupport < 0 ? 'Proxy-Support' : out[proxySupport].name, value: 'Session-Based-Authentication' };
    if (proxySupport < 0) out.push(field);
    else out[proxySupport] = field;
  }
  appendVia(out, via, receivedVersion);
  return out;
}

const NONE: readonly string[] = [];

/**
 * RFC 9110 §7.6.3: each intermediary appends "received-protocol pseudonym" to Via. Several Via
 * lines are one list (§5.3): the entry goes to the last one, at `last` in `out` (-1: none).
 */
function appendVia(out: HeaderField[], last: number, receivedVersion: string): void {
  const entry = receivedVersion === 'HTTP/1.1' ? '1.1 wpc' : `${receivedVersion.startsWith('HTTP/') ? receivedVersion.slice(5) : receivedVersion} wpc`;
  if (last < 0) out.push({ name: 'Via', value: entry });
  else out[last] = { name: out[last].name, value: `${out[last].value}, ${entry}` };
}

/** The Host value for a target (RFC 9112 §3.2.2): the port only when it is not the scheme's default. */
export function hostValue(scheme: string, host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  const defaultPort = scheme === 'https' ? 443 : 80;
  return port === defaultPort ? h : `${h}:${port}`;
}

// RFC 4559 §6: connection-based schemes need the proxy to keep client and server connections paired.
const SESSION_SCHEMES = new Set(['negotiate', 'ntlm', 'kerberos', 'credssp']);

// A challenge's first token: what precedes the first whitespace or comma after leading whitespace.
const AUTH_SCHEME = /^\s*([^\s,]*)/;

/** True when a WWW-Authenticate value's challenge names a connection-based scheme. */
function isSessionChallenge(value: string): boolean {
  return SESSION_SCHEMES.has(AUTH_SCHEME.exec(value)![1].toLowerCase());
}

/**
 * Whether the sender wants the connection kept after this message (RFC 9112 §9.3):
 * HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive". `options` are the
 * message's Connection options (connectionOptions), when already at hand.
 */
export function wantsPersistence(msg: HttpMessage, options: readonly string[] = connectionOptions(msg.headers)): boolean {
  // Proxy-Connection is the non-standard spelling older clients send to proxies (RFC 9112 §9.6 note).
  const proxyConnection = hasField(msg.headers, 'proxy-connection') ? listTokens(msg.headers, 'proxy-connection') : NONE;
  if (options.includes('close') || hasLower(proxyConnection, 'close')) return false;
  if (msg.version === 'HTTP/1.0') return options.includes('keep-alive') || hasLower(proxyConnection, 'keep-alive');
  return true;
}

/** True when one of `tokens`, lower-cased, is `lower`. */
function hasLower(tokens: readonly string[], lower: string): boolean {
  for (const t of tokens) if (t.toLowerCase() === lower) return true;
  return false;
}
