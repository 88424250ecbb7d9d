// The Content-Type of an encrypted WinRM body (MS-WSMV §2.2.9.1.1; pywinrm winrm/encryption.py).
export const SPNEGO_ENCRYPTED_PROTOCOL = 'application/HTTP-SPNEGO-session-encrypted';
export const BOUNDARY = 'Encrypted Boundary';
export const ENCRYPTED_CONTENT_TYPE = `multipart/encrypted;protocol="${SPNEGO_ENCRYPTED_PROTOCOL}";boundary="${BOUNDARY}"`;
export const DEFAULT_ORIGINAL_TYPE = 'application/soap+xml;charset=UTF-8';

/**
 * True when the Content-Type announces SPNEGO session encryption. pywinrm 0.3.0 decides with a
 * substring test for `protocol="application/HTTP-SPNEGO-session-encrypted"`; we require the
 * multipart/encrypted media type as well.
 */
export function isEncryptedContentType(ct: string | undefined): boolean {
  return ct ? parsed(ct).spnegoEncrypted : false;
}

/** media-type and parameters (names lowercased, quoted values unquoted). */
export function parseContentType(ct: string): { mediaType: string; params: Record<string, string> } {
  const p = parsed(ct);
  return { mediaType: p.mediaType, params: { ...p.params } };
}

/** The media type alone (lowercased), without copying the parameters. */
export function mediaTypeOf(ct: string): string {
  return parsed(ct).mediaType;
}

/** One parameter's value (`name` lowercase), without copying the others. */
export function contentTypeParam(ct: string, name: string): string | undefined {
  return parsed(ct).params[name];
}

// Every encrypted message carries the same few Content-Type strings: their parses are kept
// (read-only; parseContentType hands out copies, the accessors above single values), with the
// isEncryptedContentType answer. Bounded, so hostile input cannot grow it.
interface Parsed {
  mediaType: string;
  params: Readonly<Record<string, string>>;
  spnegoEncrypted: boolean;
}
const cache = new Map<string, Parsed>();

function parsed(ct: string): Parsed {
  let p = cache.get(ct);
  if (p === undefined) {
    const { mediaType, params } = parseUncached(ct);
    const spnegoEncrypted = mediaType === 'multipart/encrypted' && params.protocol?.toLowerCase() === SPNEGO_ENCRYPTED_PROTOCOL.toLowerCase();
    p = { mediaType, params, spnegoEncrypted };
    if (cache.size >= 64) cache.clear();
    cache.set(ct, p);
  }
  return p;
}

function parseUncached(ct: string): { mediaType: string; params: Record<string, string> } {
  const [head, ...rest] = splitParams(ct);
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    params[p.slice(0, eq).trim().toLowerCase()] = v;
  }
  return { mediaType: head.trim().toLowerCase(), params };
}

// Split on ';' outside quoted strings (the boundary contains a space, the protocol a slash).
function splitParams(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    if (c === '\\' && quoted && i + 1 < s.length) {
      cur += c + s[++i];
      continue;
    }
    if (c === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
