// Scenarios as data: load, validate, run, print back (scenarios/README.md documents the format).
export type * from './types.ts';
export { CLIENT_OUTCOMES, INVARIANT_IDS, DEFAULT_USERS, DEFAULT_BOUND_MS } from './types.ts';
export { loadScenario, parseScenario } from './load.ts';
export { validateScenario, scenarioSchema, ScenarioError, type ValidationResult } from './validate.ts';
export { formatScenario } from './format.ts';
export { runScenario, type RunOptions, type ScenarioResult, type ClientResult, type EndReason } from './run.ts';
export { parseStep, formatStep } from './steps.ts';
