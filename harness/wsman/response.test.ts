import { describe, expect, it } from 'vitest';
import { commandResponse, createResponse, deleteResponse, fault, identifyResponse, receiveResponse, signalResponse } from './response.ts';
import { parseResponse } from './parse.ts';
import { ACTION, ANONYMOUS, NS, PROTOCOL_VERSION } from './namespaces.ts';
import { FAULTS, type FaultName } from './faults.ts';
import { parseXml, child } from './xml-tree.ts';

const h = { messageId: 'uuid:AAAAAAAA-0000-4000-8000-000000000001', relatesTo: 'uuid:BBBBBBBB-0000-4000-8000-000000000002' };

function headerOf(xml: string) {
  const hdr = child(parseXml(xml), NS.soap, 'Header')!;
  return Object.fromEntries(hdr.children.map((c) => [c.local, c.text]));
}

describe('response builders round-trip through parseResponse', () => {
  it.each([
    ['Create', createResponse(h, { shellId: 'S-1' }), ACTION.CreateResponse],
    ['Command', commandResponse(h, 'C-1'), ACTION.CommandResponse],
    ['Receive', receiveResponse(h, { commandId: 'C', streams: [], state: 'Running' }), ACTION.ReceiveResponse],
    ['Signal', signalResponse(h), ACTION.SignalResponse],
    ['Delete', deleteResponse(h), ACTION.DeleteResponse],
  ])('%s carries Action, MessageID, To anonymous and RelatesTo', (_n, xml, action) => {
    expect(headerOf(xml)).toEqual({ Action: action, MessageID: h.messageId, To: ANONYMOUS, RelatesTo: h.relatesTo });
    expect(parseResponse(xml)).toMatchObject({ action, messageId: h.messageId, relatesTo: h.relatesTo });
  });

  it('Create: ShellId from the selector, escaped', () => {
    expect(parseResponse(createResponse(h, { shellId: 'A<&>B' })).shellId).toBe('A<&>B');
  });

  it('Command: CommandId', () => {
    expect(parseResponse(commandResponse(h, 'C-77')).commandId).toBe('C-77');
  });

  it('Receive: binary streams in order, End flags, Done with exit code', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const xml = receiveResponse(h, {
      commandId: 'C',
      streams: [
        { name: 'stdout', data: bytes },
        { name: 'stderr', data: new Uint8Array([0x41]), end: true },
        { name: 'stdout', data: new Uint8Array(0), end: true },
      ],
      state: 'Done',
      exitCode: 3,
    });
    const r = parseResponse(xml);
    expect(r.streams!.map((s) => [s.name, s.commandId, Array.from(s.data), s.end])).toEqual([
      ['stdout', 'C', Array.from(bytes), false],
      ['stderr', 'C', [0x41], true],
      ['stdout', 'C', [], true],
    ]);
    expect(r.commandState).toMatchObject({ state: 'Done', commandId: 'C', exitCode: 3 });
  });

  it('Receive: Running has no ExitCode', () => {
    const xml = receiveResponse(h, { commandId: 'C', streams: [], state: 'Running', exitCode: 9 });
    expect(xml).not.toContain('ExitCode');
    expect(parseResponse(xml).commandState).toMatchObject({ state: 'Running', exitCode: undefined });
  });

  it('Identify: vendor and version; anonymous form has an empty header', () => {
    const xml = identifyResponse();
    expect(headerOf(xml)).toEqual({});
    expect(parseResponse(xml).identify).toEqual({
      protocolVersion: PROTOCOL_VERSION,
      productVendor: 'Microsoft Corporation',
      productVersion: 'OS: 10.0.17763 SP: 0.0 Stack: 3.0',
      securityProfiles: [],
    });
    expect(parseResponse(identifyResponse(h)).relatesTo).toBe(h.relatesTo);
  });
});

describe('fault envelopes (SOAP 1.2 part 1 §5.4, MS-WSMV §2.2.4.41)', () => {
  it.each(Object.keys(FAULTS) as FaultName[])('%s: code, subcode, reason, WSManFault Code and Machine, RelatesTo', (name) => {
    const spec = FAULTS[name];
    const xml = fault(h, { ...spec, machine: 'HOST-1' });
    const r = parseResponse(xml);
    expect(r.relatesTo).toBe(h.relatesTo);
    expect(r.action).toBe(spec.subcode.startsWith('a:') ? ACTION.AddressingFault : ACTION.Fault);
    expect(r.fault).toEqual({
      code: spec.code,
      subcode: spec.subcode,
      subcodeLocal: spec.subcode.split(':')[1],
      reason: spec.reason.trim(),
      wsmanCode: spec.wsmanCode,
      machine: 'HOST-1',
    });
  });

  it('codes named in PROTOCOL.md', () => {
    expect([FAULTS.TimedOut, FAULTS.InvalidSelectors, FAULTS.SchemaValidationError, FAULTS.AccessDenied].map((f) => [f.subcode, f.wsmanCode])).toEqual([
      ['w:TimedOut', 2150858793],
      ['w:InvalidSelectors', 2150858843],
      ['w:SchemaValidationError', 2150858817],
      ['w:AccessDenied', 5],
    ]);
  });

  it('omits RelatesTo when the request MessageID is unknown', () => {
    const xml = fault({ messageId: h.messageId }, { ...FAULTS.SchemaValidationError, machine: 'm' });
    expect(xml).not.toContain('RelatesTo');
    expect(parseResponse(xml).fault!.subcodeLocal).toBe('SchemaValidationError');
  });
});
