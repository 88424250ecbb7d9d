import { describe, expect, it } from 'vitest';
import { parseRequest, parseResponse } from './parse.ts';
import { WsmanParseError } from './errors.ts';
import { command, receive } from './request.ts';
import { ACTION, NS } from './namespaces.ts';

const o = { to: 'http://srv:5985/wsman', messageId: 'uuid:00000000-0000-4000-8000-000000000001' };

function parseError(xml: string): WsmanParseError {
  try {
    parseRequest(xml);
  } catch (e) {
    if (e instanceof WsmanParseError) return e;
    throw e;
  }
  throw new Error('parseRequest accepted the document');
}

describe('parseRequest rejects what WinRM answers with SchemaValidationError', () => {
  it.each([
    ['unclosed element', '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['empty document', ''],
    ['two roots', '<a/><b/>'],
    ['an unknown entity', `<s:Envelope xmlns:s="${NS.soap}"><s:Body>&bogus;</s:Body></s:Envelope>`],
    ['an undeclared prefix', '<q:Envelope><q:Body/></q:Envelope>'],
    ['a DOCTYPE (SOAP forbids DTDs)', `<!DOCTYPE x [<!ENTITY e "x">]><s:Envelope xmlns:s="${NS.soap}"><s:Body/></s:Envelope>`],
  ])('malformed XML: %s', (_name, xml) => {
    expect(parseError(xml).kind).toBe('malformed-xml');
  });

  it('a SOAP 1.1 envelope is not a SOAP 1.2 envelope', () => {
    const xml = '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>';
    expect(parseError(xml).kind).toBe('not-soap-envelope');
  });

  it('missing MessageID', () => {
    const xml = receive('S', 'C', o).replace(/<a:MessageID>.*?<\/a:MessageID>/, '');
    expect(parseError(xml).kind).toBe('missing-message-id');
  });

  it('missing Action, reporting the MessageID so the fault can relate to it', () => {
    const e = parseError(receive('S', 'C', o).replace(/<a:Action[^>]*>.*?<\/a:Action>/, ''));
    expect(e.kind).toBe('missing-action');
    expect(e.messageId).toBe(o.messageId);
  });

  it('a Command body without rsp:Command', () => {
    const e = parseError(command('S', 'x', [], o).replace(/<rsp:Command>x<\/rsp:Command>/, ''));
    expect(e.kind).toBe('missing-element');
  });

  it('an OperationTimeout that is not an xs:duration', () => {
    expect(parseError(receive('S', 'C', o).replace('PT20S', 'twenty')).kind).toBe('bad-value');
  });
});

describe('parseRequest reads by namespace, not by prefix', () => {
  it('accepts any prefixes, default namespaces and whitespace between elements', () => {
    const xml = `<?xml version="1.0"?>
<E:Envelope xmlns:E="${NS.soap}" xmlns:wsa="${NS.addressing}" xmlns:man="${NS.wsman}">
  <E:Header>
    <wsa:Action>${ACTION.Receive}</wsa:Action>
    <wsa:MessageID>uuid:x</wsa:MessageID>
    <man:OperationTimeout>PT1.5S</man:OperationTimeout>
    <man:SelectorSet><man:Selector Name="ShellId">S&#x31;</man:Selector></man:SelectorSet>
  </E:Header>
  <E:Body><Receive xmlns="${NS.shell}"><DesiredStream CommandId="C&amp;1"><![CDATA[stdout]]></DesiredStream></Receive></E:Body>
</E:Envelope>`;
    expect(parseRequest(xml)).toMatchObject({
      action: ACTION.Receive,
      messageId: 'uuid:x',
      operationTimeoutMs: 1500,
      selectors: { ShellId: 'S1' },
      body: { kind: 'receive', commandId: 'C&1', desiredStreams: ['stdout'] },
    });
  });

  it('an element with the right local name in a foreign namespace does not count', () => {
    const xml = receive('S', 'C', o).replace('<a:Action mustUnderstand="true">', '<b:Action mustUnderstand="true">').replace(/<\/a:Action>/, '</b:Action>');
    expect(parseError(xml).kind).toBe('missing-action');
  });

  it('an unknown action parses as kind other', () => {
    const xml = receive('S', 'C', o).replace(ACTION.Receive, 'http://example/Bogus');
    expect(parseRequest(xml).body).toEqual({ kind: 'other' });
  });
});

describe('parseResponse', () => {
  it('rejects a stream whose content is not base64', () => {
    const xml = `<s:Envelope xmlns:s="${NS.soap}" xmlns:rsp="${NS.shell}"><s:Body><rsp:ReceiveResponse><rsp:Stream Name="stdout">**</rsp:Stream></rsp:ReceiveResponse></s:Body></s:Envelope>`;
    expect(() => parseResponse(xml)).toThrow(WsmanParseError);
  });
});
