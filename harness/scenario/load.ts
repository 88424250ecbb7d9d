// Reading a scenario file (YAML; JSON is YAML too) into a validated NormalizedScenario.

import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ScenarioError, validateScenario } from './validate.ts';
import type { NormalizedScenario } from './types.ts';

/** Parses and validates scenario text; throws ScenarioError with one line per problem. */
export function parseScenario(text: string, file?: string): NormalizedScenario {
  let value: unknown;
  try {
    value = parse(text, { prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    throw new ScenarioError([`not valid YAML: ${msg}`], file);
  }
  const r = validateScenario(value);
  if (!r.ok) throw new ScenarioError(r.errors, file);
  return r.scenario;
}

/** Reads and validates a scenario file; throws ScenarioError (unreadable file, YAML or schema error). */
export async function loadScenario(path: string): Promise<NormalizedScenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ScenarioError([`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`], path);
  }
  return parseScenario(text, path);
}
