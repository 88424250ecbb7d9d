// A scenario printed back as YAML, in the documented key order: what a shrunk counterexample
// looks like in a failure message, ready to save under scenarios/ and replay.

import { stringify } from 'yaml';
import type { NormalizedScenario, Scenario } from './types.ts';

const TOP = ['name', 'description', 'seed', 'boundMs', 'transports', 'server', 'proxy', 'clients', 'concurrent', 'order', 'expect'] as const;
const CLIENT = ['name', 'count', 'user', 'auth', 'credentials', 'encryption', 'transport', 'profile', 'proxy', 'unsafeAllowUnencryptedThroughProxy', 'steps'] as const;

function ordered<T extends object>(o: T, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rec = o as Record<string, unknown>;
  for (const k of keys) if (rec[k] !== undefined) out[k] = rec[k];
  for (const k of Object.keys(rec)) if (!(k in out) && rec[k] !== undefined) out[k] = rec[k];
  return out;
}

export function formatScenario(s: Scenario | NormalizedScenario): string {
  const src: Scenario = 'source' in s ? s.source : s;
  const doc = ordered(src, TOP);
  doc.clients = src.clients.map((c) => ordered(c, CLIENT));
  return stringify(doc, { lineWidth: 0 });
}
