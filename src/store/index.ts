// Public entry of `store`: open a Store over SQLite or PostgreSQL (see store.ts for the contract).
export { databaseEndpoints, openStore } from './open-store.ts';
export type { DatabaseEndpoint } from './postgres-connection.ts';
export { acquireServerLock, type ServerLock, type ServerLockEvents } from './server-lock.ts';
export { ADMIN_EMAIL, LABEL_LIMITS } from './store.ts';
export { parseRunText } from './run-rows.ts';
export { isStoreUnavailable } from './sql-errors.ts';
export type {
  Store,
  StoreConfig,
  Page,
  Paged,
  StackRecord,
  UserRecord,
  MembershipRecord,
  TokenKind,
  TokenRecord,
  CreatedToken,
  Principal,
  ProjectRecord,
  ProjectLimitsRecord,
  ScriptContentType,
  Script,
  LoadTestRecord,
  LoadTestListFilter,
  TestRunRecord,
  TestRunListRecord,
  TestRunText,
  RunFieldsPatch,
  CreateRunInput,
  TransitionOptions,
  RunResults,
  LoadZoneRecord,
  LoadZoneInput,
  StoredMetricDef,
  StoredSeriesAggregate,
  StoredMetricsBatch,
  StacksRepo,
  UsersRepo,
  TokensRepo,
  ProjectsRepo,
  LoadTestsRepo,
  TestRunsRepo,
  RunMetricsRepo,
  RunTokensRepo,
  RunLogLine,
  RunLogReadOptions,
  RunLogsRepo,
  RunLogScope,
  StoredRunLogLine,
  RunTokenPurpose,
  LoadZonesRepo,
  LabelsRepo,
  LabelKeyRecord,
  ProjectLabelRecord,
  FirstStartResult,
  BulkSeedOptions,
  BulkSeedResult,
} from './store.ts';
// For other parts' test suites that must run against both stores (fresh SQLite dir / fresh PG schema).
export { openTestStore, postgresReachable, DEFAULT_TEST_DATABASE_URL, type TestStore, type TestTarget } from './test-stores.ts';
export { holdWriteLock } from './sqlite-lock-holder.test-helper.ts';
