// Server-side response envelopes, shaped like those of WinRM 2.0 on Windows Server (SOAP 1.2,
// WS-Addressing 2004/08). Every response carries a:Action, a:MessageID, a:To (anonymous) and
// a:RelatesTo echoing the request's MessageID (WS-Addressing 2004/08 §3.3; pywinrm 0.3.0
// asserts RelatesTo on Signal and Delete).

import { ACTION, ANONYMOUS, CMD_RESOURCE_URI, COMMAND_STATE, NS, PROTOCOL_VERSION, type CommandStateName } from './namespaces.ts';
import { escapeAttr, escapeText } from './xml-escape.ts';
import type { FaultSpec } from './faults.ts';

export interface ResponseHeader {
  /** MessageID of this response (`uuid:…`), supplied by the caller for determinism. */
  messageId: string;
  /** MessageID of the request being answered. */
  relatesTo: string;
}

const ENVELOPE_OPEN =
  `<s:Envelope xml:lang="en-US" xmlns:s="${NS.soap}" xmlns:a="${NS.addressing}" xmlns:x="${NS.transfer}"` +
  ` xmlns:w="${NS.wsman}" xmlns:rsp="${NS.shell}" xmlns:p="${NS.wsmanMs}">`;

function header(action: string | undefined, h: Partial<ResponseHeader>): string {
  let s = '';
  if (action !== undefined) s += `<a:Action>${escapeText(action)}</a:Action>`;
  if (h.messageId !== undefined) s += `<a:MessageID>${escapeText(h.messageId)}</a:MessageID>`;
  s += `<a:To>${ANONYMOUS}</a:To>`;
  if (h.relatesTo !== undefined && h.relatesTo !== '') s += `<a:RelatesTo>${escapeText(h.relatesTo)}</a:RelatesTo>`;
  return `<s:Header>${s}</s:Header>`;
}

function envelope(head: string, body: string): string {
  return `${ENVELOPE_OPEN}${head}<s:Body>${body}</s:Body></s:Envelope>`;
}

export interface IdentifyInfoOptions {
  productVendor?: string;
  productVersion?: string;
  securityProfiles?: readonly string[];
}

/**
 * DSP0226 §11 IdentifyResponse. WinRM answers an anonymous Identify with an empty header; when
 * the request carried a MessageID the header correlates it (To, MessageID, RelatesTo; no Action,
 * since Identify has none).
 */
export function identifyResponse(h: Partial<ResponseHeader> = {}, info: IdentifyInfoOptions = {}): string {
  const profiles = info.securityProfiles ?? [];
  const sp = profiles.length
    ? `<wsmid:SecurityProfiles>${profiles.map((p) => `<wsmid:SecurityProfileName>${escapeText(p)}</wsmid:SecurityProfileName>`).join('')}</wsmid:SecurityProfiles>`
    : '';
  const head = h.relatesTo ? header(undefined, h) : '<s:Header/>';
  return envelope(
    head,
    `<wsmid:IdentifyResponse xmlns:wsmid="${NS.identity}">` +
      `<wsmid:ProtocolVersion>${PROTOCOL_VERSION}</wsmid:ProtocolVersion>` +
      `<wsmid:ProductVendor>${escapeText(info.productVendor ?? 'Microsoft Corporation')}</wsmid:ProductVendor>` +
      `<wsmid:ProductVersion>${escapeText(info.productVersion ?? 'OS: 10.0.17763 SP: 0.0 Stack: 3.0')}</wsmid:ProductVersion>` +
      `${sp}</wsmid:IdentifyResponse>`,
  );
}

export interface CreateInfo {
  shellId: string;
  /** The endpoint address echoed in ResourceCreated/a:Address (the request's a:To). */
  address?: string;
  owner?: string;
  clientIp?: string;
  inputStreams?: string;
  outputStreams?: string;
}

/** WS-Transfer CreateResponse: ResourceCreated with the ShellId selector, then rsp:Shell (MS-WSMV §3.1.4.5). */
export function createResponse(h: ResponseHeader, c: CreateInfo): string {
  const id = escapeText(c.shellId);
  return envelope(
    header(ACTION.CreateResponse, h),
    `<x:ResourceCreated><a:Address>${escapeText(c.address ?? ANONYMOUS)}</a:Address><a:ReferenceParameters>` +
      `<w:ResourceURI>${CMD_RESOURCE_URI}</w:ResourceURI>` +
      `<w:SelectorSet><w:Selector Name="ShellId">${id}</w:Selector></w:SelectorSet>` +
      `</a:ReferenceParameters></x:ResourceCreated>` +
      `<rsp:Shell><rsp:ShellId>${id}</rsp:ShellId><rsp:ResourceUri>${CMD_RESOURCE_URI}</rsp:ResourceUri>` +
      optional('Owner', c.owner) +
      optional('ClientIP', c.clientIp) +
      `<rsp:IdleTimeOut>PT7200.000S</rsp:IdleTimeOut>` +
      optional('InputStreams', c.inputStreams ?? 'stdin') +
      optional('OutputStreams', c.outputStreams ?? 'stdout stderr') +
      `<rsp:ShellRunTime>P0DT0H0M0S</rsp:ShellRunTime><rsp:ShellInactivity>P0DT0H0M0S</rsp:ShellInactivity></rsp:Shell>`,
  );
}

/** `<rsp:name>v</rsp:name>`, or nothing when v is undefined. */
function optional(name: string, v: string | undefined): string {
  return v === undefined ? '' : `<rsp:${name}>${escapeText(v)}</rsp:${name}>`;
}

/** MS-WSMV §2.2.4.8 CommandResponse. */
export function commandResponse(h: ResponseHeader, commandId: string): string {
  return envelope(
    header(ACTION.CommandResponse, h),
    `<rsp:CommandResponse><rsp:CommandId>${escapeText(commandId)}</rsp:CommandId></rsp:CommandResponse>`,
  );
}

export interface ReceiveStream {
  name: string;
  data: Uint8Array;
  end?: boolean;
}

export interface ReceiveInfo {
  commandId: string;
  streams: readonly ReceiveStream[];
  state: CommandStateName;
  /** Written only with state Done (MS-WSMV §2.2.4.9). */
  exitCode?: number;
}

/** MS-WSMV §2.2.4.35 ReceiveResponse: base64 streams, then CommandState. */
export function receiveResponse(h: ResponseHeader, r: ReceiveInfo): string {
  const cid = escapeAttr(r.commandId);
  let streams = '';
  for (const s of r.streams) {
    const end = s.end ? ' End="true"' : '';
    const data = Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength).toString('base64');
    streams += `<rsp:Stream Name="${escapeAttr(s.name)}" CommandId="${cid}"${end}>${data}</rsp:Stream>`;
  }
  const exit = r.state === 'Done' && r.exitCode !== undefined ? `<rsp:ExitCode>${r.exitCode}</rsp:ExitCode>` : '';
  const state = `<rsp:CommandState CommandId="${cid}" State="${COMMAND_STATE[r.state]}">${exit}</rsp:CommandState>`;
  return envelope(header(ACTION.ReceiveResponse, h), `<rsp:ReceiveResponse>${streams}${state}</rsp:ReceiveResponse>`);
}

export function signalResponse(h: ResponseHeader): string {
  return envelope(header(ACTION.SignalResponse, h), '<rsp:SignalResponse/>');
}

/** WS-Transfer DeleteResponse: empty body. */
export function deleteResponse(h: ResponseHeader): string {
  return envelope(header(ACTION.DeleteResponse, h), '');
}

export interface FaultOptions extends FaultSpec {
  /** f:WSManFault/@Machine: the server's name. */
  machine: string;
}

/**
 * SOAP 1.2 fault (SOAP 1.2 part 1 §5.4) with the WinRM detail f:WSManFault (MS-WSMV §2.2.4.41).
 * The HTTP status (500) is the transport's business. RelatesTo is omitted when the request's
 * MessageID could not be read.
 */
export function fault(h: { messageId: string; relatesTo?: string }, f: FaultOptions): string {
  const action = f.subcode.startsWith('a:') ? ACTION.AddressingFault : ACTION.Fault;
  const reason = escapeText(f.reason);
  return envelope(
    header(action, h),
    `<s:Fault><s:Code><s:Value>s:${f.code}</s:Value><s:Subcode><s:Value>${escapeText(f.subcode)}</s:Value></s:Subcode></s:Code>` +
      `<s:Reason><s:Text xml:lang="en-US">${reason}</s:Text></s:Reason>` +
      `<s:Detail><f:WSManFault xmlns:f="${NS.fault}" Code="${f.wsmanCode}" Machine="${escapeAttr(f.machine)}">` +
      `<f:Message>${reason}</f:Message></f:WSManFault></s:Detail></s:Fault>`,
  );
}
