// Reading WS-Management envelopes (DSP0226, MS-WSMV). Elements are matched by namespace URI and
// local name, so any prefix works.

import { ACTION, COMMAND_STATE, NS, type CommandStateName } from './namespaces.ts';
import { WsmanParseError } from './errors.ts';
import { attr, child, childrenNamed, find, parseXml, type XmlElement } from './xml-tree.ts';
import { parseDurationMs } from './duration.ts';
import type { RequestBody, StreamChunk, WsmanFaultInfo, WsmanRequest, WsmanResponse } from './types.ts';

interface Envelope {
  header: XmlElement | undefined;
  body: XmlElement;
}

/** SOAP 1.2 part 1 §5: Envelope, optional Header, then Body, in the SOAP 1.2 namespace. */
function envelope(xml: string): Envelope {
  const root = parseXml(xml);
  if (root.local !== 'Envelope' || root.ns !== NS.soap) {
    throw new WsmanParseError('not-soap-envelope', `root element is {${root.ns}}${root.local}, not a SOAP 1.2 Envelope`);
  }
  const body = child(root, NS.soap, 'Body');
  const header = child(root, NS.soap, 'Header');
  if (!body) throw new WsmanParseError('missing-body', 'SOAP Envelope has no Body');
  return { header, body };
}

/**
 * The header entries a WS-Management peer reads (WS-Addressing 2004/08, DSP0226 §6), the first
 * of each, found in one pass over the header (instead of one search per entry).
 */
class HeaderEntries {
  to: XmlElement | undefined = undefined;
  messageId: XmlElement | undefined = undefined;
  action: XmlElement | undefined = undefined;
  relatesTo: XmlElement | undefined = undefined;
  resourceUri: XmlElement | undefined = undefined;
  operationTimeout: XmlElement | undefined = undefined;
  maxEnvelopeSize: XmlElement | undefined = undefined;
  locale: XmlElement | undefined = undefined;
  selectorSet: XmlElement | undefined = undefined;
  optionSet: XmlElement | undefined = undefined;

  constructor(header: XmlElement | undefined) {
    if (header === undefined) return;
    for (const c of header.children) {
      if (c.ns === NS.addressing) {
        if (c.local === 'To') this.to ??= c;
        else if (c.local === 'MessageID') this.messageId ??= c;
        else if (c.local === 'Action') this.action ??= c;
        else if (c.local === 'RelatesTo') this.relatesTo ??= c;
      } else if (c.ns === NS.wsman) {
        if (c.local === 'ResourceURI') this.resourceUri ??= c;
        else if (c.local === 'OperationTimeout') this.operationTimeout ??= c;
        else if (c.local === 'MaxEnvelopeSize') this.maxEnvelopeSize ??= c;
        else if (c.local === 'Locale') this.locale ??= c;
        else if (c.local === 'SelectorSet') this.selectorSet ??= c;
        else if (c.local === 'OptionSet') this.optionSet ??= c;
      }
    }
  }
}

/** An entry's text without surrounding white space, or undefined when there is no entry. */
const trimmed = (e: XmlElement | undefined): string | undefined => (e === undefined ? undefined : e.text.trim());

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '');

// ---------------------------------------------------------------- server side: requests

/** Parse a request as a WinRM server does; throws WsmanParseError for SchemaValidationError. */
export function parseRequest(xml: string): WsmanRequest {
  const { header, body } = envelope(xml);
  const first = body.children[0];
  const h = new HeaderEntries(header);
  const messageId = trimmed(h.messageId);
  // DSP0226 §11: Identify is recognised by its body and carries no wsa:Action.
  if (first && first.local === 'Identify' && first.ns === NS.identity) {
    return {
      action: ACTION.Identify,
      messageId: messageId ?? '',
      to: trimmed(h.to),
      selectors: {},
      options: {},
      body: { kind: 'identify' },
    };
  }
  if (!header) throw new WsmanParseError('missing-header', 'SOAP Envelope has no Header');
  // DSP0226 R5.1-… / WS-Addressing: every WS-Management request has wsa:MessageID and wsa:Action.
  if (!messageId) throw new WsmanParseError('missing-message-id', 'request has no wsa:MessageID');
  const action = trimmed(h.action);
  if (!action) throw new WsmanParseError('missing-action', 'request has no wsa:Action', messageId);

  const timeoutText = trimmed(h.operationTimeout);
  let operationTimeoutMs: number | undefined;
  if (timeoutText !== undefined) {
    operationTimeoutMs = parseDurationMs(timeoutText);
    if (operationTimeoutMs === undefined) {
      throw new WsmanParseError('bad-value', `w:OperationTimeout '${timeoutText}' is not an xs:duration`, messageId);
    }
  }
  const envText = trimmed(h.maxEnvelopeSize);
  const maxEnvelopeSize = envText === undefined ? undefined : Number(envText);
  if (maxEnvelopeSize !== undefined && !(Number.isInteger(maxEnvelopeSize) && maxEnvelopeSize > 0)) {
    throw new WsmanParseError('bad-value', `w:MaxEnvelopeSize '${envText}' is not a positive integer`, messageId);
  }

  const selectors: Record<string, string> = {};
  for (const s of childrenNamed(h.selectorSet, NS.wsman, 'Selector')) {
    const name = attr(s, 'Name');
    if (name !== undefined) selectors[name] = s.text.trim();
  }
  const options: Record<string, string> = {};
  for (const o of childrenNamed(h.optionSet, NS.wsman, 'Option')) {
    const name = attr(o, 'Name');
    if (name !== undefined) options[name] = o.text.trim();
  }

  return {
    action,
    messageId,
    to: trimmed(h.to),
    resourceUri: trimmed(h.resourceUri),
    operationTimeoutMs,
    maxEnvelopeSize,
    locale: attr(h.locale, 'xml:lang'),
    selectors,
    options,
    body: requestBody(action, body, messageId),
  };
}

function required(el: XmlElement | undefined, what: string, action: string, messageId: string): XmlElement {
  if (!el) throw new WsmanParseError('missing-element', `${what} is missing from the ${action} body`, messageId);
  return el;
}

function requestBody(action: string, body: XmlElement, messageId: string): RequestBody {
  switch (action) {
    case ACTION.Create: {
      // MS-WSMV §2.2.4.37 Shell.
      const shell = required(child(body, NS.shell, 'Shell'), 'rsp:Shell', action, messageId);
      const env: Record<string, string> = {};
      for (const v of childrenNamed(child(shell, NS.shell, 'Environment'), NS.shell, 'Variable')) {
        const name = attr(v, 'Name');
        if (name !== undefined) env[name] = v.text;
      }
      return {
        kind: 'create',
        inputStreams: words(child(shell, NS.shell, 'InputStreams')?.text ?? ''),
        outputStreams: words(child(shell, NS.shell, 'OutputStreams')?.text ?? ''),
        workingDirectory: child(shell, NS.shell, 'WorkingDirectory')?.text,
        env,
      };
    }
    case ACTION.Command: {
      const line = required(child(body, NS.shell, 'CommandLine'), 'rsp:CommandLine', action, messageId);
      const cmd = required(child(line, NS.shell, 'Command'), 'rsp:Command', action, messageId);
      return { kind: 'command', command: cmd.text, arguments: childrenNamed(line, NS.shell, 'Arguments').map((a) => a.text) };
    }
    case ACTION.Receive: {
      const r = required(child(body, NS.shell, 'Receive'), 'rsp:Receive', action, messageId);
      const ds = required(child(r, NS.shell, 'DesiredStream'), 'rsp:DesiredStream', action, messageId);
      return { kind: 'receive', commandId: attr(ds, 'CommandId'), desiredStreams: words(ds.text) };
    }
    case ACTION.Signal: {
      const s = required(child(body, NS.shell, 'Signal'), 'rsp:Signal', action, messageId);
      const code = required(child(s, NS.shell, 'Code'), 'rsp:Code', action, messageId);
      return { kind: 'signal', commandId: attr(s, 'CommandId'), code: code.text.trim() };
    }
    case ACTION.Delete:
      return { kind: 'delete' };
    default:
      return { kind: 'other' };
  }
}

// ---------------------------------------------------------------- client side: responses

/** Parse a response (or fault) the way a client reads it. */
export function parseResponse(xml: string): WsmanResponse {
  const { header, body } = envelope(xml);
  const h = new HeaderEntries(header);
  const out: WsmanResponse = {
    action: trimmed(h.action),
    messageId: trimmed(h.messageId),
    relatesTo: trimmed(h.relatesTo),
  };

  const fault = child(body, NS.soap, 'Fault');
  if (fault) {
    out.fault = faultInfo(fault);
    return out;
  }

  const ident = child(body, NS.identity, 'IdentifyResponse');
  if (ident) {
    out.identify = {
      protocolVersion: child(ident, NS.identity, 'ProtocolVersion')?.text.trim() ?? '',
      productVendor: child(ident, NS.identity, 'ProductVendor')?.text.trim() ?? '',
      productVersion: child(ident, NS.identity, 'ProductVersion')?.text.trim() ?? '',
      securityProfiles: childrenNamed(child(ident, NS.identity, 'SecurityProfiles'), NS.identity, 'SecurityProfileName').map(
        (p) => p.text.trim(),
      ),
    };
  }

  // CreateResponse: ShellId in ResourceCreated/ReferenceParameters/SelectorSet (WS-Transfer §3,
  // MS-WSMV §3.1.4.5), also echoed as rsp:Shell/rsp:ShellId.
  const created = child(body, NS.transfer, 'ResourceCreated');
  if (created) {
    const selectorSet = find(created, NS.wsman, 'SelectorSet');
    const sel = childrenNamed(selectorSet, NS.wsman, 'Selector').find((s) => attr(s, 'Name') === 'ShellId');
    out.shellId = sel?.text.trim() ?? child(child(body, NS.shell, 'Shell'), NS.shell, 'ShellId')?.text.trim();
  }

  const cmd = child(body, NS.shell, 'CommandResponse');
  if (cmd) out.commandId = child(cmd, NS.shell, 'CommandId')?.text.trim();

  const recv = child(body, NS.shell, 'ReceiveResponse');
  if (recv) {
    out.streams = childrenNamed(recv, NS.shell, 'Stream').map(streamChunk);
    const st = child(recv, NS.shell, 'CommandState');
    if (st) {
      const stateUri = attr(st, 'State') ?? '';
      const known = STATE_NAMES.get(stateUri);
      const exit = child(st, NS.shell, 'ExitCode')?.text.trim();
      out.commandState = {
        state: known ?? stateUri.slice(stateUri.lastIndexOf('/') + 1),
        stateUri,
        commandId: attr(st, 'CommandId'),
        exitCode: exit === undefined || exit === '' ? undefined : Number(exit),
      };
    }
  }
  return out;
}

const STATE_NAMES = new Map((Object.keys(COMMAND_STATE) as CommandStateName[]).map((k) => [COMMAND_STATE[k] as string, k]));

function streamChunk(s: XmlElement): StreamChunk {
  const text = s.text.trim();
  // MS-WSMV §2.2.4.40: stream content is base64 (xs:base64Binary).
  if (!/^[A-Za-z0-9+/\s]*={0,2}$/.test(text)) throw new WsmanParseError('bad-value', 'rsp:Stream content is not base64');
  return {
    name: attr(s, 'Name') ?? '',
    commandId: attr(s, 'CommandId'),
    data: new Uint8Array(Buffer.from(text, 'base64')),
    end: attr(s, 'End') === 'true',
  };
}

function faultInfo(fault: XmlElement): WsmanFaultInfo {
  const code = child(fault, NS.soap, 'Code');
  const value = child(code, NS.soap, 'Value')?.text.trim() ?? '';
  const subcode = child(child(code, NS.soap, 'Subcode'), NS.soap, 'Value')?.text.trim() ?? '';
  const reason = child(child(fault, NS.soap, 'Reason'), NS.soap, 'Text')?.text ?? '';
  const wf = child(child(fault, NS.soap, 'Detail'), NS.fault, 'WSManFault');
  const wsmanCode = attr(wf, 'Code');
  const local = (q: string): string => q.slice(q.indexOf(':') + 1);
  return {
    code: local(value),
    subcode,
    subcodeLocal: local(subcode),
    reason: reason.trim(),
    wsmanCode: wsmanCode === undefined ? undefined : Number(wsmanCode),
    machine: attr(wf, 'Machine'),
  };
}
