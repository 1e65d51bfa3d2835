// Parsing and validating `options.scenarios` (k6 lib/executors.go ScenarioConfigs): each scenario is
// decoded by its executor's module with k6's defaults; unknown fields inside a scenario are errors (k6
// decodes scenarios strictly). Problems come back per scenario in k6's wording, all at once.
import { ProblemList, foldFieldNames, isObject, type JsonObject } from './config-fields.ts';
import { constantArrivalRate } from './constant-arrival-rate.ts';
import { constantVus } from './constant-vus.ts';
import {
  BASE_FIELDS,
  isExecutorType,
  readBase,
  type ExecutorKind,
  type ExecutorType,
  type ScenarioConfig,
} from './executor-config.ts';
import { perVuIterations } from './per-vu-iterations.ts';
import { rampingArrivalRate } from './ramping-arrival-rate.ts';
import { rampingVus } from './ramping-vus.ts';
import { sharedIterations } from './shared-iterations.ts';

type AnyKind = ExecutorKind<ScenarioConfig>;

const KINDS: Record<ExecutorType, AnyKind> = {
  'shared-iterations': sharedIterations as unknown as AnyKind,
  'per-vu-iterations': perVuIterations as unknown as AnyKind,
  'constant-vus': constantVus as unknown as AnyKind,
  'ramping-vus': rampingVus as unknown as AnyKind,
  'constant-arrival-rate': constantArrivalRate as unknown as AnyKind,
  'ramping-arrival-rate': rampingArrivalRate as unknown as AnyKind,
};

export function executorKind(config: ScenarioConfig): AnyKind {
  return KINDS[config.executor];
}

export interface ParsedScenarios {
  readonly scenarios: ScenarioConfig[];
  readonly problems: string[];
  /** The problems of scenarios that decoded cleanly and failed only validation (k6 Validate()). */
  readonly validation: string[];
}

/** Decodes and validates a scenarios object (JSON values). */
export function parseScenarios(raw: unknown, path = 'scenarios'): ParsedScenarios {
  if (!isObject(raw)) return { scenarios: [], problems: [`${path}: expected an object of scenario name → config`], validation: [] };
  const scenarios: ScenarioConfig[] = [];
  const problems: string[] = [];
  const validation: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const result = parseScenario(name, value, `${path}.${name}`);
    if (result.config) scenarios.push(result.config);
    if (result.problems.length === 0) continue;
    const line = `scenario ${name} has configuration errors: ${result.problems.join(', ')}`;
    problems.push(line);
    if (result.decoded === true) validation.push(line);
  }
  return { scenarios, problems, validation };
}

/**
 * One scenario: its config (undefined when the executor type is missing or unknown) and every problem;
 * `decoded` when all of them are validation problems (k6 would have decoded the JSON and failed Validate()).
 */
export function parseScenario(name: string, given: unknown, path: string): { config?: ScenarioConfig; problems: string[]; decoded?: boolean } {
  if (!isObject(given)) return { problems: ['expected an object'] };
  let value = foldFieldNames(given, BASE_FIELDS);
  if (value.executor === undefined || value.executor === '') return { problems: [`scenario '${name}' doesn't have a specified executor type`] };
  if (!isExecutorType(value.executor)) {
    return {
      problems: [
        value.executor === 'externally-controlled'
          ? "the externally-controlled executor isn't supported (removed in k6 v2)"
          : `unknown executor type '${String(value.executor)}'`,
      ],
    };
  }
  const kind = KINDS[value.executor];
  const problems = new ProblemList();
  const known = new Set<string>([...BASE_FIELDS, ...kind.fields]);
  value = foldFieldNames(given, known);
  for (const key of Object.keys(value)) if (!known.has(key)) problems.add('', `json: unknown field "${key}"`);
  const config = kind.read(value as JsonObject, readBase(name, value, problems, path), problems, path);
  return { config, problems: [...problems.items, ...kind.validate(config)], decoded: problems.items.length === 0 };
}

/** Validation errors of an already-typed config (e.g. one derived from shortcuts). */
export function validateScenario(config: ScenarioConfig): string[] {
  return executorKind(config).validate(config);
}

/** k6 GetSortedConfigs: by startTime, then name. */
export function sortScenarios<T extends ScenarioConfig>(configs: readonly T[]): T[] {
  return [...configs].sort((a, b) => a.startTime - b.startTime || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
