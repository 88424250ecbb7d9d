// Starts every installed real proxy product in each variant on loopback and checks, through
// it: a plain absolute-form GET, CONNECT to a non-443 port, proxy auth where the variant has it,
// and that stop() closes the port. Expectations are what these Debian 12 builds were observed
// to do (see the driver files for why).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoHttpServer, startTcpEchoServer, type RunningServer } from './loopback-servers.ts';
import { isPortOpen } from './port-probe.ts';
import { connectViaProxy, getViaProxy } from './proxy-probe.ts';
import { installedProducts } from './registry.ts';
import type { ProxyUnderTest } from './types.ts';

interface Expected {
  /** Status the product answers CONNECT to 127.0.0.1:<non-443> with (valid credentials sent). */
  connectStatus: number;
  /** Whether raw bytes written into an accepted tunnel reach the echo server and come back. */
  echo: boolean;
  /**
   * Proxy auth: 407 without credentials, offering `schemes` (Proxy-Authenticate values as Node
   * joins them); `wrongPassword` is the status for a bad Basic password (the probes send Basic).
   */
  auth?: { wrongPassword: number; schemes: RegExp };
}

const expectations: Record<string, Record<string, Expected>> = {
  squid: {
    default: { connectStatus: 403, echo: false }, // deny CONNECT !SSL_ports
    winrm: { connectStatus: 200, echo: true },
    auth: { connectStatus: 200, echo: true, auth: { wrongPassword: 407, schemes: /^Basic realm="wpc-squid"$/ } },
    // Squid lists the schemes in auth_param order: Digest first, so a client preferring it sees it first.
    'auth-digest': { connectStatus: 200, echo: true, auth: { wrongPassword: 407, schemes: /^Digest realm="wpc-squid-digest", nonce="\w+", qop="auth", stale=false, Basic realm="wpc-squid"$/ } },
    // A bare "NTLM" (the Type 2 comes only after a Type 1); Basic still checks the password.
    'auth-ntlm': { connectStatus: 200, echo: true, auth: { wrongPassword: 407, schemes: /^NTLM, Basic realm="wpc-squid"$/ } },
  },
  tinyproxy: {
    default: { connectStatus: 200, echo: true }, // no ConnectPort line: all ports allowed
    // Observed: a wrong password gets "401 Unauthorized" + WWW-Authenticate, not 407.
    auth: { connectStatus: 200, echo: true, auth: { wrongPassword: 401, schemes: /^Basic/ } },
  },
  apache2: {
    default: { connectStatus: 403, echo: false }, // AllowCONNECT default 443 563
    winrm: { connectStatus: 200, echo: true },
    pooled: { connectStatus: 200, echo: true },
  },
  haproxy: {
    default: { connectStatus: 400, echo: false }, // no CONNECT support: refused as a bad request
  },
  privoxy: {
    default: { connectStatus: 200, echo: true },
    sharing: { connectStatus: 200, echo: true },
  },
  mitmproxy: {
    // Intercepting: it parses the tunnel as TLS/HTTP, so raw non-HTTP bytes never reach the
    // server (a TLS client would instead see mitmproxy's certificate).
    default: { connectStatus: 200, echo: false },
    passthrough: { connectStatus: 200, echo: true },
  },
};

const drivers = await installedProducts();
let origin: RunningServer;
let echo: RunningServer;

beforeAll(async () => {
  origin = await startEchoHttpServer();
  echo = await startTcpEchoServer();
});
afterAll(async () => {
  await origin?.close();
  await echo?.close();
});

/** Starts, runs `body`, and always stops; then the port must be closed. */
async function withProxy(start: () => Promise<ProxyUnderTest>, body: (p: ProxyUnderTest) => Promise<void>): Promise<void> {
  const proxy = await start();
  try {
    await body(proxy);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- product log ---\n${proxy.logs()}`);
  } finally {
    await proxy.stop();
  }
  const { hostname, port } = new URL(proxy.url);
  expect(await isPortOpen(hostname, Number(port))).toBe(false);
}

describe('installed products', () => {
  it('include at least one product with a known version', async () => {
    expect(drivers.length).toBeGreaterThan(0);
    for (const d of drivers) expect(await d.version()).toMatch(/^\d+\.\d+/);
  });
});

for (const driver of drivers) {
  describe(driver.name, () => {
    it('declares an expectation for every variant', () => {
      expect(Object.keys(expectations[driver.name] ?? {}).sort()).toEqual(driver.variants.map((v) => v.name).sort());
    });

    for (const variant of driver.variants) {
      const expected = expectations[driver.name]?.[variant.name];
      it(`${variant.name}: forwards absolute-form GET, CONNECT → ${expected?.connectStatus}${expected?.auth ? ', 407 without credentials' : ''}, port closed after stop`, async () => {
        expect(expected).toBeDefined();
        await withProxy(
          () => driver.start({ variant: variant.name, targets: [`http://127.0.0.1:${origin.port}`] }),
          async (proxy) => {
            expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
            expect(proxy.product).toMatchObject({ name: driver.name, variant: variant.name });
            const target = `http://127.0.0.1:${origin.port}/wsman?probe=${variant.name}`;
            const authority = `127.0.0.1:${echo.port}`;
            if (expected!.auth) {
              expect(proxy.credentials).toBeDefined();
              const denied = await getViaProxy(proxy.url, target);
              expect(denied.status).toBe(407);
              expect(String(denied.headers['proxy-authenticate'])).toMatch(expected!.auth.schemes);
              const deniedConnect = await connectViaProxy(proxy.url, authority);
              expect(deniedConnect.status).toBe(407);
              const wrong = await getViaProxy(proxy.url, target, {
                credentials: { user: proxy.credentials!.user, password: `${proxy.credentials!.password}x` },
              });
              expect(wrong.status).toBe(expected!.auth.wrongPassword);
            } else {
              expect(proxy.credentials).toBeUndefined();
            }
            const credentials = proxy.credentials;

            const res = await getViaProxy(proxy.url, target, { credentials });
            expect(res.status).toBe(200);
            // The origin saw origin-form or absolute-form; either way the path and query arrived.
            expect(res.body).toMatch(/^wpc-origin GET (http:\/\/127\.0\.0\.1:\d+)?\/wsman\?probe=/);

            const tunnel = await connectViaProxy(proxy.url, authority, { credentials });
            expect(tunnel.status).toBe(expected!.connectStatus);
            expect(tunnel.echoed).toBe(expected!.echo);
          },
        );
      });
    }
  });
}
