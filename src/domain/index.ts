// Public entry of `domain`: test-run rules as pure functions (no I/O).
export {
  RUN_STATUSES,
  FINAL_RUN_STATUSES,
  isRunStatus,
  isFinalStatus,
  canTransition,
  assertTransition,
  statusEntry,
  appendStatus,
  runningMs,
  runningSeconds,
  type RunStatus,
  type StatusEntry,
  type StatusExtra,
} from './run-status.ts';
export { ABORT_CODES, ABORT_REASONS, abortExtra, abortReasonFromEngine, type AbortReason } from './abort.ts';
export { RUN_RESULTS, isRunResult, deriveResult, type RunResult, type ResultDetails, type ResultInput } from './run-result.ts';
export { BROWSER_VU_MULTIPLIER, billedMinutes, computeCost, validateReductions, type TestCost, type CostBreakdown, type CostInput, type CostReductions } from './cost.ts';
export { DEFAULT_RETENTION_DAYS, retentionExpiry, isExpired } from './retention.ts';
export {
  PROJECT_LIMIT_NAMES,
  NO_LIMITS,
  checkProjectLimits,
  monthStart,
  type ProjectLimits,
  type ProjectLimitName,
  type PlannedRun,
  type LimitViolation,
} from './limits.ts';
export { ROLES, ACTIONS, STACK_TOKEN_ROLE, isRole, can, type Role, type Action } from './roles.ts';
export { MAX_PAGE_SIZE, parseListQuery, parseIsoDate, parseId, type ListQuery, type ListQueryRules, type OrderTerm } from './list-query.ts';
export { DEFAULT_LOAD_ZONE_ID, deriveDistribution, distributionEntries, distributionOption, zonesOf, type DistributionEntry, type DistributionZone, type RunnerNode, type RunnerDistribution } from './distribution.ts';
export { MAX_LOAD_ZONE_ID_LENGTH, loadZoneIdProblem, defaultLoadZone, runNeedsLoadZone, type UnfinishedRunZones } from './load-zones.ts';
export { stackForUrl, stackSlug, type NamedStack } from './stack-url.ts';
export { DEFAULT_RUN_LOG_LINES, RUN_LOG_LABELS, RUN_LOG_LEVELS, RUN_LOG_MESSAGE_MAX, cutMessage, droppedLinesMessage, runLogLine } from './run-logs.ts';
export {
  SCHEDULE_FREQUENCIES,
  WEEKDAYS,
  CRON_ALIASES,
  parseScheduleInstant,
  formatScheduleInstant,
  isTimeZone,
  cronProblem,
  nextOccurrence,
  type ScheduleFrequency,
  type Weekday,
  type ScheduleInstant,
  type RecurrenceRule,
  type CronRule,
  type ScheduleTiming,
} from './schedule-rule.ts';
