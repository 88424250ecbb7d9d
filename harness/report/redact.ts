// No password, hash, session key or proxy credential appears in any report format in clear
// (REQUIREMENTS.md §6, DESIGN.md "Choices"). Every writer runs on the output of redactReport.
import { printable, renderPayload } from './bytes-view.ts';
import { proxyVerifiers } from './proxy-verifiers.ts';
import type { Report, ReportTraceEvent } from './types.ts';

export const REDACTED = '[redacted]';

/**
 * A secret: a string (password, NT hash hex, session key, proxy password), or a credential
 * pair, whose `user:password` Basic form (RFC 7617 §2) is redacted as well, or a literal: a
 * value redacted exactly as written (a Digest response, an NTLM Type 3 token), with no other
 * encodings and no Basic pairs — one per request, so the pairs would grow as their square.
 */
export type Secret = string | { user: string; password: string } | { literal: string };

/** Shorter base64 fragments than this are not matched inside longer base64 (too common). */
const MIN_FRAGMENT = 4;

/**
 * The base64 forms of `bytes` as they can appear in a longer base64 text: whole (padded and
 * unpadded), and for each of the three byte alignments the characters that depend on the secret
 * alone. Each also in base64url.
 */
function base64Forms(bytes: Buffer): string[] {
  const whole = bytes.toString('base64');
  const forms = [whole, whole.replace(/=+$/, '')];
  for (let k = 0; k < 3; k++) {
    const enc = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const start = k > 0 ? 4 : 0; // the first group mixes in bytes before the secret
    const end = 4 * Math.floor((k + bytes.length) / 3); // the last partial group, bytes after it
    const mid = enc.slice(start, end);
    if (mid.length >= MIN_FRAGMENT) forms.push(mid);
  }
  return forms.flatMap((f) => [f, f.replace(/\+/g, '-').replace(/\//g, '_')]);
}

function formsOfString(s: string): { text: string[]; bytes: Buffer[] } {
  const utf8 = Buffer.from(s, 'utf8');
  const utf16 = Buffer.from(s, 'utf16le');
  const ascii = [...base64Forms(utf8), ...base64Forms(utf16), encodeURIComponent(s)];
  return {
    text: [s, ...ascii, printable(utf8), printable(utf16), utf16.toString('latin1')],
    bytes: [utf8, utf16, ...ascii.map((a) => Buffer.from(a, 'latin1'))],
  };
}

interface Forms {
  text: string[];
  bytes: Buffer[];
}

const cache = new WeakMap<readonly Secret[], Forms>();

/** Every form to look for, longest first so that a longer form is not broken up by a shorter one. */
function formsOf(secrets: readonly Secret[]): Forms {
  const hit = cache.get(secrets);
  if (hit) return hit;
  const text = new Set<string>();
  const bytes = new Map<string, Buffer>();
  const add = (s: string, basicOnly = false): void => {
    if (!s) return;
    const f = formsOfString(s);
    if (basicOnly) {
      // `user:password` in clear already contains the password; only its encodings are new.
      f.text = f.text.slice(1);
      f.bytes = f.bytes.slice(2);
    }
    f.text.forEach((t) => t && text.add(t));
    f.bytes.forEach((b) => b.length && bytes.set(b.toString('hex'), b));
  };
  const plain = secrets.flatMap((s) => (typeof s === 'string' ? (s ? [s] : []) : []));
  for (const s of secrets) {
    if (typeof s === 'string') add(s);
    else if ('literal' in s) {
      if (!s.literal) continue;
      text.add(s.literal);
      const b = Buffer.from(s.literal, 'latin1');
      bytes.set(b.toString('hex'), b);
    } else {
      add(s.password);
      add(`${s.user}:${s.password}`, true);
    }
  }
  // Any two plain secrets may be a Basic pair (a user name listed as a secret, or two passwords).
  for (const a of plain) for (const b of plain) if (a !== b) add(`${a}:${b}`, true);
  const forms = {
    text: [...text].sort((x, y) => y.length - x.length),
    bytes: [...bytes.values()].sort((x, y) => y.length - x.length),
  };
  cache.set(secrets, forms);
  return forms;
}

/** `text` with every form of every secret replaced by [redacted]. */
export function redactSecrets(text: string, secrets: readonly Secret[]): string {
  let out = text;
  for (const f of formsOf(secrets).text) if (out.includes(f)) out = out.split(f).join(REDACTED);
  return out;
}

/** `bytes` with every form of every secret replaced by the bytes of [redacted]. */
export function redactBytes(bytes: Uint8Array, secrets: readonly Secret[], opts: { truncated?: boolean } = {}): Buffer {
  let buf = Buffer.from(bytes);
  const marker = Buffer.from(REDACTED, 'latin1');
  const forms = formsOf(secrets).bytes;
  for (const f of forms) {
    let at = buf.indexOf(f);
    if (at < 0) continue;
    const parts: Buffer[] = [];
    let from = 0;
    while (at >= 0) {
      parts.push(buf.subarray(from, at), marker);
      from = at + f.length;
      at = buf.indexOf(f, from);
    }
    parts.push(buf.subarray(from));
    buf = Buffer.concat(parts);
  }
  // A cut payload may end in the first part of a secret: redact a trailing prefix (3+ bytes).
  if (opts.truncated) {
    for (const f of forms) {
      for (let n = Math.min(f.length - 1, buf.length); n >= 3; n--) {
        if (buf.subarray(buf.length - n).equals(f.subarray(0, n))) {
          buf = Buffer.concat([buf.subarray(0, buf.length - n), marker]);
          break;
        }
      }
    }
  }
  return buf;
}

/** The URL without its userinfo (`http://u:p@host:port` → `http://host:port`). */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, '$1');
}

/** Any JSON-like value with every string (and object key, and byte array) redacted. */
export function redactValue<T>(value: T, secrets: readonly Secret[]): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactSecrets(v, secrets);
    if (v instanceof Uint8Array) return redactBytes(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactSecrets(k, secrets), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

function redactTraceEvent(e: ReportTraceEvent, secrets: readonly Secret[]): ReportTraceEvent {
  if (e.kind !== 'data') return redactValue(e, secrets);
  // Payload bytes are redacted as bytes, then base64, preview and start line rendered again.
  const bytes = redactBytes(Buffer.from(e.base64, 'base64'), secrets, { truncated: e.truncated });
  const { base64: _b, preview: _p, startLine: _s, truncated, length, ...rest } = e;
  return { ...redactValue(rest, secrets), ...renderPayload(bytes, length, truncated) };
}

/** The credential in a URL's userinfo (`http://u:p@host`), percent-decoded, if any. */
export function urlCredential(url: string): { user: string; password: string } | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^@/?#]*)@/i.exec(url);
  if (!m) return undefined;
  const [user, ...pw] = m[1].split(':');
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return { user: dec(user), password: dec(pw.join(':')) };
}

/**
 * A deep copy of `report` with its proxy URL's userinfo removed and every secret redacted;
 * a credential in the proxy URL's userinfo counts as a secret even when not listed.
 */
export function redactReport(report: Report, listed: readonly Secret[]): Report {
  const { cases, proxy, ...rest } = report;
  const fromUrl = urlCredential(proxy.url);
  // Digest responses and NTLM Type 3 tokens sent to the proxy: password verifiers (proxy-verifiers.ts).
  const verifiers = proxyVerifiers(cases.flatMap((c) => c.trace));
  const secrets: readonly Secret[] = [...listed, ...(fromUrl?.password ? [fromUrl] : []), ...verifiers.map((literal) => ({ literal }))];
  return {
    ...redactValue(rest, secrets),
    proxy: redactValue({ ...proxy, url: redactUrl(proxy.url) }, secrets),
    cases: cases.map(({ trace, ...c }) => ({
      ...redactValue(c, secrets),
      trace: trace.map((e) => redactTraceEvent(e, secrets)),
    })),
  };
}
