// Client-side request envelopes, byte for byte what pywinrm 0.3.0 sends (winrm/protocol.py:
// `_get_soap_header` serialised by xmltodict.unparse: XML declaration, no indentation, empty
// elements written as start+end tags, header children in the dict's insertion order).
// pywinrm hard-codes `a:To` to http://windows-host:5985/wsman; here the caller chooses it.

import { ACTION, ANONYMOUS, CMD_RESOURCE_URI, NS } from './namespaces.ts';
import { escapeAttr, escapeText } from './xml-escape.ts';
import { formatSeconds } from './duration.ts';

export interface RequestOptions {
  to: string;
  /** `uuid:…`, supplied by the caller so that runs are deterministic. */
  messageId: string;
  operationTimeoutS?: number;
  maxEnvelopeSize?: number;
  locale?: string;
}

export interface CreateShellOptions extends RequestOptions {
  inputStreams?: string;
  outputStreams?: string;
  noProfile?: boolean;
  codepage?: number;
  workingDirectory?: string;
  idleTimeout?: string;
  env?: Readonly<Record<string, string>>;
}

export interface CommandOptions {
  consoleModeStdin?: boolean;
  skipCmdShell?: boolean;
}

const XML_DECL = '<?xml version="1.0" encoding="utf-8"?>\n';

// Namespace declarations in pywinrm's order (protocol.py `_get_soap_header`).
const ENVELOPE_OPEN =
  '<env:Envelope' +
  ` xmlns:xsd="${NS.xsd}" xmlns:xsi="${NS.xsi}" xmlns:env="${NS.soap}" xmlns:a="${NS.addressing}"` +
  ` xmlns:b="${NS.cimBinding}" xmlns:n="${NS.enumeration}" xmlns:x="${NS.transfer}" xmlns:w="${NS.wsman}"` +
  ` xmlns:p="${NS.wsmanMs}" xmlns:rsp="${NS.shell}" xmlns:cfg="${NS.config}">`;

// Each envelope is one template join: fixed markup as literals (the parts that never change
// written once below), values escaped where they go.

const MUST_UNDERSTAND = ' mustUnderstand="true"';

// Header elements that are the same in every request, written once.
const REPLY_TO = `<a:ReplyTo><a:Address${MUST_UNDERSTAND}>${escapeText(ANONYMOUS)}</a:Address></a:ReplyTo>`;
const RESOURCE_URI = `<w:ResourceURI${MUST_UNDERSTAND}>${escapeText(CMD_RESOURCE_URI)}</w:ResourceURI>`;
const localeElements = new Map<string, string>();

/** w:Locale and p:DataLocale for `locale` (kept: a client uses one locale throughout). */
function locales(locale: string): string {
  let x = localeElements.get(locale);
  if (x === undefined) {
    const attrs = ` mustUnderstand="false" xml:lang="${escapeAttr(locale)}"`;
    x = `<w:Locale${attrs}></w:Locale><p:DataLocale${attrs}></p:DataLocale>`;
    if (localeElements.size >= 16) localeElements.clear();
    localeElements.set(locale, x);
  }
  return x;
}

/** `<w:Option Name="name">value</w:Option>` */
const option = (name: string, value: string): string => `<w:Option Name="${escapeAttr(name)}">${escapeText(value)}</w:Option>`;

function header(o: RequestOptions, action: string, shellId?: string, optionSet?: string): string {
  const selectors = shellId === undefined ? '' : `<w:SelectorSet><w:Selector Name="ShellId">${escapeText(shellId)}</w:Selector></w:SelectorSet>`;
  const options = optionSet === undefined ? '' : `<w:OptionSet>${optionSet}</w:OptionSet>`;
  return (
    `<env:Header><a:To>${escapeText(o.to)}</a:To>${REPLY_TO}` +
    `<w:MaxEnvelopeSize${MUST_UNDERSTAND}>${escapeText(String(o.maxEnvelopeSize ?? 153600))}</w:MaxEnvelopeSize>` +
    `<a:MessageID>${escapeText(o.messageId)}</a:MessageID>${locales(o.locale ?? 'en-US')}` +
    `<w:OperationTimeout>${escapeText(formatSeconds(o.operationTimeoutS ?? 20))}</w:OperationTimeout>${RESOURCE_URI}` +
    `<a:Action${MUST_UNDERSTAND}>${escapeText(action)}</a:Action>${selectors}${options}</env:Header>`
  );
}

function envelope(head: string, body: string): string {
  return `${XML_DECL}${ENVELOPE_OPEN}${head}<env:Body>${body}</env:Body></env:Envelope>`;
}

const bool = (b: boolean): string => (b ? 'TRUE' : 'FALSE');

/** wst:Create of a cmd shell (pywinrm `open_shell`). */
export function createShell(o: CreateShellOptions): string {
  let shell =
    `<rsp:InputStreams>${escapeText(o.inputStreams ?? 'stdin')}</rsp:InputStreams>` +
    `<rsp:OutputStreams>${escapeText(o.outputStreams ?? 'stdout stderr')}</rsp:OutputStreams>`;
  if (o.workingDirectory) shell += `<rsp:WorkingDirectory>${escapeText(o.workingDirectory)}</rsp:WorkingDirectory>`;
  if (o.idleTimeout) shell += `<rsp:IdleTimeOut>${escapeText(o.idleTimeout)}</rsp:IdleTimeOut>`;
  if (o.env && Object.keys(o.env).length > 0) {
    // pywinrm 0.3.0 overwrites one dict key per variable, so it only ever sends the last one.
    const [name, value] = Object.entries(o.env).at(-1)!;
    shell += `<rsp:Environment><rsp:Variable Name="${escapeAttr(name)}">${escapeText(value)}</rsp:Variable></rsp:Environment>`;
  }
  const options = option('WINRS_NOPROFILE', bool(o.noProfile ?? false)) + option('WINRS_CODEPAGE', String(o.codepage ?? 437));
  return envelope(header(o, ACTION.Create, undefined, options), `<rsp:Shell>${shell}</rsp:Shell>`);
}

/** rsp:Command (pywinrm `run_command`): arguments are joined by one space into one rsp:Arguments. */
export function command(shellId: string, cmd: string, args: readonly string[], o: RequestOptions & CommandOptions): string {
  const options = option('WINRS_CONSOLEMODE_STDIN', bool(o.consoleModeStdin ?? true)) + option('WINRS_SKIP_CMD_SHELL', bool(o.skipCmdShell ?? false));
  let line = `<rsp:Command>${escapeText(cmd)}</rsp:Command>`;
  if (args.length > 0) line += `<rsp:Arguments>${escapeText(args.join(' '))}</rsp:Arguments>`;
  return envelope(header(o, ACTION.Command, shellId, options), `<rsp:CommandLine>${line}</rsp:CommandLine>`);
}

/** rsp:Receive of stdout and stderr (pywinrm `_raw_get_command_output`). */
export function receive(shellId: string, commandId: string, o: RequestOptions): string {
  const body = `<rsp:Receive><rsp:DesiredStream CommandId="${escapeAttr(commandId)}">stdout stderr</rsp:DesiredStream></rsp:Receive>`;
  return envelope(header(o, ACTION.Receive, shellId), body);
}

/** rsp:Signal (pywinrm `cleanup_command` sends terminate). */
export function signal(shellId: string, commandId: string, code: string, o: RequestOptions): string {
  const body = `<rsp:Signal CommandId="${escapeAttr(commandId)}"><rsp:Code>${escapeText(code)}</rsp:Code></rsp:Signal>`;
  return envelope(header(o, ACTION.Signal, shellId), body);
}

/** wst:Delete of the shell (pywinrm `close_shell`): empty body. */
export function deleteShell(shellId: string, o: RequestOptions): string {
  return envelope(header(o, ACTION.Delete, shellId), '');
}

/**
 * wsmid:Identify (DSP0226 §11). pywinrm 0.3.0 has no Identify; this is the form `winrm id` and
 * pypsrp send: no wsa:Action. When a messageId is given, a:To and a:MessageID are added so that
 * the answer can be correlated; without one the header is empty, as the standard shows it.
 */
export function identify(o: Partial<Pick<RequestOptions, 'to' | 'messageId'>> = {}): string {
  let head = '';
  if (o.to !== undefined) head += `<a:To>${escapeText(o.to)}</a:To>`;
  if (o.messageId !== undefined) head += `<a:MessageID>${escapeText(o.messageId)}</a:MessageID>`;
  return (
    `${XML_DECL}<s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.addressing}" xmlns:wsmid="${NS.identity}">` +
    `<s:Header>${head}</s:Header><s:Body><wsmid:Identify></wsmid:Identify></s:Body></s:Envelope>`
  );
}
