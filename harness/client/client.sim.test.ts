import { describe, expect, it } from 'vitest';
import { getHeader } from '../wire/index.ts';
import { clientError, onSim, text } from './test-support.ts';

const SESSION_STEPS = ['negotiate-1', 'negotiate-3', 'Identify', 'Create', 'Command', 'Receive', 'Signal', 'Delete'];

describe('client ↔ server on sim, direct HTTP with Negotiate and encryption', () => {
  it('runs a whole session on one connection with one handshake', async () => {
    const r = await onSim(async (w) => {
      const c = w.client();
      const id = await c.identify();
      const shell = await c.createShell();
      const cmd = await c.command(shell, 'whoami');
      let res = await c.receive(shell, cmd);
      while (!res.done) res = await c.receive(shell, cmd);
      await c.signal(shell, cmd);
      await c.deleteShell(shell);
      return { id, res, c, audit: w.server.audit.entries, trace: w.net.trace.events };
    });
    expect(r.id.productVendor).toBe('Microsoft Corporation');
    expect(text(r.res.stdout).toLowerCase()).toContain('alice');
    expect(r.res.exitCode).toBe(0);
    expect(r.c.exchanges.map((e) => e.step)).toEqual(SESSION_STEPS);
    expect(new Set(r.c.exchanges.map((e) => e.conn)).size).toBe(1);
    expect(r.c.exchanges.map((e) => e.status)).toEqual([401, 200, 200, 200, 200, 200, 200, 200]);
    expect(r.c.handshakes).toBe(1);
    // Every WS-Man request reached the server sealed (MS-WSMV §2.2.9.1.1).
    const wsman = r.audit.filter((a) => a.kind === 'wsman');
    expect(wsman).toHaveLength(6);
    expect(wsman.every((a) => a.encrypted === true)).toBe(true);
    // The tag correlates the client's exchange with the server's audit entry.
    expect(wsman.map((a) => a.requestTag)).toEqual(r.c.exchanges.slice(2).map((e) => e.tag));
    // Each request and response is a trace message of the client actor.
    const msgs = r.trace.filter((e) => e.kind === 'message' && e.actor === 'client#1');
    expect(msgs.map((m) => (m.kind === 'message' ? m.dir : ''))).toEqual(SESSION_STEPS.flatMap(() => ['out', 'in']));
  });

  it('sends the handshake legs with empty bodies and the SOAP bodies without Authorization', async () => {
    const msgs = await onSim(async (w) => {
      const c = w.client();
      await c.identify();
      return w.net.trace.events.filter((e) => e.kind === 'message' && e.actor === 'client#1' && e.dir === 'out');
    });
    const [leg1, leg3, ident] = msgs.map((m) => (m.kind === 'message' ? m : undefined)!);
    expect(leg1.bodyLength).toBe(0);
    expect(getHeader(leg1.headers.map(([name, value]) => ({ name, value })), 'authorization')).toMatch(/^Negotiate TlRMTVNTUAAB/);
    expect(leg3.bodyLength).toBe(0);
    expect(getHeader(leg3.headers.map(([name, value]) => ({ name, value })), 'authorization')).toMatch(/^Negotiate TlRMTVNTUAAD/);
    const h = ident.headers.map(([name, value]) => ({ name, value }));
    expect(getHeader(h, 'authorization')).toBeUndefined();
    expect(getHeader(h, 'content-type')).toMatch(/^multipart\/encrypted;protocol="application\/HTTP-SPNEGO-session-encrypted"/);
    expect(getHeader(h, 'x-wpc-request')).toBe('client#1/3');
  });

  it('runCommand returns `gen 2000000` byte for byte and the exit code', async () => {
    const r = await onSim(async (w) => {
      const c = w.client();
      const big = await c.runCommand('gen', ['2000000']);
      const exit = await c.runCommand('exit', ['7']);
      return { big, exit, steps: c.exchanges.map((e) => e.step), hs: c.handshakes };
    });
    expect(r.big.stdout.length).toBe(2_000_000);
    expect(r.big.exitCode).toBe(0);
    expect(r.exit.exitCode).toBe(7);
    expect(r.steps.filter((s) => s === 'Receive').length).toBeGreaterThanOrEqual(3);
    expect(r.hs).toBe(1);
  });

  it('uses SPNEGO-wrapped tokens when asked', async () => {
    const r = await onSim(async (w) => {
      const c = w.client({ spnego: true });
      const out = await c.runCommand('whoami');
      const first = w.net.trace.events.find((e) => e.kind === 'message' && e.actor === 'client#1' && e.dir === 'out');
      return { out, first };
    });
    expect(text(r.out.stdout).toLowerCase()).toContain('alice');
    const auth = r.first?.kind === 'message' ? r.first.headers.find(([n]) => n === 'Authorization')?.[1] : undefined;
    // RFC 4178 §4.2.1: a NegTokenInit is DER [APPLICATION 0] (0x60) with the SPNEGO OID.
    const token = Buffer.from(auth!.split(' ')[1], 'base64');
    expect(token[0]).toBe(0x60);
    expect(token.includes(Buffer.from('NTLMSSP\0', 'latin1'))).toBe(true);
  });

  it('returns done:false with no output when the Receive times out on the server', async () => {
    const r = await onSim(async (w) => {
      const c = w.client({ operationTimeoutS: 1 });
      const shell = await c.createShell();
      const cmd = await c.command(shell, 'sleep', ['3']);
      const first = await c.receive(shell, cmd);
      let rounds = 1;
      let last = first;
      while (!last.done) {
        last = await c.receive(shell, cmd);
        rounds++;
      }
      return { first, rounds, last };
    });
    expect(r.first.done).toBe(false);
    expect(r.first.stdout.length + r.first.stderr.length).toBe(0);
    expect(r.rounds).toBeGreaterThanOrEqual(3);
    expect(r.last.exitCode).toBe(0);
  });

  it('answers an unauthenticated Identify without a handshake', async () => {
    const r = await onSim(async (w) => {
      const c = w.client();
      const id = await c.identify({ unauthenticated: true });
      return { id, c };
    });
    expect(r.id.protocolVersion).toBe('http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd');
    expect(r.c.handshakes).toBe(0);
    expect(r.c.exchanges.map((e) => e.step)).toEqual(['Identify']);
  });

  it('gives the same trace for the same seed (INV-8)', async () => {
    const run = () => onSim(async (w) => (await w.client().runCommand('gen', ['5000']), w.net.trace.serialize()), { seed: 9 });
    expect(await run()).toBe(await run());
  });
});

describe('authentication failures on sim', () => {
  it('fails with access-denied for a wrong password, after one 401 to the Type 3', async () => {
    const r = await onSim(async (w) => {
      const c = w.client({ password: 'wrong' });
      return { e: await clientError(c.identify()), c };
    });
    expect(r.e.code).toBe('access-denied');
    expect(r.e.message).not.toContain('wrong');
    expect(r.c.exchanges.map((e) => `${e.step} ${e.status}`)).toEqual(['negotiate-1 401', 'negotiate-3 401']);
  });

  it('uses Basic on every request when asked, over direct HTTP with AllowUnencrypted', async () => {
    const r = await onSim(
      async (w) => {
        const c = w.client({ auth: 'basic' });
        const out = await c.runCommand('whoami');
        const outs = w.net.trace.events.filter((e) => e.kind === 'message' && e.actor === 'client#1' && e.dir === 'out');
        return { out, outs, c };
      },
      { server: { auth: ['negotiate', 'basic'], allowUnencrypted: true } },
    );
    expect(text(r.out.stdout).toLowerCase()).toContain('alice');
    expect(r.outs.every((m) => m.kind === 'message' && m.headers.some(([n, v]) => n === 'Authorization' && v.startsWith('Basic ')))).toBe(true);
    expect(r.c.exchanges[0].step).toBe('Create');
  });

  it('re-authenticates on a new connection when the server closed the idle connection, counting handshakes', async () => {
    const r = await onSim(
      async (w) => {
        const c = w.client();
        const shell = await c.createShell();
        await w.net.clock.sleep(3000); // longer than the server's idle timeout
        const cmd = await c.command(shell, 'whoami');
        let res = await c.receive(shell, cmd);
        while (!res.done) res = await c.receive(shell, cmd);
        return { res, c };
      },
      { server: { idleTimeoutMs: 2000 } },
    );
    expect(text(r.res.stdout).toLowerCase()).toContain('alice');
    expect(r.c.handshakes).toBe(2);
    expect(r.c.exchanges.map((e) => e.step)).toEqual(['negotiate-1', 'negotiate-3', 'Create', 'negotiate-1', 'negotiate-3', 'Command', 'Receive']);
    const conns = [...new Set(r.c.exchanges.map((e) => e.conn))];
    expect(conns).toHaveLength(2);
  });

  it('fails closed with access-denied after bounded re-authentications when every connection closes after its 200', async () => {
    const r = await onSim(
      async (w) => {
        const c = w.client({ winhttp: { proxyServer: w.proxyServer } });
        return { e: await clientError(c.runCommand('whoami')), c, audit: w.server.audit.entries };
      },
      { proxy: { faults: ['close-after-2xx'] } },
    );
    expect(r.e.code).toBe('access-denied');
    expect(r.c.handshakes).toBe(3);
    expect(new Set(r.c.exchanges.map((e) => e.conn)).size).toBe(3);
    expect(r.audit.filter((a) => a.kind === 'wsman')).toHaveLength(0);
  });
});
