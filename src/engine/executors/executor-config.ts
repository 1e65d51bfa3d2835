// Scenario (executor) configurations: the fields every executor shares (k6 lib/executor/base_config.go)
// and the typed config of each executor. All durations are milliseconds. Parsing applies k6's defaults;
// validation returns every problem (k6 messages), never throws.
import { formatDuration } from '../../core/index.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import type {
  ProblemList} from './config-fields.ts';
import {
  readDuration,
  readString,
  readStringMap,
  isObject,
  type JsonObject,
  type StageInput,
} from './config-fields.ts';

export const EXECUTOR_TYPES = [
  'shared-iterations',
  'per-vu-iterations',
  'constant-vus',
  'ramping-vus',
  'constant-arrival-rate',
  'ramping-arrival-rate',
] as const;
export type ExecutorType = (typeof EXECUTOR_TYPES)[number];

export function isExecutorType(v: unknown): v is ExecutorType {
  return typeof v === 'string' && (EXECUTOR_TYPES as readonly string[]).includes(v);
}

export const DEFAULT_GRACEFUL_STOP_MS = 30_000;
/** Executors' durations must be at least this long (k6 minDuration). */
export const MIN_DURATION_MS = 1000;
export const DEFAULT_EXEC = 'default';
const SCENARIO_NAME = /^[0-9a-zA-Z_-]+$/;

export interface BaseScenarioConfig {
  readonly name: string;
  readonly startTime: number;
  readonly gracefulStop: number;
  /** Exported function to call; "default" unless set. */
  readonly exec: string;
  /** `exec` was given as "" (a validation error in k6, reported by validateBase). */
  readonly emptyExec?: true;
  readonly env: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** Scenario `options` (browser settings), kept opaque. */
  readonly options?: JsonObject;
}

export interface SharedIterationsConfig extends BaseScenarioConfig {
  readonly executor: 'shared-iterations';
  readonly vus: number;
  readonly iterations: number;
  readonly maxDuration: number;
}

export interface PerVuIterationsConfig extends BaseScenarioConfig {
  readonly executor: 'per-vu-iterations';
  readonly vus: number;
  readonly iterations: number;
  readonly maxDuration: number;
}

export interface ConstantVusConfig extends BaseScenarioConfig {
  readonly executor: 'constant-vus';
  readonly vus: number;
  /** Undefined only in an invalid config. */
  readonly duration: number | undefined;
}

export interface RampingVusConfig extends BaseScenarioConfig {
  readonly executor: 'ramping-vus';
  readonly startVUs: number;
  readonly stages: readonly StageInput[];
  readonly gracefulRampDown: number;
}

export interface ConstantArrivalRateConfig extends BaseScenarioConfig {
  readonly executor: 'constant-arrival-rate';
  readonly rate: number | undefined;
  readonly timeUnit: number;
  readonly duration: number | undefined;
  readonly preAllocatedVUs: number | undefined;
  /** Defaults to preAllocatedVUs. */
  readonly maxVUs: number;
}

export interface RampingArrivalRateConfig extends BaseScenarioConfig {
  readonly executor: 'ramping-arrival-rate';
  readonly startRate: number;
  readonly timeUnit: number;
  readonly stages: readonly StageInput[];
  readonly preAllocatedVUs: number | undefined;
  readonly maxVUs: number;
}

export type ScenarioConfig =
  | SharedIterationsConfig
  | PerVuIterationsConfig
  | ConstantVusConfig
  | RampingVusConfig
  | ConstantArrivalRateConfig
  | RampingArrivalRateConfig;

/** One entry of an execution plan: from offsetMs on, this many VUs are reserved (k6 lib.ExecutionStep). */
export interface ExecutionStep {
  readonly offsetMs: number;
  readonly plannedVUs: number;
  readonly maxUnplannedVUs: number;
}

/** What each executor module provides about its config (pure; no timers). */
export interface ExecutorKind<C extends ScenarioConfig> {
  readonly type: C['executor'];
  /** Field names besides the base ones; anything else is an unknown-field error, like k6's strict JSON. */
  readonly fields: readonly string[];
  read(raw: JsonObject, base: BaseScenarioConfig, problems: ProblemList, path: string): C;
  validate(config: C): string[];
  steps(config: C, tuple: ExecutionTuple): ExecutionStep[];
  /** The regular duration (without gracefulStop): duration, maxDuration or Σ stages. */
  regularDurationMs(config: C): number;
  /** k6's one-line description, e.g. "10 looping VUs for 30s (gracefulStop: 30s)". */
  describe(config: C, tuple: ExecutionTuple): string;
}

export const BASE_FIELDS = ['executor', 'startTime', 'gracefulStop', 'exec', 'env', 'tags', 'options'] as const;

/** Reads the shared fields; `raw.executor` was already checked by the caller. */
export function readBase(name: string, raw: JsonObject, problems: ProblemList, path: string): BaseScenarioConfig {
  const startTime = readDuration(raw.startTime, `${path}.startTime`, problems) ?? 0;
  const gracefulStop = readDuration(raw.gracefulStop, `${path}.gracefulStop`, problems) ?? DEFAULT_GRACEFUL_STOP_MS;
  const exec = readString(raw.exec, `${path}.exec`, problems);
  const env = readStringMap(raw.env, `${path}.env`, problems) ?? {};
  const tags = readStringMap(raw.tags, `${path}.tags`, problems) ?? {};
  let options: JsonObject | undefined;
  if (raw.options !== undefined && raw.options !== null) {
    if (isObject(raw.options)) {
      options = raw.options;
      for (const k of Object.keys(options)) if (k !== 'browser') problems.add(`${path}.options`, `json: unknown field "${k}"`);
    } else problems.add(`${path}.options`, 'expected an object');
  }
  return {
    name,
    startTime,
    gracefulStop,
    exec: exec === undefined || exec === '' ? DEFAULT_EXEC : exec,
    ...(exec === '' ? { emptyExec: true as const } : {}),
    env,
    tags,
    ...(options === undefined ? {} : { options }),
  };
}

export function validateBase(c: BaseScenarioConfig): string[] {
  const errors: string[] = [];
  if (c.name === '') errors.push("scenario name can't be empty");
  if (!SCENARIO_NAME.test(c.name)) errors.push('the scenario name should contain only numbers, latin letters, underscores, and dashes');
  if (c.emptyExec) errors.push('exec value cannot be empty');
  if (c.startTime < 0) errors.push("the startTime can't be negative");
  if (c.gracefulStop < 0) errors.push("the gracefulStop timeout can't be negative");
  return errors;
}

/** k6 validateStages. */
export function validateStages(stages: readonly StageInput[]): string[] {
  if (stages.length === 0) return ['at least one stage has to be specified'];
  const errors: string[] = [];
  stages.forEach((s, i) => {
    const n = i + 1;
    if (s.duration === undefined) errors.push(`stage ${n} doesn't have a duration`);
    else if (s.duration < 0) errors.push(`the duration for stage ${n} can't be negative`);
    if (s.target === undefined) errors.push(`stage ${n} doesn't have a target`);
    else if (s.target < 0) errors.push(`the target for stage ${n} can't be negative`);
  });
  return errors;
}

export function sumStages(stages: readonly StageInput[]): number {
  return stages.reduce((acc, s) => acc + (s.duration ?? 0), 0);
}

export function stagesMaxTarget(start: number, stages: readonly StageInput[]): number {
  return stages.reduce((acc, s) => Math.max(acc, s.target ?? 0), start);
}

/** k6 getBaseInfo: " (facts…, exec: x, startTime: 10s, gracefulStop: 30s)". */
export function describeBase(c: BaseScenarioConfig, ...facts: string[]): string {
  const all = [...facts];
  if (c.exec !== DEFAULT_EXEC) all.push(`exec: ${c.exec}`);
  if (c.startTime > 0) all.push(`startTime: ${formatDuration(c.startTime)}`);
  if (c.gracefulStop > 0) all.push(`gracefulStop: ${formatDuration(c.gracefulStop)}`);
  return all.length === 0 ? '' : ` (${all.join(', ')})`;
}
