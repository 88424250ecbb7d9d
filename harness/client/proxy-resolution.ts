// Which proxy a WinRM client uses for its endpoint (REQUIREMENTS.md §4; seed "Proxy servers and
// WinRM" — WinRM 2.0 session option ProxyAccessType; WinRM 1.1 and earlier: WinHTTP only).

import { parseWinHttpProxy, type ProxyEndpoint } from './winhttp-proxy.ts';
import type { ProxySettings, WinrmClientOptions } from './types.ts';

/** Proxy authentication schemes the client speaks (REQUIREMENTS §4). */
export type ProxyScheme = 'negotiate' | 'ntlm' | 'digest' | 'basic';

export interface ProxyCredentials {
  /** Pinned scheme; 'auto' or absent: the first the proxy offers of Negotiate, NTLM, Digest, Basic. */
  scheme?: ProxyScheme | 'auto';
  user: string;
  password: string;
}

export type ProxyRoute =
  | { kind: 'direct'; source: string }
  | { kind: 'proxy'; proxy: ProxyEndpoint; source: string; auth?: ProxyCredentials };

type ResolveInput = Pick<WinrmClientOptions, 'profile' | 'proxy' | 'winhttp' | 'ieProxy'>;

/** `http://[user:pass@]host:port[/]`, `host:port`, or a WinINet-style per-scheme list. */
function fromProxyString(text: string, endpoint: URL): { proxy: ProxyEndpoint; auth?: ProxyCredentials } | undefined {
  const m = /^https?:\/\/([^@/]*)@/i.exec(text);
  let auth: ProxyCredentials | undefined;
  let rest = text;
  if (m) {
    const [user, password = ''] = m[1].split(':');
    auth = { scheme: 'basic', user: decodeURIComponent(user), password: decodeURIComponent(password) };
    rest = text.replace(/^(https?:\/\/)[^@/]*@/i, '$1');
  }
  const p = parseWinHttpProxy(rest).forUrl(endpoint);
  if (p === 'direct') return undefined;
  return { proxy: p, ...(auth ? { auth } : {}) };
}

function viaWinHttp(input: ResolveInput, endpoint: URL, source: string, auth?: ProxyCredentials): ProxyRoute {
  const w = input.winhttp;
  const p = parseWinHttpProxy(w?.proxyServer, w?.bypassList).forUrl(endpoint);
  if (p === 'direct') return { kind: 'direct', source };
  return { kind: 'proxy', proxy: p, source, ...(auth ? { auth } : {}) };
}

function settingsAuth(s: ProxySettings | undefined): ProxyCredentials | undefined {
  return s?.auth ? { ...(s.auth.scheme ? { scheme: s.auth.scheme } : {}), user: s.auth.user, password: s.auth.password } : undefined;
}

/**
 * The route to `endpoint`:
 * - profile 'winrm1.1': the WinHTTP settings only (`netsh winhttp set proxy`), direct when none;
 *   IE settings and ProxyAccessType do not exist for it and are ignored even when present.
 * - profile 'winrm2' (default): by ProxyAccessType — ProxyNoProxyServer: direct;
 *   ProxyIEConfig / ProxyAutoDetect: `proxy.url` (ProxyIEConfig falls back to `ieProxy`);
 *   ProxyWinHttpConfig (the default): the WinHTTP settings.
 * Proxy credentials come from `proxy.auth`, else from the proxy URL's userinfo.
 */
export function resolveProxy(input: ResolveInput, endpoint: URL): ProxyRoute {
  const auth = settingsAuth(input.proxy);
  if ((input.profile ?? 'winrm2') === 'winrm1.1') return viaWinHttp(input, endpoint, 'winhttp', auth);

  const access = input.proxy?.accessType ?? 'ProxyWinHttpConfig';
  switch (access) {
    case 'ProxyNoProxyServer':
      return { kind: 'direct', source: access };
    case 'ProxyWinHttpConfig':
      return viaWinHttp(input, endpoint, access, auth);
    case 'ProxyIEConfig':
    case 'ProxyAutoDetect': {
      const text = input.proxy?.url ?? (access === 'ProxyIEConfig' ? input.ieProxy : undefined);
      const got = text ? fromProxyString(text, endpoint) : undefined;
      if (!got) return { kind: 'direct', source: access };
      const creds = auth ?? got.auth;
      return { kind: 'proxy', proxy: got.proxy, source: access, ...(creds ? { auth: creds } : {}) };
    }
  }
}
