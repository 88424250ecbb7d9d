// Digest and NTLM proxy authentication on real sockets, driven by curl (--proxy-digest,
// --proxy-ntlm, --proxy-anyauth) against a node:http origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import type * as net from 'node:net';
import { generateIdentity, TcpNetwork } from '../net/index.ts';
import { startProxy } from './reference.ts';
import type { RunningProxy } from './types.ts';
import * as https from 'node:https';

const CURL = '/usr/bin/curl';

function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(CURL, ['-sS', '--max-time', '20', ...args], { timeout: 25_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const listen = (s: net.Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as net.AddressInfo).port)));

let network: TcpNetwork;
let proxy: RunningProxy;
let server: http.Server;
let tlsServer: https.Server;
let origin: string;
let tlsOrigin: string;
let proxyUrl: string;
const seen: Array<Record<string, string | string[] | undefined>> = [];

beforeAll(async () => {
  network = new TcpNetwork({ keepBytes: false });
  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push({ ...req.headers });
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok\n');
  };
  server = http.createServer(serve);
  origin = `http://127.0.0.1:${await listen(server)}`;
  const id = await generateIdentity('localhost');
  tlsServer = https.createServer({ cert: id.certPem, key: id.keyPem }, serve);
  tlsOrigin = `https://127.0.0.1:${await listen(tlsServer)}`;
  proxy = await startProxy(network, { host: '127.0.0.1', port: 0, proxyAuth: { user: 'pu', password: 'Proxy-Pw-4711', schemes: ['ntlm', 'digest'] } });
  proxyUrl = `http://127.0.0.1:${proxy.address.port}`;
}, 30_000);

afterAll(async () => {
  await proxy?.close();
  await network?.shutdown();
  server?.closeAllConnections();
  server?.close();
  tlsServer?.closeAllConnections();
  tlsServer?.close();
});

const status = ['-o', '/dev/null', '-w', '%{http_code}'];

describe('reference proxy on tcp: curl authenticates with Digest and NTLM', () => {
  it('curl --proxy-digest: absolute-form and CONNECT', async () => {
    const before = seen.length;
    expect((await curl(['-x', proxyUrl, '--proxy-digest', '-U', 'pu:Proxy-Pw-4711', ...status, `${origin}/d`])).stdout).toBe('200');
    expect((await curl(['-k', '-x', proxyUrl, '--proxy-digest', '-U', 'pu:Proxy-Pw-4711', ...status, `${tlsOrigin}/d`])).stdout).toBe('200');
    expect(seen.length).toBe(before + 2);
    for (const h of seen.slice(before)) expect(h['proxy-authorization']).toBeUndefined();
  });

  it('curl --proxy-ntlm: absolute-form and CONNECT', async () => {
    const before = seen.length;
    const plain = await curl(['-x', proxyUrl, '--proxy-ntlm', '-U', 'pu:Proxy-Pw-4711', ...status, `${origin}/n`]);
    expect(plain.stderr).toBe('');
    expect(plain.stdout).toBe('200');
    expect((await curl(['-k', '-x', proxyUrl, '--proxy-ntlm', '-U', 'pu:Proxy-Pw-4711', ...status, `${tlsOrigin}/n`])).stdout).toBe('200');
    expect(seen.length).toBe(before + 2);
    for (const h of seen.slice(before)) expect(h['proxy-authorization']).toBeUndefined();
  });

  it('a wrong proxy password gets 407 and nothing reaches the server', async () => {
    const before = seen.length;
    for (const flag of ['--proxy-digest', '--proxy-ntlm']) {
      expect((await curl(['-x', proxyUrl, flag, '-U', 'pu:wrong', ...status, `${origin}/w`])).stdout).toBe('407');
    }
    expect(seen.length).toBe(before);
  });
});
