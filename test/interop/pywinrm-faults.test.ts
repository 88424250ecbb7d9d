// The real pywinrm 0.3.0 through misbehaving proxies: what the seed warns of, seen from a client
// nobody here wrote (PROTOCOL.md "Real clients"). A proxy that breaks connection affinity makes
// the NTLM session fail — it never silently succeeds on another connection — while the controls
// (legal variations) leave pywinrm working.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpNetwork } from '../../harness/net/index.ts';
import { startProxy } from '../../harness/proxy/index.ts';
import { startWinrmServer } from '../../harness/server/index.ts';
import type { WinrmServer } from '../../harness/server/index.ts';
import { runPywinrm } from './pywinrm.ts';

const USER = 'wpc';
const PASSWORD = 'Fault-Interop-Pw-1!';
const random = { bytes: (n: number) => new Uint8Array(randomBytes(n)) };

let net: TcpNetwork;
let server: WinrmServer;

beforeAll(async () => {
  net = new TcpNetwork({ keepBytes: false });
  server = await startWinrmServer(net, { httpPort: 0, users: [{ user: USER, password: PASSWORD }], random });
});

afterAll(async () => {
  await server?.close();
  await net?.shutdown();
});

async function throughProxy(faults: string[]) {
  const proxy = await startProxy(net, { host: '127.0.0.1', port: 0, faults });
  const before = server.audit.entries.length;
  try {
    const proxyUrl = `http://127.0.0.1:${proxy.address.port}`;
    const r = await runPywinrm({
      url: `http://127.0.0.1:${server.http!.port}/wsman`,
      transport: 'ntlm',
      encryption: 'auto',
      user: USER,
      password: PASSWORD,
      cmd: 'echo',
      args: ['through', ...faults],
      env: { HTTP_PROXY: proxyUrl, http_proxy: proxyUrl },
    });
    return { r, audit: server.audit.entries.slice(before) };
  } finally {
    await proxy.close();
  }
}

describe('pywinrm through misbehaving proxies', () => {
  it.each([['slicer'], ['rechunk'], ['header-case'], ['latency']])('still runs a command through the control %s', async (control) => {
    const { r } = await throughProxy([control]);
    expect(r.error, r.raw).toBeUndefined();
    expect(r.stdout.toString()).toBe(`through ${control}\r\n`);
  });

  it('fails when the proxy sends the Type 3 on another server connection (new-upstream-per-request), and the server ran nothing', async () => {
    const { r, audit } = await throughProxy(['new-upstream-per-request']);
    expect(r.error, r.raw).toBeDefined();
    expect(audit.some((e) => e.kind === 'auth-failed')).toBe(true);
    expect(audit.filter((e) => e.commandLine)).toEqual([]);
  });

  it('fails when the proxy closes the connection after the 200 that ends the handshake (close-after-2xx), and the server ran nothing', async () => {
    const { r, audit } = await throughProxy(['close-after-2xx']);
    expect(r.error, r.raw).toBeDefined();
    expect(audit.filter((e) => e.commandLine)).toEqual([]);
  });

  it('fails when the proxy downgrades to HTTP/1.0 with Connection: close (http10)', async () => {
    const { r } = await throughProxy(['http10']);
    expect(r.error, r.raw).toBeDefined();
  });
});
