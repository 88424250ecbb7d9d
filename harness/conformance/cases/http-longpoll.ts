// http.11 (SHOULD): a Receive the server holds for its OperationTimeout completes through the
// proxy (WinRM's long poll; seed: "HTTP-Based Proxy Connections").

import type { CaseDefinition } from '../types.ts';
import { errorText, exchangesOf } from '../observe.ts';
import { fail, pass } from './outcome.ts';

/** Share of OperationTimeout a held Receive must have lasted (timers on real sockets are not exact). */
const HELD_AT_LEAST = 0.9;

export const http11: CaseDefinition = {
  id: 'http.11',
  async run(ctx) {
    const server = await ctx.startServer();
    const timeoutS = ctx.timing.operationTimeoutS;
    const client = ctx.client(server, { operationTimeoutS: timeoutS });
    const t0 = ctx.net.clock.now();
    let failure: string | undefined;
    let done: boolean | undefined;
    try {
      const shell = await client.createShell();
      const cmd = await client.command(shell, 'sleep', [String(timeoutS * 3)]);
      const r = await client.receive(shell, cmd); // held by the server for OperationTimeout
      done = r.done;
      await client.signal(shell, cmd, 'terminate');
      await client.deleteShell(shell);
    } catch (e) {
      failure = errorText(e);
    }
    const receives = exchangesOf(ctx.net, 'client#1', 'client').filter((x) => x.tag && client.exchanges.find((e) => e.tag === x.tag)?.step === 'Receive');
    const held = receives[0];
    const heldMs = held?.response ? Math.round(held.response.t - held.request.t) : undefined;
    const evidence = { operationTimeoutS: timeoutS, heldMs, response: held?.response?.startLine, elapsedMs: ctx.net.clock.now() - t0, clientError: failure };
    if (failure || done === undefined) {
      return fail(ctx, `the Receive held for ${timeoutS} s to come back with the server's TimedOut fault`, `${failure ?? 'no answer'}${heldMs !== undefined ? ` after ${heldMs} ms` : ''}`, evidence);
    }
    // The observation is the long poll itself: the first Receive answered by the server's
    // TimedOut fault (done=false) after about OperationTimeout, not a quicker answer.
    const minMs = timeoutS * 1000 * HELD_AT_LEAST;
    if (done || heldMs === undefined || heldMs < minMs) {
      return fail(
        ctx,
        `the first Receive held about ${timeoutS} s and answered with the server's TimedOut fault`,
        heldMs === undefined ? 'the first Receive got no response (the client had to send it again)' : `${done ? 'a finished command' : 'an answer'} after ${heldMs} ms`,
        evidence,
      );
    }
    return pass(`the Receive was held ${heldMs ?? '?'} ms and its TimedOut answer came through`, evidence);
  },
};
