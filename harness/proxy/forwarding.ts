// Rewrites that turn a message received by the proxy into the one it forwards. Lists are new;
// the fields in them are shared with the received message (fields are values, never modified).

import type { HeaderField, HttpMessage } from '../wire/types.ts';
import { getHeaders, listTokens, nameIs, setHeader } from '../wire/headers.ts';
import { connectionOptions } from './hop-by-hop.ts';

/** RFC 9110 §7.6.3: each intermediary appends "received-protocol pseudonym" to Via. */
export function addVia(headers: readonly HeaderField[], receivedVersion: string, pseudonym = 'wpc'): HeaderField[] {
  const proto = receivedVersion.startsWith('HTTP/') ? receivedVersion.slice(5) : receivedVersion;
  const entry = `${proto} ${pseudonym}`;
  const out = headers.slice();
  // Several Via lines are one list (RFC 9110 §5.3): append to the last one.
  for (let i = out.length - 1; i >= 0; i--) {
    if (nameIs(out[i].name, 'via')) {
      out[i] = { name: out[i].name, value: `${out[i].value}, ${entry}` };
      return out;
    }
  }
  out.push({ name: 'Via', value: entry });
  return out;
}

/** The Host value for a target (RFC 9112 §3.2.2): the port only when it is not the scheme's default. */
export function hostValue(scheme: string, host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  const defaultPort = scheme === 'https' ? 443 : 80;
  return port === defaultPort ? h : `${h}:${port}`;
}

/**
 * RFC 9112 §3.2.2: a proxy forwarding an absolute-form request replaces Host with the
 * target's authority. Host goes first, as clients usually send it.
 */
export function regenerateHost(headers: readonly HeaderField[], value: string): HeaderField[] {
  const out: HeaderField[] = [{ name: 'Host', value }];
  for (const h of headers) if (!nameIs(h.name, 'host')) out.push(h);
  return out;
}

// RFC 4559 §6: connection-based schemes need the proxy to keep client and server connections paired.
const SESSION_SCHEMES = new Set(['negotiate', 'ntlm', 'kerberos', 'credssp']);

// A challenge's first token: what precedes the first whitespace or comma after leading whitespace.
const AUTH_SCHEME = /^\s*([^\s,]*)/;

/** True when a WWW-Authenticate challenge names a connection-based scheme. */
export function hasSessionChallenge(headers: readonly HeaderField[]): boolean {
  return getHeaders(headers, 'www-authenticate').some((v) => SESSION_SCHEMES.has(AUTH_SCHEME.exec(v)![1].toLowerCase()));
}

/** RFC 4559 §6: tell the client this proxy keeps connection-based authentication working. */
export function addProxySupport(headers: readonly HeaderField[]): HeaderField[] {
  if (!hasSessionChallenge(headers)) return headers.slice();
  return setHeader(headers, 'Proxy-Support', 'Session-Based-Authentication');
}

/**
 * Whether the sender wants the connection kept after this message (RFC 9112 §9.3):
 * HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive". `options` are the
 * message's Connection options (connectionOptions), when already at hand.
 */
export function wantsPersistence(msg: HttpMessage, options: readonly string[] = connectionOptions(msg.headers)): boolean {
  // Proxy-Connection is the non-standard spelling older clients send to proxies (RFC 9112 §9.6 note).
  const proxyConnection = listTokens(msg.headers, 'proxy-connection');
  if (options.includes('close') || hasLower(proxyConnection, 'close')) return false;
  if (msg.version === 'HTTP/1.0') return options.includes('keep-alive') || hasLower(proxyConnection, 'keep-alive');
  return true;
}

/** True when one of `tokens`, lower-cased, is `lower`. */
function hasLower(tokens: readonly string[], lower: string): boolean {
  for (const t of tokens) if (t.toLowerCase() === lower) return true;
  return false;
}
