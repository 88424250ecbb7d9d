// The commands the simulated cmd shell knows. What runs is a pure description: output, exit code
// and how long the "process" lives; the ShellHost turns time into state with the caller's clock.

import { EMPTY, genSource, textSource, type OutputSource } from './output.ts';

export interface CommandEnv {
  hostname: string;
  /** `whoami` output for the authenticated user (e.g. `domain\user`, lower case). */
  whoami: string;
}

export interface CommandOutcome {
  stdout: OutputSource;
  stderr: OutputSource;
  exitCode: number;
  /** How long the process runs; 0 = it has exited by the time Command is answered. */
  durationMs: number;
}

/** Largest `gen` request: 16 MiB. */
export const GEN_MAX = 16 * 1024 * 1024;

const done = (stdout: string, exitCode = 0): CommandOutcome => ({
  stdout: stdout === '' ? EMPTY : textSource(stdout),
  stderr: EMPTY,
  exitCode,
  durationMs: 0,
});
const fail = (stderr: string, exitCode = 1): CommandOutcome => ({ stdout: EMPTY, stderr: textSource(stderr), exitCode, durationMs: 0 });

/**
 * The command line as WinRM hands it to cmd.exe: rsp:Command, then each rsp:Arguments, joined by
 * spaces (pywinrm sends all arguments in one rsp:Arguments, already space-joined).
 */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].join(' ');
}

export function runCommand(line: string, env: CommandEnv): CommandOutcome {
  const trimmed = line.replace(/^\s+/, '');
  const m = /^(\S*)(?:\s([\s\S]*))?$/.exec(trimmed)!;
  const verb = m[1]!;
  const rest = m[2] ?? '';
  switch (verb.toLowerCase()) {
    case 'hostname':
      return done(`${env.hostname}\r\n`);
    case 'whoami':
      return done(`${env.whoami}\r\n`);
    case 'echo':
      // cmd.exe: `echo` alone reports the echo state; otherwise the text after one delimiter.
      return rest.trim() === '' ? done('ECHO is on.\r\n') : done(`${rest}\r\n`);
    case 'exit': {
      // cmd.exe: a non-numeric code is 0.
      const n = Number.parseInt(rest.trim().replace(/^\/b\s+/i, ''), 10);
      return done('', Number.isFinite(n) ? n : 0);
    }
    case 'gen': {
      const n = Number(rest.trim());
      if (!Number.isInteger(n) || n < 0 || n > GEN_MAX) return fail(`gen: byte count must be an integer from 0 to ${GEN_MAX}\r\n`);
      return { stdout: genSource(n), stderr: EMPTY, exitCode: 0, durationMs: 0 };
    }
    case 'sleep': {
      const s = Number(rest.trim());
      if (rest.trim() === '' || !Number.isFinite(s) || s < 0) return fail(`sleep: invalid time interval '${rest.trim()}'\r\n`);
      return { stdout: EMPTY, stderr: EMPTY, exitCode: 0, durationMs: Math.round(s * 1000) };
    }
    case 'type-stderr':
      return fail(`${rest}\r\n`);
    default:
      if (verb === '') return done('');
      return fail(`'${verb}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`);
  }
}
