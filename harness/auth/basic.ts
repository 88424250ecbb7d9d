// HTTP Basic (RFC 7617): credentials are base64(user-id ":" password), UTF-8.
import { parseAuthorization, sameScheme } from './challenge.ts';

export interface BasicCredentials {
  user: string;
  password: string;
}

/** Parses an Authorization / Proxy-Authorization value; undefined unless it is valid Basic. */
export function parseBasic(headerValue: string | undefined): BasicCredentials | undefined {
  if (headerValue === undefined) return undefined;
  const v = parseAuthorization(headerValue);
  if (!v || !sameScheme(v.scheme, 'Basic') || !v.token) return undefined;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(v.token);
  const colon = text.indexOf(':'); // RFC 7617 §2: the user-id cannot contain a colon
  if (colon < 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

export function basicHeader(user: string, password: string): string {
  if (user.includes(':')) throw new Error('RFC 7617 §2: a Basic user-id cannot contain ":"');
  return 'Basic ' + Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}
