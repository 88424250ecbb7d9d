// WinHTTP proxy settings as `netsh winhttp set proxy proxy-server="…" bypass-list="…"` stores
// them (the WinHTTP proxy list and bypass list formats of WINHTTP_PROXY_INFO, learn.microsoft.com
// "netsh winhttp" and "WINHTTP_PROXY_INFO structure"):
//   proxy list  = entry *( (";" / whitespace) entry )
//   entry       = [ scheme "=" ] [ scheme "://" ] host [ ":" port ]
// An entry without `scheme=` serves every scheme; with per-scheme entries, a scheme that has none
// goes direct. The first entry for a scheme wins. The proxy port defaults to 80.
//   bypass list = item *( ";" item )  — host patterns with `*` wildcards, optionally
//   `scheme://` and `:port`; `<local>` bypasses every host name without a period.

export interface ProxyEndpoint {
  host: string;
  port: number;
}

export interface WinHttpProxy {
  /** The proxy for this URL, or 'direct' (no proxy for its scheme, or bypassed). */
  forUrl(url: string | URL): ProxyEndpoint | 'direct';
}

interface ProxyEntry {
  scheme?: string;
  endpoint: ProxyEndpoint;
}

interface BypassItem {
  local?: true;
  scheme?: string;
  host?: RegExp;
  port?: number;
}

/** Removes one pair of surrounding double quotes, as netsh accepts `proxy-server="…"`. */
function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

/** `host[:port]`, with `[v6]` literals. Throws on a port that is not 1..65535. */
function hostPort(text: string, defaultPort: number): ProxyEndpoint {
  let host = text;
  let port = defaultPort;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (v6) {
    host = v6[1];
    if (v6[2] !== undefined) port = Number(v6[2]);
  } else {
    const i = text.lastIndexOf(':');
    if (i >= 0) {
      host = text.slice(0, i);
      const p = text.slice(i + 1);
      if (!/^\d+$/.test(p)) throw new Error(`WinHTTP proxy entry '${text}': port '${p}' is not a number`);
      port = Number(p);
    }
  }
  if (host === '') throw new Error(`WinHTTP proxy entry '${text}' has no host`);
  if (!(port >= 1 && port <= 65535)) throw new Error(`WinHTTP proxy entry '${text}': port out of range`);
  return { host: host.toLowerCase(), port };
}

function parseEntries(proxyServer: string): ProxyEntry[] {
  const out: ProxyEntry[] = [];
  for (const raw of unquote(proxyServer).split(/[;\s]+/)) {
    if (raw === '') continue;
    let rest = raw;
    let scheme: string | undefined;
    const eq = /^([A-Za-z][A-Za-z0-9+.-]*)=(.*)$/.exec(rest);
    if (eq) {
      scheme = eq[1].toLowerCase();
      rest = eq[2];
    }
    // A `http://` prefix names how to talk to the proxy, not which URLs it serves; WinHTTP
    // speaks plain HTTP to a proxy in every case (CONNECT for https URLs).
    rest = rest.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '').replace(/\/+$/, '');
    out.push({ ...(scheme ? { scheme } : {}), endpoint: hostPort(rest, 80) });
  }
  return out;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

function parseBypass(bypassList: string | undefined): BypassItem[] {
  if (!bypassList) return [];
  const out: BypassItem[] = [];
  for (const raw of unquote(bypassList).split(/[;,\s]+/)) {
    if (raw === '') continue;
    if (raw.toLowerCase() === '<local>') {
      out.push({ local: true });
      continue;
    }
    let rest = raw;
    let scheme: string | undefined;
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/.exec(rest);
    if (m) {
      scheme = m[1].toLowerCase();
      rest = m[2];
    }
    let port: number | undefined;
    const p = /^(.*):(\d+)$/.exec(rest);
    if (p && !rest.startsWith('[')) {
      rest = p[1];
      port = Number(p[2]);
    }
    out.push({ ...(scheme ? { scheme } : {}), host: globToRegExp(rest), ...(port !== undefined ? { port } : {}) });
  }
  return out;
}

function defaultPort(scheme: string): number {
  return scheme === 'https' ? 443 : 80;
}

function bypassed(items: readonly BypassItem[], scheme: string, host: string, port: number): boolean {
  return items.some((b) => {
    // `<local>`: "names without a period" — 127.0.0.1 and localhost.localdomain have periods.
    if (b.local) return !host.includes('.') && !host.includes(':');
    if (b.scheme !== undefined && b.scheme !== scheme) return false;
    if (b.port !== undefined && b.port !== port) return false;
    return b.host!.test(host);
  });
}

/**
 * Parses WinHTTP proxy settings. `proxyServer` undefined or empty means direct access (netsh's
 * `reset proxy`). Throws an Error naming the bad entry when the list is malformed.
 */
export function parseWinHttpProxy(proxyServer: string | undefined, bypassList?: string): WinHttpProxy {
  // Every client of a run names the same settings: their parse is kept (it is read-only, and
  // its regular expressions are not global, so they keep no state). Bounded against odd input.
  const key = `${proxyServer ?? ''}\n${bypassList ?? ''}`;
  let p = parsedSettings.get(key);
  if (p === undefined) {
    p = parseSettings(proxyServer, bypassList);
    if (parsedSettings.size >= 32) parsedSettings.clear();
    parsedSettings.set(key, p);
  }
  return p;
}

const parsedSettings = new Map<string, WinHttpProxy>();

function parseSettings(proxyServer: string | undefined, bypassList: string | undefined): WinHttpProxy {
  const entries = proxyServer ? parseEntries(proxyServer) : [];
  const bypass = parseBypass(bypassList);
  return {
    forUrl(url) {
      const u = typeof url === 'string' ? new URL(url) : url;
      const scheme = u.protocol.replace(/:$/, '').toLowerCase();
      const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      const port = u.port === '' ? defaultPort(scheme) : Number(u.port);
      const perScheme = entries.some((e) => e.scheme !== undefined);
      const entry = perScheme ? entries.find((e) => e.scheme === scheme) : entries[0];
      if (!entry) return 'direct';
      if (bypassed(bypass, scheme, host, port)) return 'direct';
      return { ...entry.endpoint };
    },
  };
}

/**
 * Reads the arguments of `netsh winhttp set proxy …`: the named form
 * (`proxy-server="…" bypass-list="…"`) or the positional one (`host:port "<local>;…"`).
 */
export function parseNetshSetProxy(commandLine: string): { proxyServer?: string; bypassList?: string } {
  const args = commandLine.replace(/^\s*netsh\s+winhttp\s+set\s+proxy\s*/i, '');
  const tokens = [...args.matchAll(/(?:[\w-]+=)?(?:"[^"]*"|[^\s"]+)/g)].map((m) => m[0]);
  const out: { proxyServer?: string; bypassList?: string } = {};
  const positional: string[] = [];
  for (const t of tokens) {
    const named = /^(proxy-server|bypass-list)=(.*)$/i.exec(t);
    if (named) {
      if (named[1].toLowerCase() === 'proxy-server') out.proxyServer = unquote(named[2]);
      else out.bypassList = unquote(named[2]);
    } else {
      positional.push(unquote(t));
    }
  }
  if (out.proxyServer === undefined && positional[0] !== undefined) out.proxyServer = positional[0];
  if (out.bypassList === undefined && positional[1] !== undefined) out.bypassList = positional[1];
  return out;
}
