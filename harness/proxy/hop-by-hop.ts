// Hop-by-hop fields are meant for one connection only; a proxy removes them before
// forwarding (RFC 9110 §7.6.1): every field named in Connection, and the fixed set below.

import type { HeaderField } from '../wire/types.ts';
import { asciiNameIs, hasField, listTokens, nameIn } from '../wire/headers.ts';

// RFC 9110 §7.6.1 (Connection, Proxy-Connection, Keep-Alive, TE, Transfer-Encoding's
// siblings Trailer and Upgrade) and §11.7 (Proxy-Authorization, Proxy-Authenticate: they
// belong to the client↔proxy hop). Transfer-Encoding and Content-Length are framing: the
// codec rewrites them from the message's framing, so they are left to it.
export const HOP_BY_HOP = [
  'connection',
  'proxy-connection',
  'keep-alive',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
] as const;

/**
 * The options of a message's Connection fields, lower-cased (RFC 9110 §7.6.1): the field names it
 * makes hop-by-hop, and "close" or "keep-alive". Computed once per message and handed to the
 * predicates below instead of each re-reading the header list.
 */
export function connectionOptions(headers: readonly HeaderField[]): readonly string[] {
  // Many messages (most responses) have no Connection field: no list to read then.
  if (!hasField(headers, 'connection')) return NO_OPTIONS;
  const tokens = listTokens(headers, 'connection');
  for (let i = 0; i < tokens.length; i++) tokens[i] = tokens[i].toLowerCase();
  return tokens;
}

/**
 * True when a field named `name` is hop-by-hop for a message with Connection `options` and is
 * to be removed; `keep` (lower-case) names ones to leave (a fault forwarding them).
 */
export function isHopByHop(name: string, options: readonly string[], keep: readonly string[]): boolean {
  return (isFixedHopByHop(name) || nameIn(name, options)) && !nameIn(name, keep);
}

const NO_OPTIONS: readonly string[] = [];

function isFixedHopByHop(name: string): boolean {
  for (const h of HOP_BY_HOP) if (asciiNameIs(name, h)) return true;
  return false;
}
