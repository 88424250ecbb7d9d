// The reference proxy on real sockets, driven by curl against node:http / node:https servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, TcpNetwork } from '../net/index.ts';
import { startProxy } from './reference.ts';
import type { RunningProxy } from './types.ts';

const CURL = '/usr/bin/curl';
const MiB = 1 << 20;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Seen {
  port: number; // server-side view of the proxy's connection: its remote port
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  bodySha: string;
}

function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(CURL, ['-sS', '--max-time', '20', ...args], { timeout: 25_000, maxBuffer: 16 * MiB }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const bigBody = Buffer.alloc(5 * MiB, 0).map((_, i) => (i * 131) & 0xff);

function handler(seen: Seen[]) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      const port = req.socket.remotePort ?? 0;
      seen.push({ port, method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, bodySha: sha(body) });
      if (req.url === '/big') {
        res.writeHead(200, { 'Content-Length': String(bigBody.length), 'X-Server-Conn': String(port) });
        res.end(bigBody);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Server-Conn': String(port), 'X-Body-Sha': sha(body) });
      res.end(`conn=${port}\n`);
    });
  };
}

let proxy: RunningProxy;
let authProxy: RunningProxy;
let network: TcpNetwork;
let server: http.Server;
let tlsServer: https.Server;
let seen: Seen[] = [];
let tlsSeen: Seen[] = [];
let dir: string;
let proxyUrl: string;
let origin: string;

function listen(s: net.Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port)));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wpc-proxy-'));
  network = new TcpNetwork({ keepBytes: false });
  server = http.createServer(handler(seen));
  origin = `http://127.0.0.1:${await listen(server)}`;
  const id = await generateIdentity('localhost');
  tlsServer = https.createServer({ cert: id.certPem, key: id.keyPem }, handler(tlsSeen));
  await listen(tlsServer);
  proxy = await startProxy(network, { host: '127.0.0.1', port: 0 });
  authProxy = await startProxy(network, { host: '127.0.0.1', port: 0, actor: 'auth-proxy', proxyAuth: { user: 'pu', password: 'pp' } });
  proxyUrl = `http://127.0.0.1:${proxy.address.port}`;
}, 30_000);

afterAll(async () => {
  await proxy?.close();
  await authProxy?.close();
  await network?.shutdown();
  server?.closeAllConnections();
  server?.close();
  tlsServer?.closeAllConnections();
  tlsServer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('reference proxy on tcp (curl)', () => {
  it('keeps one server connection per curl connection, and two for two curls', async () => {
    seen.length = 0;
    const one = await curl(['-x', proxyUrl, `${origin}/a`, `${origin}/b`, `${origin}/c`]);
    expect(one.code).toBe(0);
    const two = await curl(['-x', proxyUrl, `${origin}/d`]);
    expect(two.code).toBe(0);
    expect(seen.map((s) => s.url)).toEqual(['/a', '/b', '/c', '/d']);
    expect(new Set(seen.slice(0, 3).map((s) => s.port)).size).toBe(1);
    expect(seen[3].port).not.toBe(seen[0].port);
  });

  it('removes hop-by-hop headers and adds Via', async () => {
    seen.length = 0;
    const r = await curl([
      '-x', proxyUrl,
      '-H', 'Connection: X-Foo', '-H', 'X-Foo: hop', '-H', 'Keep-Alive: timeout=5',
      '-H', 'Proxy-Connection: keep-alive', '-H', 'TE: trailers', '-H', 'X-End: kept',
      `${origin}/h`,
    ]);
    expect(r.code).toBe(0);
    const h = seen[0].headers;
    for (const hop of ['connection', 'x-foo', 'keep-alive', 'proxy-connection', 'te']) expect(h[hop]).toBeUndefined();
    expect(h['x-end']).toBe('kept');
    expect(h['via']).toBe('1.1 wpc');
    expect(h['host']).toBe(new URL(origin).host);
    expect(seen[0].url).toBe('/h');
  });

  it('carries a 5 MiB POST body and a 5 MiB response body intact', async () => {
    seen.length = 0;
    const file = join(dir, 'big.bin');
    writeFileSync(file, bigBody);
    const post = await curl(['-x', proxyUrl, '--data-binary', `@${file}`, '-H', 'Content-Type: application/octet-stream', '-D', '-', '-o', '/dev/null', `${origin}/post`]);
    expect(post.code).toBe(0);
    expect(seen[0].bodySha).toBe(sha(bigBody));
    const out = join(dir, 'down.bin');
    const get = await curl(['-x', proxyUrl, '-o', out, `${origin}/big`]);
    expect(get.code).toBe(0);
    expect(sha(readFileSync(out))).toBe(sha(bigBody));
  }, 30_000);

  it('tunnels CONNECT to an HTTPS server on a non-443 port (curl -p -k)', async () => {
    tlsSeen.length = 0;
    const tlsPort = (tlsServer.address() as net.AddressInfo).port;
    const r = await curl(['-p', '-x', proxyUrl, '-k', `https://127.0.0.1:${tlsPort}/tunnelled`, `https://127.0.0.1:${tlsPort}/again`]);
    expect(r.code).toBe(0);
    expect(tlsSeen.map((s) => s.url)).toEqual(['/tunnelled', '/again']);
    expect(tlsSeen[0].port).toBe(tlsSeen[1].port);
    expect(tlsSeen[0].headers['via']).toBeUndefined(); // end to end: the proxy saw only TLS
  });

  it('asks for Basic proxy credentials with 407, accepts them, and never forwards them', async () => {
    seen.length = 0;
    tlsSeen.length = 0;
    const authUrl = `http://127.0.0.1:${authProxy.address.port}`;
    const denied = await curl(['-x', authUrl, '-o', '/dev/null', '-w', '%{http_code}', `${origin}/x`]);
    expect(denied.stdout).toBe('407');
    expect(seen).toHaveLength(0);
    const ok = await curl(['-x', authUrl, '--proxy-user', 'pu:pp', `${origin}/x`]);
    expect(ok.code).toBe(0);
    expect(seen[0].headers['proxy-authorization']).toBeUndefined();
    const tlsPort = (tlsServer.address() as net.AddressInfo).port;
    const deniedTunnel = await curl(['-p', '-x', authUrl, '-k', '-o', '/dev/null', '-w', '%{http_connect}', `https://127.0.0.1:${tlsPort}/t`]);
    expect(deniedTunnel.stdout).toBe('407');
    const tunnel = await curl(['-p', '-x', authUrl, '--proxy-user', 'pu:pp', '-k', `https://127.0.0.1:${tlsPort}/t`]);
    expect(tunnel.code).toBe(0);
    expect(tlsSeen).toHaveLength(1);
    expect(tlsSeen[0].headers['proxy-authorization']).toBeUndefined();
  });

  it('answers a malformed request with 400 and a one-line reason', async () => {
    const reply = await raw(proxy.address.port, 'GET http://127.0.0.1/ HTTP/1.1\r\nNo colon here\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(reply).toMatch(/\r\n\r\nBad Request: [^\n]+\n$/);
  });

  it('answers 502 naming the target when the port is closed', async () => {
    const probe = net.createServer();
    const port = await listen(probe);
    await new Promise((r) => probe.close(r));
    const r = await curl(['-x', proxyUrl, '-w', '\n%{http_code}', `http://127.0.0.1:${port}/`]);
    expect(r.stdout).toBe(`Bad Gateway: connect to 127.0.0.1:${port} refused\n\n502`);
  });
});

/** Sends raw bytes and reads until the proxy closes (bounded). */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const parts: Buffer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('no close within 5 s'));
    }, 5000);
    sock.on('data', (d) => parts.push(d));
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(parts).toString('latin1'));
    });
    sock.on('error', () => undefined);
    sock.write(text);
  });
}
