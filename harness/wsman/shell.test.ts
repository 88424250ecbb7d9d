import { describe, expect, it } from 'vitest';
import { ShellHost, SIGNALLED_EXIT_CODE, type HandleResult } from './shell.ts';
import * as Q from './request.ts';
import { parseRequest, parseResponse } from './parse.ts';
import { SIGNAL } from './namespaces.ts';
import { genBytes } from './output.ts';
import type { WsmanResponse } from './types.ts';

const ALICE = { user: 'CORP\\Alice' };
const BOB = { user: 'CORP\\Bob' };

function setup(extra: Partial<ConstructorParameters<typeof ShellHost>[0]> = {}) {
  const clock = { t: 1_000 };
  const host = new ShellHost({ hostname: 'WIN-SRV01', now: () => clock.t, seed: 'test', ...extra });
  let n = 0;
  const o = (timeoutS?: number) => ({ to: 'http://win-srv01:5985/wsman', messageId: `uuid:00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, operationTimeoutS: timeoutS });
  /** Send a request; returns the parsed answer and asserts RelatesTo matches. */
  const send = (xml: string, ctx = ALICE): { res: HandleResult; r?: WsmanResponse } => {
    const res = host.handleXml(xml, ctx);
    if (res.kind !== 'response') return { res };
    const r = parseResponse(res.xml);
    expect(r.relatesTo).toBe(parseRequest(xml).messageId);
    return { res, r };
  };
  const open = (ctx = ALICE) => send(Q.createShell(o()), ctx).r!.shellId!;
  const run = (shellId: string, cmd: string, args: string[] = [], ctx = ALICE) => send(Q.command(shellId, cmd, args, o()), ctx).r!.commandId!;
  /** Receive until Done as pywinrm does (retrying TimedOut), advancing the clock through holds. */
  const collect = (shellId: string, commandId: string) => {
    const out = { stdout: [] as Uint8Array[], stderr: [] as Uint8Array[], exitCode: -1, receives: 0, timeouts: 0 };
    for (;;) {
      let res = host.handleXml(Q.receive(shellId, commandId, o()), ALICE);
      while (res.kind === 'hold') {
        clock.t = Math.max(clock.t, res.untilMs);
        res = res.resume();
      }
      const r = parseResponse(res.xml);
      if (r.fault) {
        expect(r.fault.subcodeLocal).toBe('TimedOut');
        out.timeouts++;
        continue;
      }
      out.receives++;
      for (const s of r.streams!) (s.name === 'stdout' ? out.stdout : out.stderr).push(s.data);
      if (r.commandState!.state === 'Done') {
        out.exitCode = r.commandState!.exitCode!;
        return { ...out, out: Buffer.concat(out.stdout), err: Buffer.concat(out.stderr) };
      }
    }
  };
  return { host, clock, o, send, open, run, collect };
}

describe('ShellHost lifecycle (Identify → Create → Command → Receive → Signal → Delete)', () => {
  it('runs a whole session with the expected outputs and exit codes', () => {
    const { host, send, open, run, collect, o } = setup();
    const id = send(Q.identify({ messageId: 'uuid:ident' }));
    expect(id.r!.identify!.productVendor).toBe('Microsoft Corporation');

    const shellId = open();
    expect(host.shellIds()).toEqual([shellId]);

    const cases: Array<[string, string[], string, string, number]> = [
      ['hostname', [], 'WIN-SRV01\r\n', '', 0],
      ['whoami', [], 'corp\\alice\r\n', '', 0],
      ['echo', ['hello', 'world'], 'hello world\r\n', '', 0],
      ['echo hello', [], 'hello\r\n', '', 0],
      ['exit', ['7'], '', '', 7],
      ['type-stderr', ['oops'], '', 'oops\r\n', 1],
      ['frobnicate', ['x'], '', "'frobnicate' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n", 1],
    ];
    for (const [cmd, args, stdout, stderr, code] of cases) {
      const commandId = run(shellId, cmd, args);
      const got = collect(shellId, commandId);
      expect([cmd, got.out.toString(), got.err.toString(), got.exitCode]).toEqual([cmd, stdout, stderr, code]);
      const sig = send(Q.signal(shellId, commandId, SIGNAL.terminate, o()));
      expect(sig.r!.fault).toBeUndefined();
    }
    expect(send(Q.deleteShell(shellId, o())).r!.fault).toBeUndefined();
    expect(host.shellIds()).toEqual([]);
    // The shell is gone: its id is now an invalid selector.
    expect(send(Q.command(shellId, 'hostname', [], o())).r!.fault!.subcodeLocal).toBe('InvalidSelectors');
  });

  it('whoami names the identity the host is given for the authenticated user', () => {
    const { open, run, collect } = setup({ identity: (u) => `ad\\${u.split('\\')[1]!.toLowerCase()}` });
    const shellId = open();
    expect(collect(shellId, run(shellId, 'whoami')).out.toString()).toBe('ad\\alice\r\n');
  });

  it('ids are deterministic for a seed and differ between seeds', () => {
    const a = setup({ seed: 1 }), b = setup({ seed: 1 }), c = setup({ seed: 2 });
    const ids = (s: ReturnType<typeof setup>) => { const sh = s.open(); return [sh, s.run(sh, 'hostname')]; };
    const [ia, ib, ic] = [ids(a), ids(b), ids(c)];
    expect(ia).toEqual(ib);
    expect(ia[0]).not.toBe(ic[0]);
    expect(ia[0]).toMatch(/^[0-9A-F]{8}-0000-4000-8000-[0-9A-F]{12}$/);
  });
});

describe('gen: exact sizes over several Receives of at most 1 MiB', () => {
  it.each([0, 1, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 12345])('gen %i', (size) => {
    const { open, run, collect } = setup();
    const shellId = open();
    const got = collect(shellId, run(shellId, 'gen', [String(size)]));
    expect(got.out.length).toBe(size);
    expect(got.out.equals(Buffer.from(genBytes(0, size)))).toBe(true);
    expect(got.stdout.every((c) => c.length <= 1024 * 1024)).toBe(true);
    expect(got.receives).toBe(Math.max(1, Math.ceil(size / (1024 * 1024))));
    expect(got.exitCode).toBe(0);
  });

  it('16 MiB is the limit', () => {
    const { open, run, collect } = setup({ maxReceiveBytes: 4 * 1024 * 1024 });
    const shellId = open();
    const big = collect(shellId, run(shellId, 'gen', [String(16 * 1024 * 1024)]));
    expect([big.out.length, big.receives]).toEqual([16 * 1024 * 1024, 4]);
    const over = collect(shellId, run(shellId, 'gen', [String(16 * 1024 * 1024 + 1)]));
    expect([over.out.length, over.exitCode]).toEqual([0, 1]);
  });
});

describe('Receive is a long poll', () => {
  it('a finished command with all output delivered answers Done at once', () => {
    const { host, open, run, o } = setup();
    const shellId = open();
    const res = host.handleXml(Q.receive(shellId, run(shellId, 'hostname'), o()), ALICE);
    expect(res.kind).toBe('response');
  });

  it('sleep longer than OperationTimeout: held until the deadline, then TimedOut; then Done after the sleep', () => {
    const { host, clock, open, run, o } = setup();
    const shellId = open();
    const commandId = run(shellId, 'sleep', ['30']); // ends at t = 31_000
    const first = host.handleXml(Q.receive(shellId, commandId, o(20)), ALICE);
    if (first.kind !== 'hold') throw new Error('expected a hold');
    expect([first.untilMs, first.deadlineMs]).toEqual([21_000, 21_000]);
    // Resumed early (e.g. a spurious wake-up): still held.
    clock.t = 5_000;
    expect(first.resume().kind).toBe('hold');
    clock.t = 21_000;
    const timedOut = first.resume();
    if (timedOut.kind !== 'response') throw new Error('expected a response');
    expect([timedOut.status, timedOut.fault]).toEqual([500, 'TimedOut']);
    expect(parseResponse(timedOut.xml).fault!.wsmanCode).toBe(2150858793);

    const second = host.handleXml(Q.receive(shellId, commandId, o(20)), ALICE);
    if (second.kind !== 'hold') throw new Error('expected a hold');
    expect(second.untilMs).toBe(31_000); // the command ends before this poll's deadline (41_000)
    clock.t = 31_000;
    const done = second.resume();
    if (done.kind !== 'response') throw new Error('expected a response');
    expect(parseResponse(done.xml).commandState).toMatchObject({ state: 'Done', exitCode: 0 });
  });

  it('a held Receive ends when the command is terminated by Signal', () => {
    const { host, open, run, o, send } = setup();
    const shellId = open();
    const commandId = run(shellId, 'sleep', ['100']);
    const held = host.handleXml(Q.receive(shellId, commandId, o(20)), ALICE);
    if (held.kind !== 'hold') throw new Error('expected a hold');
    send(Q.signal(shellId, commandId, SIGNAL.terminate, o()));
    const after = held.resume();
    if (after.kind !== 'response') throw new Error('expected a response');
    expect(parseResponse(after.xml).commandState).toMatchObject({ state: 'Done', exitCode: SIGNALLED_EXIT_CODE });
    // terminate released the command.
    expect(send(Q.receive(shellId, commandId, o())).r!.fault!.subcodeLocal).toBe('InvalidParameter');
  });

  it('ctrl_c stops a running command and leaves it to be received', () => {
    const { open, run, o, send, collect } = setup();
    const shellId = open();
    const commandId = run(shellId, 'sleep', ['100']);
    send(Q.signal(shellId, commandId, SIGNAL.ctrl_c, o()));
    expect(collect(shellId, commandId)).toMatchObject({ exitCode: SIGNALLED_EXIT_CODE, timeouts: 0 });
  });
});

describe('shell ownership and addressing faults', () => {
  it('another user gets AccessDenied on every shell operation; the owner (any case) does not', () => {
    const { open, run, o, send } = setup();
    const shellId = open();
    const commandId = run(shellId, 'hostname');
    for (const xml of [
      Q.command(shellId, 'hostname', [], o()),
      Q.receive(shellId, commandId, o()),
      Q.signal(shellId, commandId, SIGNAL.terminate, o()),
      Q.deleteShell(shellId, o()),
    ]) {
      const { res, r } = send(xml, BOB);
      expect(res.kind === 'response' && res.status).toBe(500);
      expect([r!.fault!.subcode, r!.fault!.wsmanCode, r!.fault!.machine]).toEqual(['w:AccessDenied', 5, 'WIN-SRV01']);
    }
    expect(send(Q.command(shellId, 'hostname', [], o()), { user: 'corp\\ALICE' }).r!.commandId).toBeDefined();
  });

  it('unknown ShellId → InvalidSelectors (2150858843)', () => {
    const { o, send } = setup();
    expect(send(Q.receive('NOPE', 'C', o())).r!.fault).toMatchObject({ code: 'Sender', subcode: 'w:InvalidSelectors', wsmanCode: 2150858843 });
  });

  it('malformed XML → SchemaValidationError fault, HTTP 500', () => {
    const { host } = setup();
    const res = host.handleXml('<s:Envelope', ALICE);
    if (res.kind !== 'response') throw new Error('expected a response');
    expect(res.status).toBe(500);
    expect(parseResponse(res.xml).fault).toMatchObject({ subcode: 'w:SchemaValidationError', wsmanCode: 2150858817 });
  });

  it('missing Action → SchemaValidationError that relates to the request', () => {
    const { host } = setup();
    const xml = Q.deleteShell('S', { to: 'http://x/wsman', messageId: 'uuid:no-action' }).replace(/<a:Action[^>]*>.*?<\/a:Action>/, '');
    const res = host.handleXml(xml, ALICE);
    if (res.kind !== 'response') throw new Error('expected a response');
    expect(parseResponse(res.xml)).toMatchObject({ relatesTo: 'uuid:no-action', fault: { subcodeLocal: 'SchemaValidationError' } });
  });

  it('an unsupported action → a:ActionNotSupported', () => {
    const { o, send } = setup();
    const xml = Q.receive('S', 'C', o()).replace(/windows\/shell\/Receive/, 'windows/shell/Send');
    expect(send(xml).r!.fault!.subcodeLocal).toBe('ActionNotSupported');
  });

  it('MaxShellsPerUser is per user', () => {
    const { o, send, open } = setup({ maxShells: 2 });
    open();
    open();
    expect(send(Q.createShell(o())).r!.fault!.subcodeLocal).toBe('QuotaLimit');
    expect(open(BOB)).toBeDefined();
  });
});
