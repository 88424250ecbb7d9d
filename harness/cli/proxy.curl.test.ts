// `wpc proxy` as a user starts it (the CLI's run(), the same code as the binary), driven by curl:
// absolute-form, CONNECT to a TLS server, and Basic proxy authentication (407, then success).
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity } from '../net/tcp/identity.ts';
import { run } from './proxy.ts';

function curl(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('/usr/bin/curl', ['-sS', '--max-time', '10', ...args], { timeout: 15_000 }, (err, stdout) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout }),
    );
  });
}

const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
  // What reached the origin: the proxy must have consumed Proxy-Authorization.
  res.end(`${req.method} ${req.url} proxy-authorization=${req.headers['proxy-authorization'] ?? 'none'}`);
};

let origin: http.Server;
let tlsOrigin: https.Server;
let proxyUrl: string;
const ctl = new AbortController();
let stopped: Promise<number>;

beforeAll(async () => {
  origin = http.createServer(answer);
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  const id = await generateIdentity('localhost');
  tlsOrigin = https.createServer({ cert: id.certPem, key: id.keyPem }, answer);
  await new Promise<void>((r) => tlsOrigin.listen(0, '127.0.0.1', r));
  let ready!: (line: string) => void;
  const line = new Promise<string>((r) => (ready = r));
  stopped = run(['--port', '0', '--proxy-user', 'pu', '--proxy-password', 'Pp-secret-1'], { stdout: ready, signal: ctl.signal });
  proxyUrl = /http:\/\/127\.0\.0\.1:\d+/.exec(await line)![0];
}, 30_000);

afterAll(async () => {
  ctl.abort();
  expect(await stopped).toBe(0);
  origin.closeAllConnections();
  origin.close();
  tlsOrigin.closeAllConnections();
  tlsOrigin.close();
});

describe('wpc proxy driven by curl', () => {
  const port = (s: http.Server) => (s.address() as AddressInfo).port;

  it('answers 407 with a Basic challenge without credentials', async () => {
    const r = await curl(['-x', proxyUrl, '-o', '/dev/null', '-D', '-', `http://127.0.0.1:${port(origin)}/wsman`]);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 407 /);
    expect(r.stdout).toMatch(/^Proxy-Authenticate: Basic realm="[^"]+"/im);
  });

  it('relays an absolute-form request in origin form once authenticated, Proxy-Authorization consumed', async () => {
    const r = await curl(['-x', proxyUrl, '--proxy-user', 'pu:Pp-secret-1', `http://127.0.0.1:${port(origin)}/wsman?x=1`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('GET /wsman?x=1 proxy-authorization=none');
  });

  it('opens a CONNECT tunnel to a TLS server (curl -p) once authenticated', async () => {
    const r = await curl(['-p', '-k', '-x', proxyUrl, '--proxy-user', 'pu:Pp-secret-1', `https://127.0.0.1:${port(tlsOrigin)}/tunnelled`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('GET /tunnelled proxy-authorization=none');
  });

  it('refuses a wrong proxy password with 407 again', async () => {
    const r = await curl(['-x', proxyUrl, '--proxy-user', 'pu:wrong', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${port(origin)}/`]);
    expect(r.stdout).toBe('407');
  });
});
