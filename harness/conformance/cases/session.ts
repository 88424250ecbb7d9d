// The WinRM session the cases replay: what WinRM does between a handshake and Delete.

import type { WinrmClient } from '../../client/types.ts';
import type { Network } from '../../net/types.ts';

export interface SessionPlan {
  /** Idle pause between requests, ms (REQUIREMENTS: at least 2 s for http.6 and https.5). */
  pauseMs: number;
  commands: number;
}

export interface SessionRecord {
  steps: string[];
  outputs: string[];
}

/** Identify, shell Create, N × (Command + Receive until done), Signal, Delete, pausing between. */
export async function runSession(net: Network, client: WinrmClient, plan: SessionPlan): Promise<SessionRecord> {
  const rec: SessionRecord = { steps: [], outputs: [] };
  const pause = () => (plan.pauseMs > 0 ? net.clock.sleep(plan.pauseMs) : Promise.resolve());
  await client.identify();
  rec.steps.push('Identify');
  await pause();
  const shell = await client.createShell();
  rec.steps.push('Create');
  let lastCommand = '';
  for (let i = 1; i <= plan.commands; i++) {
    await pause();
    const cmd = await client.command(shell, 'echo', [`wpc-${i}`]);
    lastCommand = cmd;
    rec.steps.push('Command');
    let out = '';
    for (let round = 0; round < 20; round++) {
      const r = await client.receive(shell, cmd);
      rec.steps.push('Receive');
      out += Buffer.from(r.stdout).toString('utf8');
      if (r.done) break;
    }
    rec.outputs.push(out.trim());
  }
  await pause();
  await client.signal(shell, lastCommand, 'terminate');
  rec.steps.push('Signal');
  await client.deleteShell(shell);
  rec.steps.push('Delete');
  return rec;
}
