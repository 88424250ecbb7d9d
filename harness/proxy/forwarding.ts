// Rewrites that turn a message received by the proxy into the one it forwards.

import type { HeaderField, HttpMessage } from '../wire/types.ts';
import { getHeaders, listTokens, removeHeaders, setHeader } from '../wire/index.ts';

/** RFC 9110 §7.6.3: each intermediary appends "received-protocol pseudonym" to Via. */
export function addVia(headers: readonly HeaderField[], receivedVersion: string, pseudonym = 'wpc'): HeaderField[] {
  const proto = receivedVersion.replace(/^HTTP\//, '');
  const entry = `${proto} ${pseudonym}`;
  const existing = getHeaders(headers, 'via');
  if (existing.length === 0) return [...headers.map((h) => ({ ...h })), { name: 'Via', value: entry }];
  // Several Via lines are one list (RFC 9110 §5.3): append to the last one.
  const out = headers.map((h) => ({ ...h }));
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i].name.toLowerCase() === 'via') {
      out[i] = { name: out[i].name, value: `${out[i].value}, ${entry}` };
      break;
    }
  }
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
  return [{ name: 'Host', value }, ...removeHeaders(headers, ['host'])];
}

// RFC 4559 §6: connection-based schemes need the proxy to keep client and server connections paired.
const SESSION_SCHEMES = new Set(['negotiate', 'ntlm', 'kerberos', 'credssp']);

/** True when a WWW-Authenticate challenge names a connection-based scheme. */
export function hasSessionChallenge(headers: readonly HeaderField[]): boolean {
  return getHeaders(headers, 'www-authenticate').some((v) =>
    SESSION_SCHEMES.has((v.trim().split(/[\s,]/)[0] ?? '').toLowerCase()),
  );
}

/** RFC 4559 §6: tell the client this proxy keeps connection-based authentication working. */
export function addProxySupport(headers: readonly HeaderField[]): HeaderField[] {
  if (!hasSessionChallenge(headers)) return headers.map((h) => ({ ...h }));
  return setHeader(headers, 'Proxy-Support', 'Session-Based-Authentication');
}

/**
 * Whether the sender wants the connection kept after this message (RFC 9112 §9.3):
 * HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
 */
export function wantsPersistence(msg: HttpMessage): boolean {
  // Proxy-Connection is the non-standard spelling older clients send to proxies (RFC 9112 §9.6 note).
  const tokens = listTokens(msg.headers, 'connection').concat(listTokens(msg.headers, 'proxy-connection'));
  if (hasLower(tokens, 'close')) return false;
  if (msg.version === 'HTTP/1.0') return hasLower(tokens, 'keep-alive');
  return true;
}

/** True when one of `tokens`, lower-cased, is `lower`. */
function hasLower(tokens: readonly string[], lower: string): boolean {
  for (const t of tokens) if (t.toLowerCase() === lower) return true;
  return false;
}
