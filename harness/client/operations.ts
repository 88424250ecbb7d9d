// The WS-Man operations of a WinRM client (MS-WSMV §3.1.4; pywinrm protocol.py), on top of the
// session: build the envelope, send it, read the answer, turn faults into errors.

import * as W from '../wsman/index.ts';
import type { WsmanResponse } from '../wsman/types.ts';
import { WsmanParseError } from '../wsman/errors.ts';
import type { CallOptions, WinrmSession } from './session.ts';
import { WinrmClientError, type CommandResult } from './types.ts';

export interface OperationEnv {
  session: WinrmSession;
  to: string;
  nextMessageId(): string;
  timeoutMs: number;
  operationTimeoutS: number;
}

function parse(step: string, status: number, xml: string): WsmanResponse {
  if (xml.trim() === '') {
    throw new WinrmClientError('protocol', `${step}: HTTP ${status} with an empty body`, { status, step });
  }
  try {
    return W.parseResponse(xml);
  } catch (e) {
    const why = e instanceof WsmanParseError ? `${e.kind}: ${e.message}` : (e as Error).message;
    throw new WinrmClientError('protocol', `${step}: unreadable response (HTTP ${status}): ${why}`, { status, step });
  }
}

function faultError(step: string, status: number, r: WsmanResponse): WinrmClientError {
  const f = r.fault!;
  return new WinrmClientError('wsman-fault', `${step}: ${f.code} ${f.subcode}: ${f.reason}`, {
    step,
    status,
    code: f.code,
    subcode: f.subcodeLocal,
    wsmanCode: f.wsmanCode,
    reason: f.reason,
  });
}

/** Sends and parses; a fault is thrown unless `allowFault` accepts it. */
async function op(
  env: OperationEnv,
  step: string,
  build: (messageId: string) => string,
  o: Partial<CallOptions> & { expectRelatesTo?: boolean } = {},
): Promise<WsmanResponse> {
  const messageId = env.nextMessageId();
  // One shape for every call (no conditional spread): `anonymous` is read as `=== true`.
  const { status, xml } = await env.session.call(step, build(messageId), {
    replay: o.replay ?? 'always',
    timeoutMs: o.timeoutMs ?? env.timeoutMs,
    anonymous: o.anonymous === true,
  });
  const r = parse(step, status, xml);
  if (r.fault) return r;
  if (status !== 200) throw new WinrmClientError('protocol', `${step}: HTTP ${status} without a fault`, { status, step });
  // WS-Addressing 2004/08 §3.3; pywinrm 0.3.0 asserts RelatesTo on Signal and Delete.
  if (o.expectRelatesTo !== false && r.relatesTo !== undefined && r.relatesTo !== messageId) {
    throw new WinrmClientError('protocol', `${step}: RelatesTo ${r.relatesTo} does not answer ${messageId}`, { step });
  }
  return r;
}

function requireOk(step: string, r: WsmanResponse): WsmanResponse {
  if (r.fault) throw faultError(step, 500, r);
  return r;
}

export async function identify(env: OperationEnv, anonymous: boolean) {
  const r = requireOk('Identify', await op(env, 'Identify', (messageId) => W.identify({ to: env.to, messageId }), { anonymous }));
  if (!r.identify) throw new WinrmClientError('protocol', 'Identify: no IdentifyResponse in the answer', { step: 'Identify' });
  const { productVendor, productVersion, protocolVersion } = r.identify;
  return { productVendor, productVersion, protocolVersion };
}

const reqOpts = (env: OperationEnv, messageId: string) => ({ to: env.to, messageId, operationTimeoutS: env.operationTimeoutS });

export async function createShell(env: OperationEnv): Promise<string> {
  const r = requireOk('Create', await op(env, 'Create', (id) => W.createShell(reqOpts(env, id))));
  if (!r.shellId) throw new WinrmClientError('protocol', 'Create: no ShellId in the answer', { step: 'Create' });
  return r.shellId;
}

export async function command(env: OperationEnv, shellId: string, cmd: string, args: readonly string[]): Promise<string> {
  // INV-6: a Command is never re-sent once written.
  const r = requireOk('Command', await op(env, 'Command', (id) => W.command(shellId, cmd, args, reqOpts(env, id)), { replay: 'never' }));
  if (!r.commandId) throw new WinrmClientError('protocol', 'Command: no CommandId in the answer', { step: 'Command' });
  return r.commandId;
}

export async function receive(env: OperationEnv, shellId: string, commandId: string): Promise<CommandResult & { done: boolean }> {
  // The server may hold a Receive for its OperationTimeout (long poll): wait that much longer.
  const timeoutMs = env.timeoutMs + env.operationTimeoutS * 1000;
  const r = await op(env, 'Receive', (id) => W.receive(shellId, commandId, reqOpts(env, id)), { timeoutMs, replay: 'if-no-response' });
  if (r.fault) {
    // MS-WSMV §3.1.4.14: w:TimedOut means "no output yet"; clients retry silently.
    if (r.fault.subcodeLocal === 'TimedOut') return { stdout: new Uint8Array(0), stderr: new Uint8Array(0), exitCode: 0, done: false };
    throw faultError('Receive', 500, r);
  }
  const st = r.commandState;
  const done = st !== undefined && st.state === 'Done';
  return { stdout: new Uint8Array(streamBytes(r, 'stdout', commandId)), stderr: new Uint8Array(streamBytes(r, 'stderr', commandId)), exitCode: st?.exitCode ?? 0, done };
}

/** The bytes of one output stream of `commandId` in a Receive response. */
function streamBytes(r: { streams?: ReadonlyArray<{ name: string; commandId?: string; data: Uint8Array }> }, name: string, commandId: string): Buffer {
  return Buffer.concat((r.streams ?? []).filter((s) => s.name === name && (s.commandId === undefined || s.commandId === commandId)).map((s) => s.data));
}

export async function signal(env: OperationEnv, shellId: string, commandId: string, code: 'terminate' | 'ctrl_c'): Promise<void> {
  requireOk('Signal', await op(env, 'Signal', (id) => W.signal(shellId, commandId, W.SIGNAL[code], reqOpts(env, id))));
}

export async function deleteShell(env: OperationEnv, shellId: string): Promise<void> {
  requireOk('Delete', await op(env, 'Delete', (id) => W.deleteShell(shellId, reqOpts(env, id))));
}

/** pywinrm `run_cmd`: open_shell, run_command, get_command_output (Receive until Done), cleanup_command, close_shell. */
export async function runCommand(env: OperationEnv, cmd: string, args: readonly string[], maxRounds: number): Promise<CommandResult> {
  const shellId = await createShell(env);
  const commandId = await command(env, shellId, cmd, args);
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  let exitCode = 0;
  let done = false;
  for (let round = 0; !done; round++) {
    if (round >= maxRounds) {
      throw new WinrmClientError('timeout', `Receive: the command did not finish within ${maxRounds} rounds`, { step: 'Receive', rounds: round });
    }
    const r = await receive(env, shellId, commandId);
    out.push(r.stdout);
    err.push(r.stderr);
    exitCode = r.exitCode;
    done = r.done;
  }
  await signal(env, shellId, commandId, 'terminate');
  await deleteShell(env, shellId);
  return { stdout: new Uint8Array(Buffer.concat(out)), stderr: new Uint8Array(Buffer.concat(err)), exitCode };
}
