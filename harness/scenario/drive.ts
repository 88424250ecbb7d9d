// Runs each client instance's steps against its WinrmClient: concurrently, one client after
// another, or in an explicit step interleaving. A client stops at its first error, which
// becomes its outcome.

import { WinrmClientError } from '../client/types.ts';
import type { Clock } from '../net/types.ts';
import { formatStep, splitCommandLine } from './steps.ts';
import type { Step } from './types.ts';
import type { ClientInstance } from './world.ts';

/** Receive rounds per `receive` step before giving up (commands here finish quickly). */
const MAX_RECEIVE_ROUNDS = 200;

export class ClientRun {
  next = 0;
  outcome?: string;
  error?: string;
  private shellId?: string;
  private commandId?: string;

  constructor(
    readonly inst: ClientInstance,
    private readonly clock: Clock,
  ) {
    if (inst.setupError) this.fail(inst.setupError.code, inst.setupError.message);
  }

  get finished(): boolean {
    return this.outcome !== undefined;
  }

  /** What it was doing, for a hang's explanation. */
  get current(): string {
    const s = this.inst.spec.steps[this.next];
    return s ? `step ${this.next + 1} '${formatStep(s)}'` : 'after its last step';
  }

  async stepOnce(): Promise<void> {
    if (this.finished) return;
    const step = this.inst.spec.steps[this.next];
    if (!step) {
      this.outcome = 'ok';
      return;
    }
    try {
      await this.perform(step);
      this.next++;
      if (this.next >= this.inst.spec.steps.length) this.outcome = 'ok';
    } catch (e) {
      if (e instanceof WinrmClientError) this.fail(e.code, e.message);
      else this.fail('protocol', `${this.current}: ${(e as Error).message}`);
    }
  }

  async runRest(): Promise<void> {
    while (!this.finished) await this.stepOnce();
  }

  private fail(code: string, message: string): void {
    this.outcome = code;
    this.error = message.split('\n')[0];
  }

  private async perform(step: Step): Promise<void> {
    const c = this.inst.client!;
    switch (step.op) {
      case 'identify':
        await c.identify({ unauthenticated: this.inst.spec.auth === 'none' });
        return;
      case 'create':
        this.shellId = await c.createShell();
        return;
      case 'command': {
        const { command, args } = splitCommandLine(step.line);
        this.commandId = await c.command(this.shellId!, command, args);
        return;
      }
      case 'receive': {
        for (let i = 0; i < MAX_RECEIVE_ROUNDS; i++) {
          if ((await c.receive(this.shellId!, this.commandId!)).done) return;
        }
        throw new WinrmClientError('timeout', `command still running after ${MAX_RECEIVE_ROUNDS} Receive rounds`);
      }
      case 'signal':
        await c.signal(this.shellId!, this.commandId!);
        return;
      case 'delete':
        await c.deleteShell(this.shellId!);
        this.shellId = undefined;
        return;
      case 'run': {
        const { command, args } = splitCommandLine(step.line);
        await c.runCommand(command, args);
        return;
      }
      case 'pause':
        await this.clock.sleep(step.ms);
        return;
    }
  }
}

export async function driveAll(runs: ClientRun[], mode: { concurrent: boolean; order?: string[] }): Promise<void> {
  if (mode.order) {
    const byActor = new Map(runs.map((r) => [r.inst.actor, r]));
    for (const actor of mode.order) await byActor.get(actor)!.stepOnce();
    for (const r of runs) await r.runRest();
    return;
  }
  if (mode.concurrent) {
    await Promise.all(runs.map((r) => r.runRest()));
    return;
  }
  for (const r of runs) await r.runRest();
}
