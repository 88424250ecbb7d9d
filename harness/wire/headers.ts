// Header-list helpers. Headers stay a list of fields in wire order and case (RFC 9110 §5.3:
// order of same-name fields matters; names are case-insensitive for lookup only). A field is a
// value, never modified in place: helpers return new lists that share the unchanged fields.

import type { HeaderField, HttpMessage } from './types.ts';

/**
 * `name.toLowerCase() === lower` (`lower` already lower-cased) without building the lower-cased
 * copy: ASCII is folded in place; a name with any other character takes toLowerCase itself.
 */
export function nameIs(name: string, lower: string): boolean {
  const n = name.length;
  if (n !== lower.length) {
    // Lower-casing keeps every character's length except U+0130 (İ → i + U+0307): only a
    // shorter name holding it can match. Checked first, so a mismatch costs no scan of `name`.
    // An ASCII first character lower-cases to one character: when that differs, no scan either.
    const c0 = name.charCodeAt(0);
    if (c0 < 0x80 && (c0 >= 0x41 && c0 <= 0x5a ? c0 + 0x20 : c0) !== lower.charCodeAt(0)) return false;
    return n < lower.length && name.indexOf('\u0130') >= 0 && name.toLowerCase() === lower;
  }
  for (let i = 0; i < n; i++) {
    let c = name.charCodeAt(i);
    if (c >= 0x80) return name.toLowerCase() === lower;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * nameIs for an ASCII `lower`: only a name of the same length can match it (the one
 * length-changing lower-casing, U+0130, yields a non-ASCII U+0307), so other lengths are
 * rejected before nameIs scans the name for U+0130. The proxy checks every forwarded field's
 * name against such constants.
 */
export function asciiNameIs(name: string, lower: string): boolean {
  return name.length === lower.length && nameIs(name, lower);
}

/** True when some field is named `lower` (ASCII, lower-case), case-insensitively. */
export function hasField(headers: readonly HeaderField[], lower: string): boolean {
  for (const h of headers) if (asciiNameIs(h.name, lower)) return true;
  return false;
}

/** First value of `name` (case-insensitive), or undefined. */
export function getHeader(headers: readonly HeaderField[], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const h of headers) if (nameIs(h.name, lower)) return h.value;
  return undefined;
}

/** Every value of `name`, in wire order. */
export function getHeaders(headers: readonly HeaderField[], name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const h of headers) if (nameIs(h.name, lower)) out.push(h.value);
  return out;
}

/** Comma-separated list elements of every `name` field, trimmed (RFC 9110 §5.6.1), empty ones dropped. */
export function listTokens(headers: readonly HeaderField[], name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const h of headers) if (nameIs(h.name, lower)) pushTokens(h.value, out);
  return out;
}

function pushTokens(value: string, out: string[]): void {
  // As value.split(',') then trim, without the intermediate array (most values are one token).
  for (let from = 0; ; ) {
    const comma = value.indexOf(',', from);
    const t = value.slice(from, comma < 0 ? value.length : comma).trim();
    if (t !== '') out.push(t);
    if (comma < 0) return;
    from = comma + 1;
  }
}

/** True when the list header `name` holds `token` (case-insensitive), e.g. Connection: close. */
export function hasToken(headers: readonly HeaderField[], name: string, token: string): boolean {
  const want = token.toLowerCase();
  for (const t of listTokens(headers, name)) if (t.toLowerCase() === want) return true;
  return false;
}

/**
 * New list with the first `name` field's value replaced in place (same position, same name
 * spelling), or the field appended when absent. Later same-name fields are left as they are.
 */
export function setHeader(headers: readonly HeaderField[], name: string, value: string): HeaderField[] {
  const lower = name.toLowerCase();
  const i = headers.findIndex((h) => nameIs(h.name, lower));
  const out = headers.slice();
  if (i >= 0) out[i] = { name: headers[i].name, value };
  else out.push({ name, value });
  return out;
}

/** New list without any field whose name is one of `names` (case-insensitive). */
export function removeHeaders(headers: readonly HeaderField[], names: readonly string[]): HeaderField[] {
  const drop = names.map((n) => n.toLowerCase());
  const out: HeaderField[] = [];
  for (const h of headers) if (!nameIn(h.name, drop)) out.push(h);
  return out;
}

/** `lowers.includes(name.toLowerCase())` (`lowers` already lower-cased), without lower-casing `name`. */
export function nameIn(name: string, lowers: readonly string[]): boolean {
  for (const l of lowers) if (nameIs(name, l)) return true;
  return false;
}

/** The start line without CRLF: request-line (RFC 9112 §3) or status-line (§4). */
export function startLine(msg: HttpMessage): string {
  if (msg.kind === 'request') return `${msg.method} ${msg.target} ${msg.version}`;
  // status-line = HTTP-version SP status-code SP [ reason-phrase ]: the second SP is always sent.
  return `${msg.version} ${String(msg.status).padStart(3, '0')} ${msg.reason}`;
}
