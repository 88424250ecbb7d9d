// Hop-by-hop fields are meant for one connection only; a proxy removes them before
// forwarding (RFC 9110 §7.6.1): every field named in Connection, and the fixed set below.

import type { HeaderField } from '../wire/types.ts';
import { listTokens, nameIn } from '../wire/headers.ts';

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

/** Removes the hop-by-hop fields; `keep` names ones to leave (a fault forwarding them). */
export function stripHopByHop(headers: readonly HeaderField[], keep: readonly string[] = []): HeaderField[] {
  const named = listTokens(headers, 'connection').map((t) => t.toLowerCase());
  const kept = keep.map((k) => k.toLowerCase());
  const out: HeaderField[] = [];
  for (const h of headers) {
    const hop = nameIn(h.name, HOP_BY_HOP) || nameIn(h.name, named);
    if (!hop || nameIn(h.name, kept)) out.push({ ...h });
  }
  return out;
}
