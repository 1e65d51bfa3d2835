// Mapping between test_runs rows and TestRunRecord / RunFieldsPatch. JSON columns are parsed here and
// nowhere else; summary and thresholds are never part of a record (they can be large).
import { StampedeError } from '../core/index.ts';
import { isFinalStatus, isRunResult, isRunStatus, runningSeconds, type RunStatus, type StatusEntry } from '../domain/index.ts';
import type { TestRunsTable } from './schema.ts';
import type { RunFieldsPatch, TestRunListRecord, TestRunRecord, TestRunText } from './store.ts';

export const RUN_COLUMNS = [
  'id',
  'load_test_id',
  'project_id',
  'stack_id',
  'status',
  'status_history',
  'result',
  'result_details',
  'options',
  'distribution',
  'max_vus',
  'max_browser_vus',
  'estimated_duration',
  'execution_duration',
  'cost',
  'k6_dependencies',
  'k6_versions',
  'started_by',
  'note',
  'is_starred',
  'is_saved',
  'retention_expiry',
  'results_deleted',
  'runner_distribution',
  'created',
  'ended',
] as const satisfies readonly (keyof TestRunsTable)[];

export type RunRow = { [K in (typeof RUN_COLUMNS)[number]]: K extends 'id' ? number : TestRunsTable[K] };

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function toStatus(value: string): RunStatus {
  if (!isRunStatus(value)) throw new StampedeError('STAMPEDE_ERR_INTERNAL', `stored status ${value} is not a run status`);
  return value;
}

/** `executionDuration` of a run still in progress counts its running time up to `now`. */
export function toRun(row: RunRow, now: Date = new Date()): TestRunRecord {
  const status = toStatus(row.status);
  const statusHistory = JSON.parse(row.status_history) as StatusEntry[];
  return {
    id: row.id,
    loadTestId: row.load_test_id,
    projectId: row.project_id,
    stackId: row.stack_id,
    status,
    statusHistory,
    result: row.result !== null && isRunResult(row.result) ? row.result : null,
    resultDetails: parseJson(row.result_details),
    options: parseJson(row.options),
    distribution: parseJson(row.distribution),
    maxVus: row.max_vus,
    maxBrowserVus: row.max_browser_vus,
    estimatedDuration: row.estimated_duration,
    executionDuration: isFinalStatus(status) ? row.execution_duration : runningSeconds(statusHistory, now),
    cost: parseJson(row.cost),
    k6Dependencies: JSON.parse(row.k6_dependencies) as Record<string, string>,
    k6Versions: JSON.parse(row.k6_versions) as Record<string, string>,
    startedBy: row.started_by,
    note: row.note,
    isStarred: row.is_starred === 1,
    isSaved: row.is_saved === 1,
    retentionExpiry: row.retention_expiry === null ? null : new Date(row.retention_expiry),
    resultsDeleted: row.results_deleted === 1,
    runnerDistribution: parseJson(row.runner_distribution),
    created: new Date(row.created),
    ended: row.ended === null ? null : new Date(row.ended),
  };
}

/**
 * The columns run lists read (see TestRunText): not the script, summary, thresholds or runner
 * distribution, which only single-run operations show. Order matters: SQLite reads them as arrays.
 */
export const RUN_TEXT_COLUMNS = [
  'id',
  'load_test_id',
  'project_id',
  'stack_id',
  'status',
  'result',
  'max_vus',
  'max_browser_vus',
  'estimated_duration',
  'execution_duration',
  'started_by',
  'note',
  'is_starred',
  'retention_expiry',
  'created',
  'ended',
  'status_history',
  'result_details',
  'options',
  'distribution',
  'cost',
  'k6_dependencies',
  'k6_versions',
] as const satisfies readonly (keyof TestRunsTable)[];

export type RunTextRow = { [K in (typeof RUN_TEXT_COLUMNS)[number]]: K extends 'id' ? number : TestRunsTable[K] };

/** A row read as an array, in RUN_TEXT_COLUMNS order → TestRunText. */
export function runTextFromValues(v: readonly unknown[]): TestRunText {
  return {
    id: v[0] as number,
    loadTestId: v[1] as number,
    projectId: v[2] as number,
    stackId: v[3] as number,
    status: toStatus(v[4] as string),
    result: toResult(v[5] as string | null),
    maxVus: v[6] as number | null,
    maxBrowserVus: v[7] as number | null,
    estimatedDuration: v[8] as number | null,
    executionDuration: v[9] as number,
    startedBy: v[10] as string | null,
    note: v[11] as string,
    isStarred: v[12] === 1,
    retentionExpiry: v[13] as number | null,
    created: v[14] as number,
    ended: v[15] as number | null,
    json: {
      statusHistory: v[16] as string,
      resultDetails: v[17] as string | null,
      options: v[18] as string | null,
      distribution: v[19] as string | null,
      cost: v[20] as string | null,
      k6Dependencies: v[21] as string,
      k6Versions: v[22] as string,
    },
  };
}

export function runTextFromRow(row: RunTextRow): TestRunText {
  return runTextFromValues(RUN_TEXT_COLUMNS.map((c) => row[c]));
}

function toResult(value: string | null) {
  return value !== null && isRunResult(value) ? value : null;
}

/** TestRunText → the parsed list record, exactly as `toRun` would give it for the same row. */
export function parseRunText(t: TestRunText, now: Date = new Date()): TestRunListRecord {
  const statusHistory = JSON.parse(t.json.statusHistory) as StatusEntry[];
  return {
    id: t.id,
    loadTestId: t.loadTestId,
    projectId: t.projectId,
    stackId: t.stackId,
    status: t.status,
    statusHistory,
    result: t.result,
    resultDetails: parseJson(t.json.resultDetails),
    options: parseJson(t.json.options),
    distribution: parseJson(t.json.distribution),
    maxVus: t.maxVus,
    maxBrowserVus: t.maxBrowserVus,
    estimatedDuration: t.estimatedDuration,
    executionDuration: isFinalStatus(t.status) ? t.executionDuration : runningSeconds(statusHistory, now),
    cost: parseJson(t.json.cost),
    k6Dependencies: JSON.parse(t.json.k6Dependencies) as Record<string, string>,
    k6Versions: JSON.parse(t.json.k6Versions) as Record<string, string>,
    startedBy: t.startedBy,
    note: t.note,
    isStarred: t.isStarred,
    retentionExpiry: t.retentionExpiry === null ? null : new Date(t.retentionExpiry),
    created: new Date(t.created),
    ended: t.ended === null ? null : new Date(t.ended),
  };
}

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

export function patchColumns(fields: RunFieldsPatch): Partial<Omit<TestRunsTable, 'id'>> {
  const set: Partial<Omit<TestRunsTable, 'id'>> = {};
  if (fields.options !== undefined) set.options = json(fields.options);
  if (fields.distribution !== undefined) set.distribution = json(fields.distribution);
  if (fields.maxVus !== undefined) set.max_vus = fields.maxVus;
  if (fields.maxBrowserVus !== undefined) set.max_browser_vus = fields.maxBrowserVus;
  if (fields.estimatedDuration !== undefined) set.estimated_duration = fields.estimatedDuration;
  if (fields.executionDuration !== undefined) set.execution_duration = Math.round(fields.executionDuration);
  if (fields.cost !== undefined) {
    set.cost = json(fields.cost);
    set.cost_vuh = fields.cost?.total_vuh ?? 0;
  }
  if (fields.k6Dependencies !== undefined) set.k6_dependencies = JSON.stringify(fields.k6Dependencies);
  if (fields.k6Versions !== undefined) set.k6_versions = JSON.stringify(fields.k6Versions);
  if (fields.resultDetails !== undefined) {
    set.result_details = json(fields.resultDetails);
    set.result = fields.resultDetails?.type ?? null;
  }
  if (fields.runnerDistribution !== undefined) set.runner_distribution = json(fields.runnerDistribution);
  if (fields.summary !== undefined) set.summary = json(fields.summary);
  if (fields.thresholds !== undefined) set.thresholds = json(fields.thresholds);
  return set;
}

/**
 * Failed thresholds from k6's threshold outcome shape `{metric: {expression: failed}}` (as sent in
 * k6's test-finished call); anything else yields none.
 */
export function failedThresholds(thresholds: unknown): string[] {
  if (typeof thresholds !== 'object' || thresholds === null) return [];
  const failed: string[] = [];
  for (const [metric, exprs] of Object.entries(thresholds)) {
    if (typeof exprs !== 'object' || exprs === null) continue;
    for (const [expr, didFail] of Object.entries(exprs)) if (didFail === true) failed.push(`${metric}: ${expr}`);
  }
  return failed;
}
