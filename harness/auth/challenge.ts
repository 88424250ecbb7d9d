// WWW-Authenticate / Proxy-Authenticate (lists of challenges) and Authorization /
// Proxy-Authorization (one credential), RFC 9110 §11.2–§11.7:
//   challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//   auth-param  = token BWS "=" BWS ( token / quoted-string )
//   token68     = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
// Several challenges may share one header line (comma-separated) and several lines may be sent.
import { base64 } from './bytes.ts';

export interface AuthValue {
  /** Canonical spelling for known schemes (Basic, Negotiate, NTLM, Kerberos, CredSSP, Digest, Bearer); schemes compare case-insensitively (§11.1). */
  scheme: string;
  /** token68 decoded as base64, when it is valid base64. */
  token?: Uint8Array;
  /** token68 as sent. */
  token68?: string;
  /** auth-params, names lowercased (§11.2: case-insensitive). */
  params?: Record<string, string>;
  raw: string;
}

const KNOWN = ['Basic', 'Negotiate', 'NTLM', 'Kerberos', 'CredSSP', 'Digest', 'Bearer'];

export function canonicalScheme(s: string): string {
  return KNOWN.find((k) => k.toLowerCase() === s.toLowerCase()) ?? s;
}

export function sameScheme(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
// TCHAR as a table by character code (token() reads a scheme one character at a time).
const TCHAR_CODES = new Uint8Array(128).map((_, c) => (TCHAR.test(String.fromCharCode(c)) ? 1 : 0));
const isTchar = (c: number): boolean => c < 128 && TCHAR_CODES[c] === 1;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

function decodeBase64Strict(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(s, 'base64'));
}

class Cursor {
  constructor(
    readonly s: string,
    public i = 0,
  ) {}
  get done(): boolean {
    return this.i >= this.s.length;
  }
  peek(): string {
    return this.s[this.i] ?? '';
  }
  ows(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }
  token(): string {
    const start = this.i;
    while (!this.done && isTchar(this.s.charCodeAt(this.i))) this.i++;
    return this.s.slice(start, this.i);
  }
  quoted(): string | undefined {
    if (this.peek() !== '"') return undefined;
    let out = '';
    this.i++;
    while (!this.done) {
      const c = this.s[this.i++];
      if (c === '"') return out;
      if (c === '\\' && !this.done) out += this.s[this.i++];
      else out += c;
    }
    return undefined; // unterminated
  }
  /** After a comma: is the next list element an auth-param (token BWS "=") of the same challenge? */
  nextIsParam(): boolean {
    const save = this.i;
    if (this.peek() === ',') this.i++;
    this.ows();
    const t = this.token();
    this.ows();
    const isParam = t.length > 0 && this.peek() === '=' && !/^=+\s*(,|$)/.test(this.s.slice(this.i));
    this.i = save;
    return isParam;
  }
  skipToComma(): void {
    while (!this.done && this.peek() !== ',') this.i++;
  }
}

function parseOne(c: Cursor): AuthValue | undefined {
  const start = c.i;
  const scheme = c.token();
  if (!scheme) {
    c.skipToComma();
    return undefined;
  }
  const v: AuthValue = { scheme: canonicalScheme(scheme), raw: '' };
  c.ows();
  const rest = c.s.slice(c.i);
  const m68 = TOKEN68.exec(rest);
  if (m68 && /^\s*(,|$)/.test(rest.slice(m68[0].length))) {
    v.token68 = m68[0];
    const t = decodeBase64Strict(m68[0]);
    if (t) v.token = t;
    c.i += m68[0].length;
  } else if (!c.done && c.peek() !== ',') {
    const params: Record<string, string> = {};
    for (;;) {
      c.ows();
      const name = c.token();
      c.ows();
      if (!name || c.peek() !== '=') {
        c.skipToComma();
        break;
      }
      c.i++;
      c.ows();
      const value = c.peek() === '"' ? c.quoted() : c.token();
      if (value === undefined) {
        c.skipToComma();
        break;
      }
      params[name.toLowerCase()] = value;
      c.ows();
      if (c.peek() === ',' && c.nextIsParam()) {
        c.i++;
        continue;
      }
      break;
    }
    v.params = params;
  }
  v.raw = c.s.slice(start, c.i).trim();
  return v;
}

/** All challenges of one or more WWW-Authenticate / Proxy-Authenticate field values. */
export function parseChallenges(values: string[]): AuthValue[] {
  const out: AuthValue[] = [];
  for (const value of values) {
    const c = new Cursor(value);
    while (!c.done) {
      c.ows();
      if (c.peek() === ',') {
        c.i++;
        continue;
      }
      if (c.done) break;
      const v = parseOne(c);
      if (v) out.push(v);
      c.ows();
      if (c.peek() === ',') c.i++;
    }
  }
  return out;
}

/** One Authorization / Proxy-Authorization value (credentials = one challenge-shaped item). */
export function parseAuthorization(value: string): AuthValue | undefined {
  const c = new Cursor(value.trim());
  const v = parseOne(c);
  if (!v) return undefined;
  return { ...v, raw: value.trim() };
}

/** `Scheme base64(token)` (RFC 4559 §4 for Negotiate). */
export function formatCredentials(scheme: string, token: Uint8Array): string {
  return `${scheme} ${base64(token)}`;
}

/** `Scheme`, `Scheme base64(token)` or `Scheme a="b", c="d"`. */
export function formatChallenge(scheme: string, opts: { token?: Uint8Array; params?: Record<string, string> } = {}): string {
  if (opts.token) return formatCredentials(scheme, opts.token);
  const params = Object.entries(opts.params ?? {});
  if (params.length === 0) return scheme;
  return `${scheme} ${params.map(([k, v]) => `${k}="${v.replace(/["\\]/g, '\\$&')}"`).join(', ')}`;
}
