// Validates a report.json value against schema.json (the documented contract, §6).
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

let compiled: ValidateFunction | undefined;

/** The JSON Schema of report.json. */
export function reportSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('./schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, discriminator: true, strict: true, allowUnionTypes: true });
    // RFC 3339 date-time, as ajv-formats would check it (not installed).
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i);
    compiled = ajv.compile(reportSchema());
  }
  return compiled;
}

/** One line per error: where (JSON pointer, "/" for the root) and what is wrong. */
function describe(e: ErrorObject): string {
  const where = e.instancePath || '/';
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `${where}: unexpected property '${String(params.additionalProperty)}'`;
  if (e.keyword === 'enum') return `${where}: ${e.message} (${(params.allowedValues as unknown[]).join(', ')})`;
  if (e.keyword === 'const') return `${where}: must be ${JSON.stringify(params.allowedValue)}`;
  return `${where}: ${e.message ?? e.keyword}`;
}

export function validateReport(x: unknown): { ok: true } | { ok: false; errors: string[] } {
  const validate = validator();
  if (validate(x)) return { ok: true };
  return { ok: false, errors: [...new Set((validate.errors ?? []).map(describe))] };
}
