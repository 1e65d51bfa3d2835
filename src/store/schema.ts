// Row types of the tables, as Kysely sees them. Both dialects store the same values: timestamps as
// epoch milliseconds (BIGINT), booleans as 0/1 integers, JSON as text, bytes as BLOB/BYTEA — so one
// code path serves SQLite and PostgreSQL.
import type { Generated } from 'kysely';

export interface StacksTable {
  id: Generated<number>;
  name: string;
  created: number;
}

export interface UsersTable {
  id: Generated<number>;
  /** Lower-cased. */
  email: string;
  created: number;
}

export interface StackMembersTable {
  stack_id: number;
  user_id: number;
  role: string;
}

export interface TokensTable {
  id: Generated<number>;
  token_hash: string;
  kind: string;
  user_id: number | null;
  stack_id: number | null;
  name: string;
  revoked: number;
  created: number;
}

export interface ProjectsTable {
  id: Generated<number>;
  stack_id: number;
  name: string;
  is_default: number;
  created: number;
  updated: number;
}

export interface ProjectLimitsTable {
  project_id: number;
  vuh_max_per_month: number | null;
  vu_max_per_test: number | null;
  vu_browser_max_per_test: number | null;
  duration_max_per_test: number | null;
}

/** Content-addressed script bodies shared by load tests and the runs started from them. */
export interface ScriptsTable {
  hash: string;
  bytes: Uint8Array;
  content_type: string;
}

export interface LoadTestsTable {
  id: Generated<number>;
  project_id: number;
  stack_id: number;
  name: string;
  baseline_test_run_id: number | null;
  k6_version: number | null;
  script_hash: string | null;
  created: number;
  updated: number;
}

export interface TestRunsTable {
  id: Generated<number>;
  load_test_id: number;
  project_id: number;
  stack_id: number;
  status: string;
  status_history: string;
  result: string | null;
  result_details: string | null;
  options: string | null;
  distribution: string | null;
  max_vus: number | null;
  max_browser_vus: number | null;
  estimated_duration: number | null;
  execution_duration: number;
  cost: string | null;
  /** cost.total_vuh, kept as a number column so monthly usage is a SUM. */
  cost_vuh: number;
  k6_dependencies: string;
  k6_versions: string;
  started_by: string | null;
  note: string;
  is_starred: number;
  is_saved: number;
  retention_expiry: number | null;
  results_deleted: number;
  runner_distribution: string | null;
  script_hash: string | null;
  summary: string | null;
  thresholds: string | null;
  created: number;
  ended: number | null;
}

export interface IdempotencyKeysTable {
  load_test_id: number;
  key: string;
  run_id: number;
  expires: number;
}

export interface LoadZonesTable {
  id: Generated<number>;
  name: string;
  k6_load_zone_id: string;
  available: number;
  public: number;
  custom_image: string | null;
}

export interface LabelKeysTable {
  id: Generated<number>;
  stack_id: number;
  key: string;
  description: string | null;
}

export interface ProjectLabelsTable {
  project_id: number;
  key_id: number;
  value: string;
}

export interface RunMetricDefsTable {
  run_id: number;
  name: string;
  type: string;
  contains: string;
}

export interface RunMetricsTable {
  id: Generated<number>;
  run_id: number;
  time: number;
  metric: string;
  tags: string;
  aggregate: string;
}

/** Migration 0002: each series of a run once, and its per-second aggregates (binary, see run-metrics-repo.ts). */
export interface RunSeriesTable {
  run_id: number;
  series_id: number;
  metric: string;
  tags: string;
}

export interface RunMetricPointsTable {
  run_id: number;
  time: number;
  pos: number;
  series_id: number;
  data: Uint8Array;
}

export interface RunTokensTable {
  token_hash: string;
  run_id: number;
  /** `run` (the test run token) or `archive` (the archive upload URL's secret). */
  purpose: string;
  created: number;
}

/** Migration 0005: a run's log lines (see run-logs-repo.ts). */
export interface RunLogsTable {
  id: Generated<number>;
  run_id: number;
  time_us: number;
  level: string;
  message: string;
  /** JSON object with sorted keys. */
  labels: string;
}

/** A load test's schedule (at most one per load test); `timing` is the domain's ScheduleTiming as JSON. */
export interface SchedulesTable {
  id: Generated<number>;
  stack_id: number;
  load_test_id: number;
  timing: string;
  deactivated: number;
  /** The next occurrence not yet handled by the trigger (epoch ms); null once the schedule has none left. */
  next_run: number | null;
  created_by: string | null;
  created: number;
}

export interface Database {
  stacks: StacksTable;
  users: UsersTable;
  stack_members: StackMembersTable;
  tokens: TokensTable;
  projects: ProjectsTable;
  project_limits: ProjectLimitsTable;
  scripts: ScriptsTable;
  load_tests: LoadTestsTable;
  test_runs: TestRunsTable;
  idempotency_keys: IdempotencyKeysTable;
  load_zones: LoadZonesTable;
  label_keys: LabelKeysTable;
  project_labels: ProjectLabelsTable;
  run_metric_defs: RunMetricDefsTable;
  run_metrics: RunMetricsTable;
  run_series: RunSeriesTable;
  run_metric_points: RunMetricPointsTable;
  run_tokens: RunTokensTable;
  run_logs: RunLogsTable;
  schedules: SchedulesTable;
}

export type Dialect = 'sqlite' | 'postgres';
