// request-target forms, RFC 9112 §3.2.

import { WireError } from './types.ts';

export interface ParsedTarget {
  form: 'origin' | 'absolute' | 'authority' | 'asterisk';
  scheme?: 'http' | 'https';
  /** Host as written, IPv6 literals without their brackets (ready for net.connect). */
  host?: string;
  port?: number;
  /** origin-form path and query ("/wsman?x"); "/" when an absolute-form target has none. */
  path?: string;
}

function bad(why: string, target: string): never {
  throw new WireError('bad-start-line', `${why}: ${JSON.stringify(target.slice(0, 200))}`);
}

// reg-name = *( unreserved / pct-encoded / sub-delims ), RFC 3986 §3.2.2; must not be empty
// for http(s) (RFC 9110 §4.2.1).
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;
// absolute-path [ "?" query ]: pchar / "/" / "?" (RFC 3986 §3.3, §3.4), no fragment.
const PATH_QUERY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;

function parseAuthority(auth: string, target: string, portRequired: boolean): { host: string; port?: number } {
  if (auth.includes('@')) bad('userinfo in target (RFC 9110 §4.2.4)', target);
  let host: string;
  let rest: string;
  if (auth.startsWith('[')) {
    const close = auth.indexOf(']');
    if (close < 0) bad('unterminated IPv6 literal', target);
    host = auth.slice(1, close);
    if (!IPV6.test(host) || !host.includes(':')) bad('bad IPv6 literal', target);
    rest = auth.slice(close + 1);
  } else {
    const colon = auth.lastIndexOf(':');
    host = colon < 0 ? auth : auth.slice(0, colon);
    rest = colon < 0 ? '' : auth.slice(colon);
    if (!REG_NAME.test(host)) bad('bad host', target);
  }
  if (rest === '' || rest === ':') {
    if (portRequired) bad('authority-form needs a port (RFC 9112 §3.2.3)', target);
    return { host };
  }
  if (!/^:[0-9]{1,5}$/.test(rest)) bad('bad port', target);
  const port = Number(rest.slice(1));
  if (port < 1 || port > 65535) bad('port out of range', target);
  return { host, port };
}

// A connection sends the same target on every request, and each hop (parser, proxy, server)
// classifies it again: the last few classifications that do not depend on the method are kept.
// Callers get their own copy. A target that throws is not kept (it throws again).
const KEPT_TARGETS = 64;
const keptTargets = new Map<string, ParsedTarget>();

/** Classifies and splits a request-target; throws WireError('bad-start-line') on nonsense. */
export function parseTarget(target: string, method: string): ParsedTarget {
  // Only CONNECT (authority-form) and `*` (OPTIONS) depend on the method.
  if (method === 'CONNECT' || target === '*') return classify(target, method);
  return { ...kept(target, method) };
}

/** parseTarget for its check alone (the parser's): throws the same, returns nothing, copies nothing. */
export function checkTarget(target: string, method: string): void {
  if (method === 'CONNECT' || target === '*') classify(target, method);
  else kept(target, method);
}

function kept(target: string, method: string): ParsedTarget {
  let t = keptTargets.get(target);
  if (t === undefined) {
    t = classify(target, method);
    if (keptTargets.size >= KEPT_TARGETS) keptTargets.clear();
    keptTargets.set(target, t);
  }
  return t;
}

function classify(target: string, method: string): ParsedTarget {
  if (target === '') bad('empty target', target);
  // §3.2.3: authority-form is only (and always) used for CONNECT.
  if (method === 'CONNECT') {
    const { host, port } = parseAuthority(target, target, true);
    return { form: 'authority', host, port };
  }
  // §3.2.4: asterisk-form only for a server-wide OPTIONS.
  if (target === '*') {
    if (method !== 'OPTIONS') bad('asterisk-form is only for OPTIONS', target);
    return { form: 'asterisk' };
  }
  if (target.startsWith('/')) {
    if (!PATH_QUERY.test(target)) bad('bad origin-form', target);
    return { form: 'origin', path: target };
  }
  // §3.2.2 absolute-form; this harness speaks only http and https.
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(target);
  if (!m) bad('unrecognised request-target form', target);
  const scheme = m[1].toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') bad('scheme is not http or https', target);
  const { host, port } = parseAuthority(m[2], target, false);
  let path = m[3];
  if (!PATH_QUERY.test(path)) bad('bad path', target);
  if (path === '' || path.startsWith('?')) path = '/' + path;
  return { form: 'absolute', scheme, host, port: port ?? (scheme === 'https' ? 443 : 80), path };
}
