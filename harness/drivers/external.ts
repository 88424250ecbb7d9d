import type { ProxyCredentials, ProxyUnderTest } from './types.ts';

/**
 * A proxy the harness does not run: `http://[user:password@]host:port`. Credentials found in
 * the URL (or passed in) are kept in `credentials`; `url` is the redacted `http://host:port`.
 */
export function externalProxy(url: string, creds?: ProxyCredentials): ProxyUnderTest {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL may hold a password: do not echo it.
    throw new Error('external proxy: not a valid URL (expected http://[user:password@]host:port)');
  }
  if (parsed.protocol !== 'http:') {
    throw new Error(`external proxy: scheme '${parsed.protocol}' unsupported (expected http://host:port)`);
  }
  if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.hash) {
    throw new Error(`external proxy: unexpected path/query in proxy URL (expected http://${parsed.host})`);
  }
  const fromUrl: ProxyCredentials | undefined =
    parsed.username !== ''
      ? { user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) }
      : undefined;
  const credentials = creds ?? fromUrl;
  // URL.host keeps a non-default port and brackets IPv6 literals; port 80 is elided by URL.
  const port = parsed.port === '' ? '80' : parsed.port;
  const host = parsed.hostname;
  return {
    url: `http://${host}:${port}`,
    ...(credentials ? { credentials } : {}),
    stop: async () => {},
    logs: () => '',
  };
}
