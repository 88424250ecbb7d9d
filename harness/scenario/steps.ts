// Step text ⇄ Step: `identify`, `create`, `command <cmdline>`, `receive`, `signal`, `delete`,
// `run <cmdline>`, `pause <ms>` (scenarios/README.md, "Steps").

import type { Step } from './types.ts';

export function parseStep(text: string): Step {
  const t = text.trim();
  const sp = t.indexOf(' ');
  const word = sp < 0 ? t : t.slice(0, sp);
  const rest = sp < 0 ? '' : t.slice(sp + 1).trim();
  switch (word) {
    case 'identify':
    case 'create':
    case 'receive':
    case 'signal':
    case 'delete':
      if (rest) throw new Error(`step '${t}': '${word}' takes no argument`);
      return { op: word };
    case 'command':
    case 'run':
      if (!rest) throw new Error(`step '${t}': '${word}' needs a command line`);
      return { op: word, line: rest };
    case 'pause': {
      if (!/^\d+$/.test(rest)) throw new Error(`step '${t}': 'pause' needs milliseconds (an integer)`);
      return { op: 'pause', ms: Number(rest) };
    }
    default:
      throw new Error(`step '${t}': unknown step '${word}' (identify, create, command <cmdline>, receive, signal, delete, run <cmdline>, pause <ms>)`);
  }
}

export function formatStep(s: Step): string {
  switch (s.op) {
    case 'command':
    case 'run':
      return `${s.op} ${s.line}`;
    case 'pause':
      return `pause ${s.ms}`;
    default:
      return s.op;
  }
}

/** A command line as WS-Man carries it: rsp:Command (the first word) and rsp:Arguments. */
export function splitCommandLine(line: string): { command: string; args: string[] } {
  const words = line.trim().split(/\s+/);
  return { command: words[0], args: words.slice(1) };
}

/**
 * Checks that a client's steps make sense in order (a command needs a shell, a receive needs a
 * command, …). Returns the first problem in plain words, or undefined.
 */
export function stepOrderProblem(steps: readonly Step[]): string | undefined {
  let shell = false;
  let command = false;
  for (const [i, s] of steps.entries()) {
    const at = `step ${i + 1} '${formatStep(s)}'`;
    switch (s.op) {
      case 'create':
        shell = true;
        command = false;
        break;
      case 'command':
        if (!shell) return `${at} needs a shell: put 'create' before it`;
        command = true;
        break;
      case 'receive':
      case 'signal':
        if (!command) return `${at} needs a command: put 'command <cmdline>' before it`;
        break;
      case 'delete':
        if (!shell) return `${at} has no shell to delete`;
        shell = false;
        command = false;
        break;
      default:
        break;
    }
  }
  return undefined;
}
