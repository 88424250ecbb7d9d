// WS-Man over an authenticated connection: message encryption, AllowUnencrypted policy,
// replay, and the Receive long poll on virtual time.

import { describe, expect, it } from 'vitest';
import { getHeader, hasToken } from '../wire/index.ts';
import { SIGNAL, command, createShell, deleteShell, identify, receive, signal } from '../wsman/index.ts';
import { encryptMessage } from '../encryption/index.ts';
import { USER, onSim } from './test-fixture.ts';
import { SOAP_CT, authenticate, call } from './test-winrm.ts';

const TO = 'http://127.0.0.1:5985/wsman';
const ids = () => {
  let n = 0;
  return () => `uuid:00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};
const text = (chunks: { name: string; data: Uint8Array }[] | undefined, name: string): string =>
  Buffer.concat((chunks ?? []).filter((c) => c.name === name).map((c) => c.data)).toString('latin1');

describe('server session', () => {
  it('serves an encrypted Identify/Create/Command/Receive/Signal/Delete session and audits each request', async () => {
    const r = await onSim(async (f) => {
      const http = await f.open();
      const { session } = await authenticate(http, { ...USER, random: f.random });
      const id = ids();
      const o = () => ({ to: TO, messageId: id() });
      const ident = await call(http, identify({ to: TO, messageId: id() }), { session });
      const created = await call(http, createShell(o()), { session });
      const shellId = created.parsed!.shellId!;
      const cmd = await call(http, command(shellId, 'whoami', [], o()), { session, headers: [['X-Wpc-Request', 'req-7']] });
      const commandId = cmd.parsed!.commandId!;
      const out = await call(http, receive(shellId, commandId, o()), { session });
      const exit = await call(http, command(shellId, 'exit', ['3'], o()), { session });
      const exitOut = await call(http, receive(shellId, exit.parsed!.commandId!, o()), { session });
      const sigReq = o();
      const sig = await call(http, signal(shellId, commandId, SIGNAL.terminate, sigReq), { session });
      const delReq = o();
      const del = await call(http, deleteShell(shellId, delReq), { session });
      return { ident, created, cmd, out, exitOut, sig, sigReq, del, delReq, audit: f.server.audit.entries };
    });
    for (const c of [r.ident, r.created, r.cmd, r.out, r.sig, r.del]) {
      expect(c.res.status).toBe(200);
      expect(getHeader(c.res.headers, 'content-type')).toBe(
        'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"',
      );
    }
    expect(r.ident.xml).toContain('IdentifyResponse');
    expect(text(r.out.parsed!.streams, 'stdout')).toBe('winrm-sim\\alice\r\n');
    expect(r.out.parsed!.commandState?.exitCode).toBe(0);
    expect(r.exitOut.parsed!.commandState?.exitCode).toBe(3);
    expect(r.sig.parsed!.relatesTo).toBe(r.sigReq.messageId);
    expect(r.del.parsed!.relatesTo).toBe(r.delReq.messageId);
    const wsman = r.audit.filter((e) => e.kind === 'wsman');
    expect(wsman.map((e) => e.action)).toEqual(['Identify', 'Create', 'Command', 'Receive', 'Command', 'Receive', 'Signal', 'Delete']);
    for (const e of wsman) expect(e).toMatchObject({ encrypted: true, identity: 'WINRM-SIM\\alice', status: 200 });
    const cmdEntry = wsman[2];
    expect(cmdEntry).toMatchObject({ requestTag: 'req-7', commandId: r.cmd.parsed!.commandId, commandLine: 'whoami' });
    expect(wsman[3].responseBytes).toBe(new TextEncoder().encode(r.out.xml).length);
  });

  it('answers a clear SOAP body after Negotiate with 500, empty body and Connection: close (AllowUnencrypted=false)', async () => {
    const r = await onSim(async (f) => {
      const http = await f.open();
      await authenticate(http, { ...USER, random: f.random });
      const res = await http.post([['Content-Type', SOAP_CT]], identify({ to: TO, messageId: 'uuid:1' }));
      await http.closedP;
      return { res, closed: http.closed, audit: f.server.audit.entries.at(-1)! };
    });
    expect(r.res.status).toBe(500);
    expect(r.res.body.length).toBe(0);
    expect(hasToken(r.res.headers, 'connection', 'close')).toBe(true);
    expect(r.closed).toBe(true);
    expect(r.audit).toMatchObject({ kind: 'rejected', status: 500, encrypted: false });
  });

  it('serves a clear SOAP body after Negotiate when AllowUnencrypted is true', async () => {
    const r = await onSim(
      async (f) => {
        const http = await f.open();
        await authenticate(http, { ...USER, random: f.random });
        return call(http, createShell({ to: TO, messageId: 'uuid:1' }));
      },
      { allowUnencrypted: true },
    );
    expect(r.res.status).toBe(200);
    expect(getHeader(r.res.headers, 'content-type')).toBe(SOAP_CT);
    expect(r.parsed?.shellId).toBeTruthy();
  });

  it('rejects a replayed sealed message with 401 and drops the security context', async () => {
    const r = await onSim(async (f) => {
      const http = await f.open();
      const { session } = await authenticate(http, { ...USER, random: f.random });
      const sealed = encryptMessage(session, new TextEncoder().encode(identify({ to: TO, messageId: 'uuid:1' })));
      const first = await http.post([['Content-Type', sealed.contentType]], sealed.body);
      const replay = await http.post([['Content-Type', sealed.contentType]], sealed.body);
      const after = await http.post([['Content-Type', SOAP_CT]], identify({ to: TO, messageId: 'uuid:2' }));
      return { first, replay, after, audit: f.server.audit.entries };
    });
    expect(r.first.status).toBe(200);
    expect(r.replay.status).toBe(401);
    expect(r.audit.at(-2)).toMatchObject({ kind: 'rejected', status: 401, encrypted: true });
    expect(r.audit.at(-2)!.reason).toMatch(/bad-sequence/);
    // The context is gone: the next request is challenged, never served.
    expect(r.after.status).toBe(401);
    expect(r.audit.at(-1)!.kind).toBe('challenge');
  });

  it('answers a malformed encrypted body with 400 and an empty body', async () => {
    const r = await onSim(async (f) => {
      const http = await f.open();
      await authenticate(http, { ...USER, random: f.random });
      const ct = 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"';
      const res = await http.post([['Content-Type', ct]], 'not a multipart body');
      return { res, audit: f.server.audit.entries.at(-1)! };
    });
    expect(r.res.status).toBe(400);
    expect(r.res.body.length).toBe(0);
    expect(r.audit.kind).toBe('rejected');
  });

  it('holds a Receive for OperationTimeout on virtual time, then answers the TimedOut fault with HTTP 500', async () => {
    const r = await onSim(async (f) => {
      const http = await f.open();
      const { session } = await authenticate(http, { ...USER, random: f.random });
      const id = ids();
      const shellId = (await call(http, createShell({ to: TO, messageId: id() }), { session })).parsed!.shellId!;
      const commandId = (await call(http, command(shellId, 'sleep', ['100'], { to: TO, messageId: id() }), { session })).parsed!.commandId!;
      const t0 = f.net.clock.now();
      const timedOut = await call(http, receive(shellId, commandId, { to: TO, messageId: id(), operationTimeoutS: 5 }), { session });
      const held = f.net.clock.now() - t0;
      return { timedOut, held, audit: f.server.audit.entries.at(-1)! };
    });
    expect(r.timedOut.res.status).toBe(500);
    expect(r.timedOut.parsed?.fault?.subcodeLocal).toBe('TimedOut');
    expect(r.timedOut.parsed?.fault?.wsmanCode).toBe(2150858793);
    expect(r.held).toBeGreaterThanOrEqual(5000);
    expect(r.held).toBeLessThan(5100);
    expect(r.audit).toMatchObject({ kind: 'wsman', action: 'Receive', status: 500 });
  });

  it('caps the hold at maxOperationTimeoutMs and ends it early when the command finishes', async () => {
    const r = await onSim(
      async (f) => {
        const http = await f.open();
        const { session } = await authenticate(http, { ...USER, random: f.random });
        const id = ids();
        const shellId = (await call(http, createShell({ to: TO, messageId: id() }), { session })).parsed!.shellId!;
        const long = (await call(http, command(shellId, 'sleep', ['100'], { to: TO, messageId: id() }), { session })).parsed!.commandId!;
        let t0 = f.net.clock.now();
        const capped = await call(http, receive(shellId, long, { to: TO, messageId: id(), operationTimeoutS: 60 }), { session });
        const cappedMs = f.net.clock.now() - t0;
        const short = (await call(http, command(shellId, 'sleep', ['2'], { to: TO, messageId: id() }), { session })).parsed!.commandId!;
        t0 = f.net.clock.now();
        const done = await call(http, receive(shellId, short, { to: TO, messageId: id(), operationTimeoutS: 20 }), { session });
        return { capped, cappedMs, done, doneMs: f.net.clock.now() - t0 };
      },
      { maxOperationTimeoutMs: 3000 },
    );
    expect(r.capped.parsed?.fault?.subcodeLocal).toBe('TimedOut');
    expect(r.cappedMs).toBeGreaterThanOrEqual(3000);
    expect(r.cappedMs).toBeLessThan(3100);
    expect(r.done.res.status).toBe(200);
    expect(r.done.parsed?.commandState?.state).toBe('Done');
    expect(r.doneMs).toBeGreaterThanOrEqual(1900);
    expect(r.doneMs).toBeLessThan(2100);
  });

  it('drops a held Receive when the client closes the connection', async () => {
    const r = await onSim(async (f) => {
      const http = await f.open();
      const { session } = await authenticate(http, { ...USER, random: f.random });
      const id = ids();
      const shellId = (await call(http, createShell({ to: TO, messageId: id() }), { session })).parsed!.shellId!;
      const commandId = (await call(http, command(shellId, 'sleep', ['100'], { to: TO, messageId: id() }), { session })).parsed!.commandId!;
      const pending = call(http, receive(shellId, commandId, { to: TO, messageId: id(), operationTimeoutS: 20 }), { session }).catch((e: Error) => e.message);
      await f.net.clock.sleep(1000);
      http.close();
      const outcome = await pending;
      await f.net.clock.sleep(30_000);
      return { outcome, audit: f.server.audit.entries };
    });
    expect(r.outcome).toMatch(/closed/);
    expect(r.audit.filter((e) => e.action === 'Receive')).toEqual([]);
  });
});
