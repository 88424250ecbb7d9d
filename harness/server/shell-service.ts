// The WS-Man service over the cmd ShellHost (harness/wsman): parses the request, caps its
// OperationTimeout at the server's maximum, and runs a held Receive (MS-WSMV §3.1.4.14 long
// poll) on the Network's clock: the hold ends when the command ends, when the deadline passes
// (TimedOut fault), early when another request may have changed the command (Signal, Delete),
// and is dropped when the connection closes.

import type { Clock } from '../net/types.ts';
import { ShellHost, WsmanParseError, commandLine, parseRequest, parseResponse, type HandleResult, type WsmanRequest } from '../wsman/index.ts';
import type { Cancelled, WsmanOutcome, WsmanService } from './wsman-service.ts';

export interface ShellServiceOptions {
  clock: Clock;
  hostname: string;
  maxOperationTimeoutMs: number;
  seed: string;
}

export class ShellService implements WsmanService {
  readonly host: ShellHost;
  /** Held Receives, woken after every other request so that a Signal or Delete ends them early. */
  private readonly held = new Set<() => void>();

  constructor(private readonly opts: ShellServiceOptions) {
    const clock = opts.clock;
    this.host = new ShellHost({
      hostname: opts.hostname,
      // Method shorthand: tsx (esbuild keepNames) re-names every arrow-valued property at run time.
      now() {
        return clock.now();
      },
      seed: opts.seed,
      defaultOperationTimeoutMs: opts.maxOperationTimeoutMs,
    });
  }

  identifyAnonymous(xml: string): WsmanOutcome | undefined {
    let req: WsmanRequest;
    try {
      req = parseRequest(xml);
    } catch {
      return undefined;
    }
    if (req.body.kind !== 'identify') return undefined;
    const r = this.host.handle(req, { user: '' });
    return r.kind === 'response' ? { status: r.status, xml: r.xml, action: 'Identify' } : undefined;
  }

  async serve(xml: string, ctx: { identity: string; cancelled: Cancelled }): Promise<WsmanOutcome | undefined> {
    let req: WsmanRequest;
    try {
      req = parseRequest(xml);
    } catch (e) {
      if (!(e instanceof WsmanParseError)) throw e;
      const r = this.host.handleXml(xml, { user: ctx.identity });
      return r.kind === 'response' ? { status: r.status, xml: r.xml } : undefined;
    }
    const cap = this.opts.maxOperationTimeoutMs;
    if (req.operationTimeoutMs === undefined || req.operationTimeoutMs > cap) req = { ...req, operationTimeoutMs: cap };

    let r: HandleResult = this.host.handle(req, { user: ctx.identity });
    if (r.kind === 'response') this.wakeAll();
    while (r.kind === 'hold') {
      const woke = await this.wait(Math.max(0, r.untilMs - this.opts.clock.now()), ctx.cancelled);
      if (woke === 'cancelled') return undefined;
      r = r.resume();
    }
    return { status: r.status, xml: r.xml, ...describe(req, r.xml, r.commandId) };
  }

  /** Resolves after `ms` on the clock, when woken, or 'cancelled' when the connection goes. */
  private wait(ms: number, cancelled: Cancelled): Promise<'time' | 'woken' | 'cancelled'> {
    if (cancelled.aborted) return Promise.resolve('cancelled');
    const clock = this.opts.clock;
    return new Promise((resolve) => {
      const done = (why: 'time' | 'woken' | 'cancelled'): void => {
        clock.clearTimeout(timer);
        this.held.delete(wake);
        cancelled.removeEventListener('abort', onAbort);
        resolve(why);
      };
      const wake = (): void => done('woken');
      const onAbort = (): void => done('cancelled');
      const timer = clock.setTimeout(() => done('time'), ms);
      this.held.add(wake);
      cancelled.addEventListener('abort', onAbort);
    });
  }

  private wakeAll(): void {
    for (const w of [...this.held]) w();
  }
}

/** Audit fields of a served request: action local name, and for Command its id and line. */
function describe(req: WsmanRequest, responseXml: string, knownCommandId?: string): Pick<WsmanOutcome, 'action' | 'commandId' | 'commandLine'> {
  const action = req.body.kind === 'identify' ? 'Identify' : req.action.slice(req.action.lastIndexOf('/') + 1);
  if (req.body.kind !== 'command') return { action };
  const line = commandLine(req.body.command, req.body.arguments);
  let commandId = knownCommandId;
  if (commandId === undefined) {
    try {
      commandId = parseResponse(responseXml).commandId;
    } catch {
      commandId = undefined;
    }
  }
  return commandId ? { action, commandId, commandLine: line } : { action };
}
