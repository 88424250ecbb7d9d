// WS-Management for the simulated WinRM client and server: envelopes, parsing, faults, cmd shell.
export * from './namespaces.ts';
export * from './errors.ts';
export type * from './types.ts';
export * as request from './request.ts';
export { identify, createShell, command, receive, signal, deleteShell } from './request.ts';
export type { RequestOptions, CreateShellOptions, CommandOptions } from './request.ts';
export { parseRequest, parseResponse } from './parse.ts';
export * from './response.ts';
export * from './faults.ts';
export * from './shell.ts';
export { runCommand, commandLine, GEN_MAX, type CommandEnv, type CommandOutcome } from './commands.ts';
export { genBytes, GEN_LINE } from './output.ts';
export { idSequence, messageIdSequence } from './ids.ts';
export { parseDurationMs, formatSeconds } from './duration.ts';
export { escapeText, escapeAttr } from './xml-escape.ts';
