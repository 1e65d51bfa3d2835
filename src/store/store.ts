// The storage seam: what the control plane remembers, as repositories over one database. Both
// dialects implement exactly this; `store.behaviour.test.ts` runs the same suite against each.
//
// Conventions: ids are positive integers (v6 ids are int64); timestamps are `Date`; JSON columns come
// back parsed. Everything a stack owns is read through its `stackId`, and anything of another stack
// behaves exactly as if it did not exist. Lookups return null when absent; mutations throw
// StampedeError (NOT_FOUND, CONFLICT, VALIDATION) from `core`.
import type {
  DistributionZone,
  ListQuery,
  OrderTerm,
  ProjectLimits,
  ResultDetails,
  Role,
  RunnerDistribution,
  RunResult,
  RunStatus,
  ScheduleTiming,
  StatusEntry,
  StatusExtra,
  TestCost,
} from '../domain/index.ts';

export interface StoreConfig {
  /** `postgres://…` selects PostgreSQL; absent → SQLite file `<dataDir>/stampede.db`. */
  databaseUrl?: string;
  dataDir: string;
  /** Days an unsaved run's results are kept after it ends (default 30). */
  retentionDays?: number;
  /** Cap on saved runs per stack; saving beyond it is a conflict. Absent/null → no cap. */
  maxSavedRunsPerStack?: number | null;
  /**
   * Deployment cost reductions (see domain cost.ts), applied when the store computes a run's final
   * cost itself (a final transition without an explicit `fields.cost`). Default none.
   */
  costReductions?: Readonly<Record<string, number>>;
  /** PostgreSQL only: use (and create) this schema instead of `public`. For isolated test runs. */
  pgSchema?: string;
  /**
   * PostgreSQL only: told when an idle pooled connection is lost (database restarted, network cut).
   * The pool reconnects on the next query; this is for the log.
   */
  onConnectionLost?: (err: Error) => void;
  /**
   * PostgreSQL only: how long an ordinary statement may go unanswered before its connection is taken
   * as stalled, closed, and the statement failed as the store being unavailable (default
   * `PG_QUERY_TIMEOUT_MS`, 30 s; known long work gets at least 15 min, migrations no bound: `query-bounds.ts`).
   */
  pgQueryTimeoutMs?: number;
  /**
   * SQLite only: told when the database or its write-ahead log the store has open is no longer the
   * file at its path (deleted or replaced under the running server), and of the repair (`watchSqliteFiles`).
   */
  log?: StoreLog;
  /** SQLite only: how often that is checked (default `SQLITE_FILE_CHECK_INTERVAL_MS`, 10 s). */
  sqliteFileCheckMs?: number;
}

export interface StoreLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface Page {
  top: number;
  skip: number;
  /** Whether to compute the total count (v6 `$count`). */
  count: boolean;
  orderBy?: readonly OrderTerm[];
}

export interface Paged<T> {
  items: T[];
  /** Total matching rows when `count` was asked for, else null. */
  count: number | null;
}

export interface StackRecord {
  id: number;
  name: string;
  defaultProjectId: number;
  created: Date;
}

export interface UserRecord {
  id: number;
  email: string;
  created: Date;
}

export interface MembershipRecord {
  stackId: number;
  userId: number;
  role: Role;
}

export type TokenKind = 'personal' | 'stack';

export interface TokenRecord {
  id: number;
  name: string;
  kind: TokenKind;
  /** Set for personal tokens. */
  userId: number | null;
  /** Set for stack tokens. */
  stackId: number | null;
  revoked: boolean;
  created: Date;
}

/** A token just created: the clear secret is returned here once and never stored. */
export interface CreatedToken {
  id: number;
  name: string;
  token: string;
}

/** Who a (non-revoked) bearer token acts as. */
export type Principal =
  | { kind: 'user'; tokenId: number; userId: number; email: string }
  | { kind: 'stack'; tokenId: number; stackId: number };

export interface ProjectRecord {
  id: number;
  stackId: number;
  name: string;
  isDefault: boolean;
  created: Date;
  updated: Date;
}

export interface ProjectLimitsRecord extends ProjectLimits {
  projectId: number;
}

export type ScriptContentType = 'text/javascript' | 'application/x-tar';

export interface Script {
  bytes: Uint8Array;
  contentType: ScriptContentType;
}

export interface LoadTestRecord {
  id: number;
  projectId: number;
  stackId: number;
  name: string;
  baselineTestRunId: number | null;
  k6Version: number | null;
  hasScript: boolean;
  created: Date;
  updated: Date;
}

export interface TestRunRecord {
  id: number;
  loadTestId: number;
  projectId: number;
  stackId: number;
  status: RunStatus;
  /** In order; the last entry is v6 `status_details`. */
  statusHistory: StatusEntry[];
  result: RunResult | null;
  resultDetails: ResultDetails | null;
  options: Record<string, unknown> | null;
  distribution: DistributionZone[] | null;
  maxVus: number | null;
  maxBrowserVus: number | null;
  /** Seconds, from the execution plan. */
  estimatedDuration: number | null;
  /** Real seconds spent in `running`; for a run in progress, counted up to the moment it was read. */
  executionDuration: number;
  cost: TestCost | null;
  k6Dependencies: Record<string, string>;
  k6Versions: Record<string, string>;
  startedBy: string | null;
  note: string;
  isStarred: boolean;
  isSaved: boolean;
  retentionExpiry: Date | null;
  /** The retention sweeper removed this run's results (summary, metrics); the record stays. */
  resultsDeleted: boolean;
  runnerDistribution: RunnerDistribution | null;
  created: Date;
  ended: Date | null;
}

/** The fields of a run that run lists show: a TestRunRecord without what only single-run operations use. */
export type TestRunListRecord = Omit<TestRunRecord, 'isSaved' | 'resultsDeleted' | 'runnerDistribution'>;

/**
 * A run of a list page with its JSON-valued columns as the stored JSON text, never parsed, so a page of
 * runs can be written into a response without a parse and re-stringify per run. Timestamps are epoch
 * ms; `executionDuration` is the stored value (for a run in progress, `parseRunText` counts it up).
 * The JSON text is what the store wrote (compact `JSON.stringify` output).
 */
export interface TestRunText {
  id: number;
  loadTestId: number;
  projectId: number;
  stackId: number;
  status: RunStatus;
  result: RunResult | null;
  maxVus: number | null;
  maxBrowserVus: number | null;
  estimatedDuration: number | null;
  executionDuration: number;
  startedBy: string | null;
  note: string;
  isStarred: boolean;
  retentionExpiry: number | null;
  created: number;
  ended: number | null;
  json: {
    statusHistory: string;
    resultDetails: string | null;
    options: string | null;
    distribution: string | null;
    cost: string | null;
    k6Dependencies: string;
    k6Versions: string;
  };
}

/** Fields a run accumulates while it executes; each given key replaces the stored value. */
export interface RunFieldsPatch {
  options?: Record<string, unknown> | null;
  distribution?: DistributionZone[] | null;
  maxVus?: number | null;
  maxBrowserVus?: number | null;
  estimatedDuration?: number | null;
  executionDuration?: number;
  cost?: TestCost | null;
  k6Dependencies?: Record<string, string>;
  k6Versions?: Record<string, string>;
  /** Also sets `result` to `resultDetails.type`. */
  resultDetails?: ResultDetails | null;
  runnerDistribution?: RunnerDistribution | null;
  /** handleSummary-shaped data of the finished run. */
  summary?: unknown;
  /** Threshold outcomes, e.g. `{metric: {expr: failed}}`. */
  thresholds?: unknown;
}

export interface CreateRunInput {
  stackId: number;
  loadTestId: number;
  /** Email of the starting user; null for a stack token. */
  startedBy: string | null;
  /** Snapshot of the script the run uses; omitted → the load test's current script; null → none (yet). */
  script?: Script | null;
  options?: Record<string, unknown> | null;
  distribution?: DistributionZone[] | null;
  maxVus?: number | null;
  maxBrowserVus?: number | null;
  estimatedDuration?: number | null;
  cost?: TestCost | null;
  k6Dependencies?: Record<string, string>;
  k6Versions?: Record<string, string>;
  /** `K6-Idempotency-Key`: within its 10-minute life the same key on the same load test returns the same run. */
  idempotencyKey?: string;
  now?: Date;
}

export interface TransitionOptions {
  at?: Date;
  extra?: StatusExtra | null;
  fields?: RunFieldsPatch;
  /**
   * Ending a run whose runners were lost unseen (a server restart): a run still `running` keeps the
   * execution duration last stored while it ran (progress refreshes it each second) for its duration
   * and cost, instead of counting the time until `at`, which would bill the time the server was down.
   */
  durationAsLastStored?: boolean;
}

export interface RunResults {
  summary: unknown;
  thresholds: unknown;
}

export interface LoadZoneRecord {
  id: number;
  name: string;
  k6LoadZoneId: string;
  available: boolean;
  public: boolean;
  customLoadRunnerImage: string | null;
}

/** Structurally the engine's MetricsBatch (see docs/architecture.md), as stored per second. */
export interface StoredMetricDef {
  name: string;
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: 'default' | 'time' | 'data';
}
export interface StoredSeriesAggregate {
  metric: string;
  tags: Record<string, string>;
  counter?: { sum: number };
  gauge?: { last: number; min: number; max: number };
  rate?: { nonzero: number; total: number };
  trend?: { count: number; sum: number; min: number; max: number; hdr: string };
}
export interface StoredMetricsBatch {
  time: number;
  metrics: StoredMetricDef[];
  series: StoredSeriesAggregate[];
}

export interface StacksRepo {
  /** Creates the stack and its default project (named "Default project") atomically. */
  create(name: string): Promise<StackRecord>;
  get(id: number): Promise<StackRecord | null>;
  list(): Promise<StackRecord[]>;
  /** Adds or changes a membership. NOT_FOUND when the stack or user does not exist. */
  setMember(stackId: number, userId: number, role: Role): Promise<void>;
  removeMember(stackId: number, userId: number): Promise<boolean>;
  getRole(stackId: number, userId: number): Promise<Role | null>;
  listMemberships(userId: number): Promise<MembershipRecord[]>;
}

export interface UsersRepo {
  /** CONFLICT when the email is taken (emails compare case-insensitively). */
  create(email: string): Promise<UserRecord>;
  get(id: number): Promise<UserRecord | null>;
  getByEmail(email: string): Promise<UserRecord | null>;
}

export interface TokensRepo {
  createPersonal(userId: number, name: string): Promise<CreatedToken>;
  createForStack(stackId: number, name: string): Promise<CreatedToken>;
  /** Stores a caller-chosen secret (e.g. STAMPEDE_ADMIN_TOKEN); CONFLICT if it already exists. */
  importPersonal(userId: number, name: string, token: string): Promise<CreatedToken>;
  get(id: number): Promise<TokenRecord | null>;
  /** Revoked tokens stop authenticating immediately. False when there is no such token. */
  revoke(id: number): Promise<boolean>;
  /** The principal for a clear bearer token, or null when unknown or revoked. */
  authenticate(token: string): Promise<Principal | null>;
}

export interface ProjectsRepo {
  list(stackId: number, page: Page): Promise<Paged<ProjectRecord>>;
  get(stackId: number, id: number): Promise<ProjectRecord | null>;
  getDefault(stackId: number): Promise<ProjectRecord | null>;
  /**
   * CONFLICT when the stack already has a project with that name, or already holds `maxProjects`
   * (counted inside the creating transaction, so concurrent creates cannot pass it).
   */
  create(stackId: number, name: string, opts?: { maxProjects?: number }): Promise<ProjectRecord>;
  rename(stackId: number, id: number, name: string): Promise<ProjectRecord>;
  /** Deletes the project with its load tests and runs. CONFLICT for the default project or while a run is active. */
  delete(stackId: number, id: number): Promise<void>;
  getLimits(stackId: number, projectId: number): Promise<ProjectLimitsRecord | null>;
  updateLimits(stackId: number, projectId: number, patch: Partial<ProjectLimits>): Promise<ProjectLimitsRecord>;
  listLimits(stackId: number, page: Page): Promise<Paged<ProjectLimitsRecord>>;
}

export interface LoadTestListFilter {
  projectId?: number;
  /** Exact name match. */
  name?: string;
}

export interface LoadTestsRepo {
  list(stackId: number, filter: LoadTestListFilter, page: Page): Promise<Paged<LoadTestRecord>>;
  get(stackId: number, id: number): Promise<LoadTestRecord | null>;
  /** The stack the load test belongs to, null when there is none: for operations whose spec sends no X-Stack-Id. */
  stackOf(id: number): Promise<number | null>;
  /** NOT_FOUND when the project is not the stack's; CONFLICT when the name is taken in the project. */
  create(stackId: number, input: { projectId: number; name: string; script: Script | null; k6Version?: number | null }): Promise<LoadTestRecord>;
  update(stackId: number, id: number, patch: { name?: string; baselineTestRunId?: number | null; k6Version?: number | null }): Promise<LoadTestRecord>;
  move(stackId: number, id: number, projectId: number): Promise<LoadTestRecord>;
  /** Deletes the test and its runs; CONFLICT while one of its runs is not final. */
  delete(stackId: number, id: number): Promise<void>;
  /** NOT_FOUND for an unknown test; null when it has no script yet. */
  getScript(stackId: number, id: number): Promise<Script | null>;
  putScript(stackId: number, id: number, script: Script): Promise<void>;
}

export interface TestRunsRepo {
  /** Creates a run in `created` (history has that one entry). `reused` when the idempotency key matched. */
  create(input: CreateRunInput): Promise<{ run: TestRunRecord; reused: boolean }>;
  get(stackId: number, id: number): Promise<TestRunRecord | null>;
  /** Unscoped, for the orchestrator. */
  getById(id: number): Promise<TestRunRecord | null>;
  /** Honours top/skip/count, createdAfter (inclusive), createdBefore (exclusive), orderBy `created` (default ascending), isStarred. */
  list(stackId: number, query: ListQuery, scope?: { loadTestId?: number }): Promise<Paged<TestRunRecord>>;
  /** The same page as `list`, each run as TestRunText (JSON columns unparsed; see `parseRunText`). */
  listText(stackId: number, query: ListQuery, scope?: { loadTestId?: number }): Promise<Paged<TestRunText>>;
  /**
   * Appends `to` to the history atomically, with `fields`. CONFLICT when the move is illegal (see
   * domain canTransition). On a final status sets `ended`, `execution_duration` (seconds in
   * `running`, from the history, unless given), `retention_expiry`, the final `cost` (from max VUs and
   * execution duration, unless given) and `result`/`result_details` (derived from the final entry and
   * the stored/given thresholds outcome, unless given).
   */
  transition(id: number, to: RunStatus, opts?: TransitionOptions): Promise<TestRunRecord>;
  updateFields(id: number, fields: RunFieldsPatch): Promise<TestRunRecord>;
  setNote(stackId: number, id: number, note: string): Promise<TestRunRecord>;
  setStarred(stackId: number, id: number, starred: boolean): Promise<TestRunRecord>;
  /** CONFLICT "Test run has been deleted" after the sweeper ran, or when the saved-runs cap is reached. */
  save(stackId: number, id: number): Promise<TestRunRecord>;
  unsave(stackId: number, id: number): Promise<TestRunRecord>;
  /** CONFLICT while the run is not final. */
  delete(stackId: number, id: number): Promise<void>;
  /** The exact script bytes the run started with. */
  getScript(stackId: number, id: number): Promise<Script | null>;
  getResults(id: number): Promise<RunResults | null>;
  /**
   * Runs not in a final status, oldest first: what a restarted orchestrator must reconcile. Runs that
   * execute on the user's machine (local execution: they have a test run token) are left out, unless
   * `localExecution` asks for those (and only those).
   */
  listUnfinished(opts?: { localExecution?: boolean }): Promise<TestRunRecord[]>;
  /** Replaces the script a run records (a local-execution run's uploaded archive). NOT_FOUND for an unknown run. */
  setScript(id: number, script: Script): Promise<void>;
  /** Deletes results of unsaved runs whose retention expired by `now`; returns how many. */
  sweepRetention(now: Date): Promise<number>;
  /** Total VUh (cost.total_vuh) of the project's runs created in the calendar month of `at`. */
  vuhUsedInMonth(projectId: number, at: Date, excludeRunId?: number): Promise<number>;
}

/** What a run-scoped secret is for: the test run token, or the archive upload URL's secret. */
export type RunTokenPurpose = 'run' | 'archive';

/** Secrets acting for one run only, issued for local-execution runs (`k6 cloud run --local-execution`). */
export interface RunTokensRepo {
  /** A new secret for the run and purpose; the clear secret is returned here once. NOT_FOUND for an unknown run. */
  issue(runId: number, purpose: RunTokenPurpose, now?: Date): Promise<string>;
  /** The run and purpose a clear secret acts for, or null when unknown (or its run was deleted). */
  resolve(token: string): Promise<{ runId: number; purpose: RunTokenPurpose } | null>;
  /** Whether the run executes on the user's machine (it was issued a test run token). */
  isLocalExecution(runId: number): Promise<boolean>;
  /** Forgets the run's secrets of one purpose. */
  revoke(runId: number, purpose: RunTokenPurpose): Promise<void>;
}

/** One log line of a run: epoch microseconds, logrus' level name (`info`, `warning`, …), the message and its labels. */
export interface RunLogLine {
  time: number;
  level: string;
  message: string;
  labels: Record<string, string>;
}

/** A stored line: `id` orders a run's lines and is the cursor to read on from. */
export interface StoredRunLogLine extends RunLogLine {
  id: number;
}

export interface RunLogReadOptions {
  /** Lines after this id only (a cursor from an earlier read). */
  after?: number;
  /** Lines at or after this time (epoch µs) only. */
  since?: number;
  /** Lines before this time (epoch µs) only. */
  until?: number;
  /** At most this many lines (default and cap 5,000). */
  limit?: number;
  /** `backward`: the newest lines first (the last `limit` lines). Default `forward`. */
  direction?: 'forward' | 'backward';
  /** Lines of this level only. */
  level?: string;
  /** Lines of none of these levels. */
  notLevels?: readonly string[];
  /** Lines whose message contains every one of these strings (case-sensitive, as Loki's `|=`). */
  contains?: readonly string[];
  /** Lines whose message contains none of these strings (Loki's `!=` line filter). */
  excludes?: readonly string[];
}

/** The log lines of runs (script console, engine warnings): appended as they come, read by cursor. */
export interface RunLogsRepo {
  append(runId: number, lines: readonly RunLogLine[]): Promise<void>;
  read(runId: number, opts?: RunLogReadOptions): Promise<StoredRunLogLine[]>;
  count(runId: number): Promise<number>;
  /**
   * The distinct label sets of the lines logged in [since, until) (epoch µs): each line's labels with
   * its `level` and its run's `test_run_id`; of the given runs, or of every run of a stack.
   */
  labelSets(scope: RunLogScope, window: { since: number; until: number }): Promise<Record<string, string>[]>;
}

/** Whose lines a label query reads: some runs, or the runs of one stack. */
export type RunLogScope = { runIds: readonly number[] } | { stackId: number };

export interface RunMetricsRepo {
  append(runId: number, batch: StoredMetricsBatch): Promise<void>;
  /** Batches in time order, optionally for one metric and a time window [from, to) in epoch ms. */
  read(runId: number, opts?: { metric?: string; from?: number; to?: number }): Promise<StoredMetricsBatch[]>;
  listMetrics(runId: number): Promise<StoredMetricDef[]>;
}

/** The fields of a load zone an operator chooses (everything but its id). */
export type LoadZoneInput = Omit<LoadZoneRecord, 'id'>;

export interface LoadZonesRepo {
  /** In id order; the first is the default zone (see domain `defaultLoadZone`). */
  list(): Promise<LoadZoneRecord[]>;
  get(id: number): Promise<LoadZoneRecord | null>;
  /** CONFLICT when another zone has the same k6 load zone id. */
  create(input: LoadZoneInput): Promise<LoadZoneRecord>;
  /**
   * NOT_FOUND for an unknown zone. CONFLICT when the new k6 id is taken, when the default zone would
   * become unavailable, or when an unfinished run needs the zone (see domain `runNeedsLoadZone`) and
   * the patch changes its k6 id or makes it unavailable.
   */
  update(id: number, patch: Partial<LoadZoneInput>): Promise<LoadZoneRecord>;
  /** NOT_FOUND for an unknown zone; CONFLICT, with the reason, for the last zone, the default zone or a zone an unfinished run needs. */
  remove(id: number): Promise<void>;
}

export interface LabelKeyRecord {
  id: number;
  key: string;
  description: string | null;
}

export interface ProjectLabelRecord {
  keyId: number;
  key: string;
  value: string;
}

/** Most label keys a stack holds, labels a project holds, and distinct key=value pairs a stack uses (as Grafana Cloud k6). */
export const LABEL_LIMITS = { keysPerStack: 100, labelsPerProject: 30, pairsPerStack: 500 } as const;

/** Label keys of a stack and the labels (one value per key) of its projects. */
export interface LabelsRepo {
  /** In id order. */
  listKeys(stackId: number): Promise<LabelKeyRecord[]>;
  /** Adds keys (all or none); CONFLICT when one exists already or the stack would exceed LABEL_LIMITS.keysPerStack. */
  createKeys(stackId: number, keys: readonly { key: string; description: string | null }[]): Promise<LabelKeyRecord[]>;
  /** NOT_FOUND for another stack's or an unknown key; CONFLICT when the new name is taken. */
  updateKey(stackId: number, id: number, patch: { key?: string; description?: string | null }): Promise<LabelKeyRecord>;
  /** NOT_FOUND as above; the key's project labels go with it. */
  deleteKey(stackId: number, id: number): Promise<void>;
  /** Every labelled project of the stack: project id → {key: value}. */
  labelsByProject(stackId: number): Promise<Map<number, Record<string, string>>>;
  /** The project's labels by key name; the project must be the stack's (callers check). */
  listProjectLabels(projectId: number): Promise<ProjectLabelRecord[]>;
  /**
   * Replaces the project's labels. Each names its key by id or name; VALIDATION (target `value.N.key_id`
   * or `value.N.key`) for a key the stack lacks or named twice; CONFLICT past LABEL_LIMITS.pairsPerStack.
   */
  replaceProjectLabels(stackId: number, projectId: number, labels: readonly { keyId: number | null; key: string | null; value: string }[]): Promise<ProjectLabelRecord[]>;
  /** Whether the project had a label with that key name (it is removed). */
  removeProjectLabel(stackId: number, projectId: number, key: string): Promise<boolean>;
}

export interface ScheduleRecord {
  id: number;
  stackId: number;
  loadTestId: number;
  timing: ScheduleTiming;
  deactivated: boolean;
  /** The next occurrence the trigger has not handled yet; null once none is left. */
  nextRun: Date | null;
  createdBy: string | null;
  created: Date;
}

export interface ScheduleInput {
  timing: ScheduleTiming;
  nextRun: Date | null;
  createdBy: string | null;
  now: Date;
}

/** Load test schedules: at most one per load test, deleted with it. */
export interface SchedulesRepo {
  /** The stack's schedules in id order. */
  list(stackId: number, page: Page): Promise<Paged<ScheduleRecord>>;
  get(stackId: number, id: number): Promise<ScheduleRecord | null>;
  getByLoadTest(stackId: number, loadTestId: number): Promise<ScheduleRecord | null>;
  /**
   * Sets the load test's schedule, active: an existing one is overwritten in place (same id, its
   * creation time kept). NOT_FOUND when the load test is not the stack's.
   */
  put(stackId: number, loadTestId: number, input: ScheduleInput): Promise<ScheduleRecord>;
  /** Whether it existed (it is deleted). */
  remove(stackId: number, id: number): Promise<boolean>;
  /** Sets `deactivated` (and, when given, `next_run`); null when the schedule is not the stack's. */
  setDeactivated(stackId: number, id: number, deactivated: boolean, nextRun?: Date | null): Promise<ScheduleRecord | null>;
  /** Active schedules of every stack whose `next_run` is at or before `now`, earliest first, at most `limit`. */
  due(now: Date, limit: number): Promise<ScheduleRecord[]>;
  /**
   * Moves an active schedule's `next_run` from `from` to `to` if it is still active at `from`
   * (compare-and-set): true for the one caller that claimed the occurrence.
   */
  advance(id: number, from: Date, to: Date | null): Promise<boolean>;
}

export interface FirstStartResult {
  /** True when this call created the first stack. */
  created: boolean;
  stackId: number;
  userId: number;
  projectId: number;
  adminEmail: string;
  /** The generated clear token, only when this call generated one; else null. */
  token: string | null;
}

export interface BulkSeedOptions {
  stackId: number;
  projectId: number;
  loadTests: number;
  runs: number;
  /** Creation time of the first run; later runs are `spacingMs` apart. */
  startAt?: Date;
  spacingMs?: number;
}

export interface BulkSeedResult {
  loadTestIds: number[];
  runCount: number;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly stacks: StacksRepo;
  readonly users: UsersRepo;
  readonly tokens: TokensRepo;
  readonly projects: ProjectsRepo;
  readonly loadTests: LoadTestsRepo;
  readonly testRuns: TestRunsRepo;
  readonly runMetrics: RunMetricsRepo;
  readonly loadZones: LoadZonesRepo;
  readonly labels: LabelsRepo;
  readonly runTokens: RunTokensRepo;
  readonly runLogs: RunLogsRepo;
  readonly schedules: SchedulesRepo;
  /**
   * First start: stack "Default stack", user admin@stampede.local (admin), its default project and a
   * personal token (`adminToken` when given, else generated and returned once). Idempotent: later
   * calls create nothing, except storing a newly given `adminToken` that is not stored yet.
   */
  seedFirstStart(opts?: { adminToken?: string }): Promise<FirstStartResult>;
  /** Fast multi-row insert of completed runs for benchmarks. */
  seedBulkRuns(opts: BulkSeedOptions): Promise<BulkSeedResult>;
  close(): Promise<void>;
}

export const ADMIN_EMAIL = 'admin@stampede.local';
