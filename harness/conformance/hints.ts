// Remediation hints for known products (REQUIREMENTS.md §1: "where the proxy announced itself
// (Via, Server) and the fix is known"). Keyed by product and case id.

export interface ProductGuess {
  name: string;
  version?: string;
}

/** Guesses the product from a Via or Server header the proxy added ("1.1 squid (squid/5.7)"). */
export function guessProduct(headerValues: string[]): ProductGuess | undefined {
  const text = headerValues.join(' ').toLowerCase();
  const known: Array<[RegExp, string]> = [
    [/squid(?:\/([\d.]+))?/, 'squid'],
    [/tinyproxy(?:\/([\d.]+))?/, 'tinyproxy'],
    [/apache(?:\/([\d.]+))?/, 'apache2'],
    [/haproxy(?:\/([\d.]+))?/, 'haproxy'],
    [/privoxy(?:\/([\d.]+))?/, 'privoxy'],
    [/mitmproxy(?:\/([\d.]+))?/, 'mitmproxy'],
    [/wpc/, 'wpc'],
  ];
  for (const [re, name] of known) {
    const m = re.exec(text);
    if (m) return m[1] ? { name, version: m[1] } : { name };
  }
  return undefined;
}

const HINTS: Record<string, Record<string, string>> = {
  squid: {
    'https.1':
      "Squid's default rules refuse CONNECT to ports outside SSL_ports (443): add `acl SSL_ports port 5986` (or the WinRM HTTPS port) before `http_access deny CONNECT !SSL_ports`.",
    'http.7':
      'Squid pins server connections once a request carries NTLM/Negotiate Authorization only while `connection-auth on` (the default): make sure it is not turned off.',
    'http.5': 'Keep `client_persistent_connections on` and `server_persistent_connections on`.',
    'http.6': 'Keep `client_persistent_connections on` and `server_persistent_connections on`; `connection-auth` must stay on.',
    'http.4':
      'Squid pins a server connection only for NTLM, Negotiate and Kerberos Authorization, not for CredSSP: the CredSSP legs are spread over pooled server connections. Use HTTPS (CONNECT) for CredSSP through Squid.',
  },
  apache2: {
    'https.1': 'mod_proxy_connect allows CONNECT only to 443 and 563 by default: add `AllowCONNECT 443 5986`.',
    'http.7':
      'mod_proxy pools backend connections per worker and does not pin them to a client connection: set `SetEnv proxy-initial-not-pooled 1` and `disablereuse=On` on the worker, or use HTTPS (CONNECT) for WinRM.',
    'http.6':
      'mod_proxy hands backend connections back to the pool between requests: disable reuse (`disablereuse=On`) or use HTTPS for WinRM.',
    'http.2': 'mod_proxy does not pin backend connections for connection-based authentication: use HTTPS (CONNECT) for WinRM.',
  },
  tinyproxy: {
    'http.1': 'tinyproxy sends `Connection: close` upstream on every request, which breaks NTLM: use HTTPS (CONNECT) for WinRM through tinyproxy.',
    'http.2': 'tinyproxy sends `Connection: close` upstream on every request, which breaks NTLM: use HTTPS (CONNECT) for WinRM through tinyproxy.',
    'http.5': 'tinyproxy closes the upstream connection after each response: use HTTPS (CONNECT) for WinRM through tinyproxy.',
    'http.6': 'tinyproxy closes the upstream connection after each response: use HTTPS (CONNECT) for WinRM through tinyproxy.',
  },
  haproxy: {
    'https.1': 'HAProxy is not a CONNECT proxy: use it as a TCP (mode tcp) front for 5986 instead.',
  },
  privoxy: {
    'http.7': '`connection-sharing 1` lets clients share server connections: set `connection-sharing 0` for WinRM.',
  },
  mitmproxy: {
    'https.2':
      'mitmproxy intercepts TLS by default: add the WinRM hosts to `ignore_hosts` (TLS passthrough) so the tunnel stays end to end.',
  },
};

export function hintFor(product: string | undefined, caseId: string): string | undefined {
  if (!product) return undefined;
  return HINTS[product]?.[caseId];
}
