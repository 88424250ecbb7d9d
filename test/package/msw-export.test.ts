// The msw adapter is exported from the package as compiled JavaScript: a client author's plain
// Node 20 project (no TypeScript loader) imports `winrm-proxy-conformance/msw` through the
// "exports" map and runs an Identify against it.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

const consumer = `
import { setupServer } from 'msw/node';
import { winrmHandlers, BASIC_CHALLENGE } from 'winrm-proxy-conformance/msw';
const url = 'http://winrm.test:5985/wsman';
const server = setupServer(...winrmHandlers({ url, user: 'alice', password: 'pw' }));
server.listen({ onUnhandledRequest: 'error' });
const identify = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsmid="http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"><s:Header/><s:Body><wsmid:Identify/></s:Body></s:Envelope>';
const post = (headers) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml;charset=UTF-8', ...headers }, body: identify });
const denied = await post({});
const ok = await post({ Authorization: 'Basic ' + Buffer.from('alice:pw').toString('base64') });
console.log(JSON.stringify({ denied: denied.status, challenge: denied.headers.get('www-authenticate'), expected: BASIC_CHALLENGE, ok: ok.status, body: await ok.text() }));
server.close();
`;

describe('package exports', () => {
  it('serves winrm-proxy-conformance/msw as JavaScript to a consumer without a TypeScript loader', async () => {
    await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, timeout: 120_000 });
    const app = mkdtempSync(join(tmpdir(), 'wpc-consumer-'));
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(root, join(app, 'node_modules', 'winrm-proxy-conformance'));
    symlinkSync(join(root, 'node_modules', 'msw'), join(app, 'node_modules', 'msw'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(app, 'main.js'), consumer);
    const { stdout } = await run(process.execPath, ['main.js'], { cwd: app, timeout: 60_000 });
    const r = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(r.denied).toBe(401);
    expect(r.challenge).toBe(r.expected);
    expect(r.ok).toBe(200);
    expect(r.body).toContain('IdentifyResponse');
  }, 180_000);
});
