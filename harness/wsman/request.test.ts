import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { command, createShell, deleteShell, identify, receive, signal } from './request.ts';
import { parseRequest } from './parse.ts';
import { ACTION, CMD_RESOURCE_URI, SIGNAL } from './namespaces.ts';

// Captured from pywinrm 0.3.0's own Protocol methods (fixtures/capture_requests.py).
const golden = JSON.parse(readFileSync(new URL('./fixtures/pywinrm-0.3.0-requests.json', import.meta.url), 'utf8')) as Record<
  string,
  string
>;
const opts = (n: number) => ({ to: 'http://windows-host:5985/wsman', messageId: `uuid:00000000-0000-0000-0000-00000000000${n}` });

describe('request builders produce pywinrm 0.3.0 envelopes byte for byte', () => {
  it('Create', () => expect(createShell(opts(1))).toBe(golden['create']));
  it('Command with arguments joined into one rsp:Arguments, escaped', () =>
    expect(command('S1', 'echo', ['a&b', '<c>'], opts(2))).toBe(golden['command']));
  it('Receive', () => expect(receive('S1', 'C1', opts(3))).toBe(golden['receive']));
  it('Signal terminate', () => expect(signal('S1', 'C1', SIGNAL.terminate, opts(4))).toBe(golden['signal']));
  it('Delete', () => expect(deleteShell('S1', opts(5))).toBe(golden['delete']));
});

describe('request builders round-trip through parseRequest', () => {
  const o = { to: 'http://srv:5985/wsman', messageId: 'uuid:11111111-2222-4333-8444-555555555555', operationTimeoutS: 7, maxEnvelopeSize: 512000, locale: 'de-DE' };

  it('Create carries header fields and stream names', () => {
    const r = parseRequest(createShell({ ...o, workingDirectory: 'C:\\temp', env: { PATH: 'C:\\bin' } }));
    expect(r).toMatchObject({
      action: ACTION.Create,
      messageId: o.messageId,
      to: o.to,
      resourceUri: CMD_RESOURCE_URI,
      operationTimeoutMs: 7000,
      maxEnvelopeSize: 512000,
      locale: 'de-DE',
      options: { WINRS_NOPROFILE: 'FALSE', WINRS_CODEPAGE: '437' },
      body: { kind: 'create', inputStreams: ['stdin'], outputStreams: ['stdout', 'stderr'], workingDirectory: 'C:\\temp', env: { PATH: 'C:\\bin' } },
    });
  });

  it('Command keeps the command and the argument text exactly, markup characters included', () => {
    const r = parseRequest(command('SH', 'type-stderr', ['<x> & "y"', "it's"], o));
    expect(r.selectors).toEqual({ ShellId: 'SH' });
    expect(r.body).toEqual({ kind: 'command', command: 'type-stderr', arguments: ['<x> & "y" it\'s'] });
  });

  it('Command without arguments has no rsp:Arguments', () => {
    expect(command('SH', 'hostname', [], o)).not.toContain('Arguments');
    expect(parseRequest(command('SH', 'hostname', [], o)).body).toEqual({ kind: 'command', command: 'hostname', arguments: [] });
  });

  it('Receive names the command and the desired streams', () => {
    expect(parseRequest(receive('SH', 'CMD"1', o)).body).toEqual({ kind: 'receive', commandId: 'CMD"1', desiredStreams: ['stdout', 'stderr'] });
  });

  it('Signal carries code and command id', () => {
    const r = parseRequest(signal('SH', 'C9', SIGNAL.ctrl_c, o));
    expect(r.action).toBe(ACTION.Signal);
    expect(r.body).toEqual({ kind: 'signal', commandId: 'C9', code: SIGNAL.ctrl_c });
  });

  it('Delete has an empty body and the ShellId selector', () => {
    const r = parseRequest(deleteShell('SH', o));
    expect(r).toMatchObject({ action: ACTION.Delete, selectors: { ShellId: 'SH' }, body: { kind: 'delete' } });
  });

  it('Identify is recognised by its body, with or without a MessageID', () => {
    expect(parseRequest(identify())).toMatchObject({ action: ACTION.Identify, messageId: '', body: { kind: 'identify' } });
    expect(parseRequest(identify({ to: o.to, messageId: o.messageId }))).toMatchObject({ messageId: o.messageId, to: o.to });
  });
});
