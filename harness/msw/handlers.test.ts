import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as W from '../wsman/index.ts';
import { winrmHandlers } from './index.ts';

const URL_ = 'http://winrm.test:5985/wsman';
const AUTH = `Basic ${Buffer.from('alice:S3cret-Pw!').toString('base64')}`;

const server = setupServer(
  ...winrmHandlers({
    url: URL_,
    user: 'alice',
    password: 'S3cret-Pw!',
    commands: { 'get-answer': (args) => ({ stdout: `42 ${args.join(',')}\r\n`, exitCode: 5 }) },
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let n = 0;
let timedOut = 0;
const mid = () => `uuid:00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

/** A plain fetch-based WinRM client, as a JavaScript client author would write one. */
async function post(xml: string, headers: Record<string, string> = { Authorization: AUTH }) {
  const res = await fetch(URL_, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml;charset=UTF-8', ...headers }, body: xml });
  const body = await res.text();
  return { res, body, parsed: body ? W.parseResponse(body) : undefined };
}

async function runToEnd(shellId: string, commandId: string) {
  let stdout = '';
  for (let i = 0; i < 100; i++) {
    const r = await post(W.receive(shellId, commandId, { to: URL_, messageId: mid() }));
    // A long poll that expired: w:TimedOut, and the client asks again (PROTOCOL.md).
    if (r.parsed!.fault?.subcodeLocal === 'TimedOut') {
      timedOut++;
      continue;
    }
    expect(r.res.status).toBe(200);
    for (const s of r.parsed!.streams ?? []) if (s.name === 'stdout') stdout += Buffer.from(s.data).toString('utf8');
    if (r.parsed!.commandState?.state === 'Done') return { stdout, exitCode: r.parsed!.commandState.exitCode };
  }
  throw new Error('command never finished');
}

describe('winrmHandlers (msw, Basic)', () => {
  it('answers 401 with WWW-Authenticate: Basic realm="WSMAN" without credentials, and with wrong ones', async () => {
    const none = await post(W.identify({ to: URL_, messageId: mid() }), {});
    expect(none.res.status).toBe(401);
    expect(none.res.headers.get('www-authenticate')).toBe('Basic realm="WSMAN"');
    const wrong = await post(W.identify({ to: URL_, messageId: mid() }), { Authorization: `Basic ${Buffer.from('alice:nope').toString('base64')}` });
    expect(wrong.res.status).toBe(401);
  });

  it('answers an unauthenticated Identify sent with WSMANIDENTIFY: unauthenticated', async () => {
    const r = await post(W.identify(), { WSMANIDENTIFY: 'unauthenticated' });
    expect(r.res.status).toBe(200);
    expect(r.parsed!.identify?.productVendor).toBe('Microsoft Corporation');
  });

  it('runs Identify, Create, Command, Receive, Signal, Delete with Basic', async () => {
    const messageId = mid();
    const id = await post(W.identify({ to: URL_, messageId }));
    expect(id.parsed!.identify?.protocolVersion).toBe('http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd');
    expect(id.parsed!.relatesTo).toBe(messageId);

    const created = await post(W.createShell({ to: URL_, messageId: mid() }));
    const shellId = created.parsed!.shellId!;
    expect(shellId).toMatch(/^[0-9A-F-]{36}$/);

    const cmd = await post(W.command(shellId, 'whoami', [], { to: URL_, messageId: mid() }));
    const commandId = cmd.parsed!.commandId!;
    expect(await runToEnd(shellId, commandId)).toEqual({ stdout: 'alice\r\n', exitCode: 0 });

    const sig = await post(W.signal(shellId, commandId, W.SIGNAL.terminate, { to: URL_, messageId: mid() }));
    expect(sig.res.status).toBe(200);
    const del = await post(W.deleteShell(shellId, { to: URL_, messageId: mid() }));
    expect(del.res.status).toBe(200);
    // The shell is gone: WinRM answers w:InvalidSelectors.
    const again = await post(W.deleteShell(shellId, { to: URL_, messageId: mid() }));
    expect(again.res.status).toBe(500);
    expect(again.parsed!.fault?.subcodeLocal).toBe('InvalidSelectors');
  });

  it('answers a long-running command without waiting on the wall clock, and custom commands', async () => {
    const shellId = (await post(W.createShell({ to: URL_, messageId: mid() }))).parsed!.shellId!;
    const slow = (await post(W.command(shellId, 'sleep', ['30'], { to: URL_, messageId: mid(), operationTimeoutS: 60 }))).parsed!.commandId!;
    timedOut = 0;
    expect((await runToEnd(shellId, slow)).exitCode).toBe(0);
    expect(timedOut).toBe(1); // 30 s of command against 20 s of OperationTimeout, in virtual time
    const mine = (await post(W.command(shellId, 'get-answer', ['a', 'b'], { to: URL_, messageId: mid() }))).parsed!.commandId!;
    expect(await runToEnd(shellId, mine)).toEqual({ stdout: '42 a,b\r\n', exitCode: 5 });
  });
});
