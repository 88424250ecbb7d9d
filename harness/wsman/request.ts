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

type Attrs = ReadonlyArray<readonly [string, string]>;

const NO_ATTRS: Attrs = [];
const MUST_UNDERSTAND: Attrs = [['mustUnderstand', 'true']];

function el(name: string, text: string, attrs: Attrs = NO_ATTRS): string {
  let a = '';
  for (const [k, v] of attrs) a += ` ${k}="${escapeAttr(v)}"`;
  return `<${name}${a}>${escapeText(text)}</${name}>`;
}

// Header elements that are the same in every request, written once.
const REPLY_TO = `<a:ReplyTo>${el('a:Address', ANONYMOUS, MUST_UNDERSTAND)}</a:ReplyTo>`;
const RESOURCE_URI = el('w:ResourceURI', CMD_RESOURCE_URI, MUST_UNDERSTAND);
const localeElements = new Map<string, string>();

/** w:Locale and p:DataLocale for `locale` (kept: a client uses one locale throughout). */
function locales(locale: string): string {
  let x = localeElements.get(locale);
  if (x === undefined) {
    const attrs: Attrs = [['mustUnderstand', 'false'], ['xml:lang', locale]];
    x = el('w:Locale', '', attrs) + el('p:DataLocale', '', attrs);
    if (localeElements.size >= 16) localeElements.clear();
    localeElements.set(locale, x);
  }
  return x;
}

function header(o: RequestOptions, action: string, shellId?: string, optionSet?: Attrs): string {
  let h =
    el('a:To', o.to) +
    REPLY_TO +
    el('w:MaxEnvelopeSize', String(o.maxEnvelopeSize ?? 153600), MUST_UNDERSTAND) +
    el('a:MessageID', o.messageId) +
    locales(o.locale ?? 'en-US') +
    el('w:OperationTimeout', formatSeconds(o.operationTimeoutS ?? 20)) +
    RESOURCE_URI +
    el('a:Action', action, MUST_UNDERSTAND);
  if (shellId !== undefined) h += `<w:SelectorSet>${el('w:Selector', shellId, [['Name', 'ShellId']])}</w:SelectorSet>`;
  if (optionSet) h += `<w:OptionSet>${optionSet.map(([k, v]) => el('w:Option', v, [['Name', k]])).join('')}</w:OptionSet>`;
  return `<env:Header>${h}</env:Header>`;
}

function envelope(head: string, body: string): string {
  return `${XML_DECL}${ENVELOPE_OPEN}${head}<env:Body>${body}</env:Body></env:Envelope>`;
}

const bool = (b: boolean): string => (b ? 'TRUE' : 'FALSE');

/** wst:Create of a cmd shell (pywinrm `open_shell`). */
export function createShell(o: CreateShellOptions): string {
  let shell = el('rsp:InputStreams', o.inputStreams ?? 'stdin') + el('rsp:OutputStreams', o.outputStreams ?? 'stdout stderr');
  if (o.workingDirectory) shell += el('rsp:WorkingDirectory', o.workingDirectory);
  if (o.idleTimeout) shell += el('rsp:IdleTimeOut', o.idleTimeout);
  if (o.env && Object.keys(o.env).length > 0) {
    // pywinrm 0.3.0 overwrites one dict key per variable, so it only ever sends the last one.
    const [name, value] = Object.entries(o.env).at(-1)!;
    shell += `<rsp:Environment>${el('rsp:Variable', value, [['Name', name]])}</rsp:Environment>`;
  }
  const options: Array<[string, string]> = [
    ['WINRS_NOPROFILE', bool(o.noProfile ?? false)],
    ['WINRS_CODEPAGE', String(o.codepage ?? 437)],
  ];
  return envelope(header(o, ACTION.Create, undefined, options), `<rsp:Shell>${shell}</rsp:Shell>`);
}

/** rsp:Command (pywinrm `run_command`): arguments are joined by one space into one rsp:Arguments. */
export function command(shellId: string, cmd: string, args: readonly string[], o: RequestOptions & CommandOptions): string {
  const options: Array<[string, string]> = [
    ['WINRS_CONSOLEMODE_STDIN', bool(o.consoleModeStdin ?? true)],
    ['WINRS_SKIP_CMD_SHELL', bool(o.skipCmdShell ?? false)],
  ];
  let line = el('rsp:Command', cmd);
  if (args.length > 0) line += el('rsp:Arguments', args.join(' '));
  return envelope(header(o, ACTION.Command, shellId, options), `<rsp:CommandLine>${line}</rsp:CommandLine>`);
}

/** rsp:Receive of stdout and stderr (pywinrm `_raw_get_command_output`). */
export function receive(shellId: string, commandId: string, o: RequestOptions): string {
  const body = `<rsp:Receive>${el('rsp:DesiredStream', 'stdout stderr', [['CommandId', commandId]])}</rsp:Receive>`;
  return envelope(header(o, ACTION.Receive, shellId), body);
}

/** rsp:Signal (pywinrm `cleanup_command` sends terminate). */
export function signal(shellId: string, commandId: string, code: string, o: RequestOptions): string {
  const body = `<rsp:Signal CommandId="${escapeAttr(commandId)}">${el('rsp:Code', code)}</rsp:Signal>`;
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
