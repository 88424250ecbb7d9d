// The cmd-shell side of a WinRM server (MS-WSMV §3.1.4.5 Create, §3.1.4.11 Command,
// §3.1.4.14 Receive, §3.1.4.12 Signal, §3.1.4.7 Delete), deterministic: no processes, no timers.
// Time comes from the caller's `now()`; a Receive that must wait is returned as a `hold` that the
// endpoint resumes when its clock reaches `untilMs` (or earlier, after a Signal or Delete).

import { CMD_RESOURCE_URI, SIGNAL } from './namespaces.ts';
import { FAULTS, type FaultName } from './faults.ts';
import * as R from './response.ts';
import { commandLine, runCommand } from './commands.ts';
import type { OutputSource } from './output.ts';
import { idSequence, messageIdSequence } from './ids.ts';
import { parseRequest } from './parse.ts';
import { WsmanParseError } from './errors.ts';
import type { WsmanRequest } from './types.ts';

export interface ShellHostOptions {
  hostname: string;
  /** Milliseconds on the caller's clock (the Network's Clock in simulation). */
  now: () => number;
  /** `whoami` output for an authenticated user; default: the user name in lower case. */
  identity?: (user: string) => string;
  /** winrm/config/winrs MaxShellsPerUser; default 30. */
  maxShells?: number;
  /** Seed of the ShellId, CommandId and response MessageID sequences. */
  seed?: number | string;
  /** Most stdout+stderr bytes in one ReceiveResponse; default 1 MiB. */
  maxReceiveBytes?: number;
  /** Used when a request has no w:OperationTimeout (WinRM's default is 60 s). */
  defaultOperationTimeoutMs?: number;
  productVersion?: string;
}

export interface RequestContext {
  /** The authenticated user (`DOMAIN\user`), or '' for an unauthenticated Identify. */
  user: string;
}

export type HandleResult =
  /** `commandId`: on a CommandResponse, the id it carries (saves the server re-reading its own XML for the audit). */
  | { kind: 'response'; status: 200 | 500; xml: string; fault?: FaultName; commandId?: string }
  | {
      kind: 'hold';
      /** When something may change: the command's end, or the OperationTimeout deadline. */
      untilMs: number;
      /** Request arrival + OperationTimeout: resuming at or after it yields TimedOut at the latest. */
      deadlineMs: number;
      /** Re-evaluate the held Receive at the current `now()`. */
      resume: () => HandleResult;
    };

interface Command {
  readonly id: string;
  readonly finishMs: number;
  exitCode: number;
  readonly streams: Record<StreamName, { src: OutputSource; sent: number }>;
  terminated: boolean;
}

interface Shell {
  readonly id: string;
  readonly owner: string;
  readonly commands: Map<string, Command>;
}

/** STATUS_CONTROL_C_EXIT: the exit code of a process stopped by a signal. */
export const SIGNALLED_EXIT_CODE = 0xc000013a;

export class ShellHost {
  private readonly shells = new Map<string, Shell>();
  private readonly nextShellId: () => string;
  private readonly nextCommandId: () => string;
  private readonly nextMessageId: () => string;
  private readonly maxShells: number;
  private readonly maxReceiveBytes: number;
  private readonly defaultTimeoutMs: number;

  constructor(private readonly opts: ShellHostOptions) {
    const seed = String(opts.seed ?? 0);
    this.nextShellId = idSequence(`${seed}/shell`);
    this.nextCommandId = idSequence(`${seed}/command`);
    this.nextMessageId = messageIdSequence(`${seed}/message`);
    this.maxShells = opts.maxShells ?? 30;
    this.maxReceiveBytes = opts.maxReceiveBytes ?? 1024 * 1024;
    this.defaultTimeoutMs = opts.defaultOperationTimeoutMs ?? 60_000;
  }

  /** Open shells (for audits and tests). */
  shellIds(): string[] {
    return [...this.shells.keys()];
  }

  /** Parse and handle; a WsmanParseError becomes a w:SchemaValidationError fault. */
  handleXml(xml: string, ctx: RequestContext): HandleResult {
    let req: WsmanRequest;
    try {
      req = parseRequest(xml);
    } catch (e) {
      if (!(e instanceof WsmanParseError)) throw e;
      return this.fault(e.messageId, 'SchemaValidationError');
    }
    return this.handle(req, ctx);
  }

  handle(req: WsmanRequest, ctx: RequestContext): HandleResult {
    switch (req.body.kind) {
      case 'identify':
        return this.ok(
          R.identifyResponse(req.messageId ? this.hdr(req) : {}, { productVersion: this.opts.productVersion }),
        );
      case 'create':
        return this.create(req, ctx);
      case 'command':
      case 'receive':
      case 'signal':
      case 'delete':
        return this.onShell(req, ctx);
      default:
        return this.fault(req.messageId, 'ActionNotSupported');
    }
  }

  private create(req: WsmanRequest, ctx: RequestContext): HandleResult {
    if (req.resourceUri !== undefined && req.resourceUri !== CMD_RESOURCE_URI) return this.fault(req.messageId, 'ActionNotSupported');
    let mine = 0;
    for (const s of this.shells.values()) if (sameUser(s.owner, ctx.user)) mine++;
    if (mine >= this.maxShells) return this.fault(req.messageId, 'QuotaLimit');
    const shell: Shell = { id: this.nextShellId(), owner: ctx.user, commands: new Map() };
    this.shells.set(shell.id, shell);
    return this.ok(R.createResponse(this.hdr(req), { shellId: shell.id, address: req.to, owner: ctx.user }));
  }

  private onShell(req: WsmanRequest, ctx: RequestContext): HandleResult {
    // MS-WSMV §3.1.4.1.30: the shell is addressed by the ShellId selector.
    const shellId = req.selectors['ShellId'];
    const shell = shellId === undefined ? undefined : this.shells.get(shellId);
    if (!shell) return this.fault(req.messageId, 'InvalidSelectors');
    // A shell belongs to the user who created it; WinRM refuses everyone else.
    if (!sameUser(shell.owner, ctx.user)) return this.fault(req.messageId, 'AccessDenied');
    const body = req.body;
    switch (body.kind) {
      case 'command': {
        const outcome = runCommand(commandLine(body.command, body.arguments), {
          hostname: this.opts.hostname,
          whoami: (this.opts.identity ?? defaultIdentity)(ctx.user),
        });
        const cmd: Command = {
          id: this.nextCommandId(),
          finishMs: this.opts.now() + outcome.durationMs,
          exitCode: outcome.exitCode,
          streams: { stdout: { src: outcome.stdout, sent: 0 }, stderr: { src: outcome.stderr, sent: 0 } },
          terminated: false,
        };
        shell.commands.set(cmd.id, cmd);
        return { kind: 'response', status: 200, xml: R.commandResponse(this.hdr(req), cmd.id), commandId: cmd.id };
      }
      case 'receive': {
        const cmd = body.commandId === undefined ? undefined : shell.commands.get(body.commandId);
        if (!cmd) return this.fault(req.messageId, 'InvalidParameter');
        const deadlineMs = this.opts.now() + (req.operationTimeoutMs ?? this.defaultTimeoutMs);
        return this.receive(req, cmd, body.desiredStreams, deadlineMs);
      }
      case 'signal': {
        const cmd = body.commandId === undefined ? undefined : shell.commands.get(body.commandId);
        if (!cmd) return this.fault(req.messageId, 'InvalidParameter');
        if (body.code !== SIGNAL.terminate && body.code !== SIGNAL.ctrl_c && body.code !== SIGNAL.ctrl_break) {
          return this.fault(req.messageId, 'InvalidParameter');
        }
        this.stop(cmd);
        // terminate releases the command (MS-WSMV §3.1.4.12); ctrl_c leaves it to be received.
        if (body.code === SIGNAL.terminate) shell.commands.delete(cmd.id);
        return this.ok(R.signalResponse(this.hdr(req)));
      }
      case 'delete': {
        for (const cmd of shell.commands.values()) this.stop(cmd);
        this.shells.delete(shell.id);
        return this.ok(R.deleteResponse(this.hdr(req)));
      }
      default:
        return this.fault(req.messageId, 'ActionNotSupported');
    }
  }

  /** A signalled command stops now; output not yet received is discarded. */
  private stop(cmd: Command): void {
    if (cmd.terminated) return;
    if (this.opts.now() < cmd.finishMs) cmd.exitCode = SIGNALLED_EXIT_CODE;
    cmd.terminated = true;
    for (const s of Object.values(cmd.streams)) s.sent = s.src.length;
  }

  /**
   * Receive (MS-WSMV §3.1.4.14): send what output there is, up to maxReceiveBytes; Done with the
   * exit code once the command has ended and everything is sent; otherwise wait (hold) until the
   * command ends or the OperationTimeout passes, then answer w:TimedOut.
   */
  private receive(req: WsmanRequest, cmd: Command, desired: string[], deadlineMs: number): HandleResult {
    const now = this.opts.now();
    const ended = cmd.terminated || now >= cmd.finishMs;
    const names = wantedStreams(desired);
    let pending = false;
    for (const n of names) if (cmd.streams[n].sent < cmd.streams[n].src.length) pending = true;
    if (!pending && !ended) {
      if (now >= deadlineMs) return this.fault(req.messageId, 'TimedOut');
      return {
        kind: 'hold',
        untilMs: Math.min(cmd.finishMs, deadlineMs),
        deadlineMs,
        resume: () => this.receive(req, cmd, desired, deadlineMs),
      };
    }
    let budget = this.maxReceiveBytes;
    const data: Uint8Array[] = [];
    let finished = ended;
    for (const name of names) {
      const s = cmd.streams[name];
      const len = Math.min(budget, s.src.length - s.sent);
      data.push(s.src.read(s.sent, len));
      s.sent += len;
      budget -= len;
      if (s.sent < s.src.length) finished = false;
    }
    // A stream is sent when it has data, and (empty) with End once everything is out.
    const streams: R.ReceiveStream[] = [];
    for (let k = 0; k < names.length; k++) {
      if (data[k]!.length > 0 || finished) streams.push({ name: names[k]!, data: data[k]!, end: finished });
    }
    return this.ok(
      R.receiveResponse(this.hdr(req), {
        commandId: cmd.id,
        streams,
        state: finished ? 'Done' : 'Running',
        exitCode: finished ? cmd.exitCode : undefined,
      }),
    );
  }

  private hdr(req: WsmanRequest): R.ResponseHeader {
    return { messageId: this.nextMessageId(), relatesTo: req.messageId };
  }

  private ok(xml: string): HandleResult {
    return { kind: 'response', status: 200, xml };
  }

  private fault(relatesTo: string | undefined, name: FaultName): HandleResult {
    const xml = R.fault(
      { messageId: this.nextMessageId(), relatesTo: relatesTo || undefined },
      { ...FAULTS[name], machine: this.opts.hostname },
    );
    return { kind: 'response', status: 500, xml, fault: name };
  }
}

type StreamName = 'stdout' | 'stderr';
const STREAM_NAMES: readonly StreamName[] = ['stdout', 'stderr'];

/** The streams a Receive asks for (rsp:DesiredStream; none named means all), in output order. */
function wantedStreams(desired: readonly string[]): readonly StreamName[] {
  if (desired.length === 0) return STREAM_NAMES;
  const out: StreamName[] = [];
  for (const n of STREAM_NAMES) if (desired.includes(n)) out.push(n);
  return out;
}

const defaultIdentity = (user: string): string => user.toLowerCase();

/** Windows account names compare case-insensitively. */
function sameUser(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

