// Public entry of the engine: load a k6 script (or archive), see its execution plan, run it.
// Everything outside the engine comes through EngineIo; the engine never reads process.env, never
// exits the process and never writes to the console.
import type { ScriptInput } from './compile/compile-script.ts';
import type { ExecutionPlan } from './executors/execution-plan.ts';
import type { ResolvedOptions } from './options/k6-options.ts';
import type { EngineIo } from './run/engine-io.ts';
import type { RunFlags } from './run/load-test.ts';
import type { RunHooks, RunningTest } from './run/test-run.ts';
import type { ArchiveRequest, TestArchive } from './run/test-archive.ts';
import type { DependencyRequest, TestDependencies } from './deps/test-dependencies.ts';
import { EngineError } from './run/exit-codes.ts';

export type { EngineIo, EngineLogEntry, OutputFile } from './run/engine-io.ts';
export type { RunFlags } from './run/load-test.ts';
export { isNetworkOutput, OUTPUTS_AVAILABLE, type NetworkOutputSpec } from './outputs/network-outputs.ts';
export type { ArchiveRequest, TestArchive } from './run/test-archive.ts';
export type { RunningTest, RunResult, RunProgress, ScenarioProgress, RunHooks } from './run/test-run.ts';
export { EXECUTION_STATUSES, RunControlError, type RunControl, type ExecutionSnapshot, type ExecutionStatus } from './run/run-control.ts';
export type { LiveMetric } from './summary/live-metrics.ts';
export type { ExecutionPlan, PlannedScenario } from './executors/execution-plan.ts';
export type { ResolvedOptions } from './options/k6-options.ts';
export type { MetricsBatch, MetricDef, SeriesAggregate, TrendAggregate } from './metrics/metrics-batch.ts';
export type { SummaryData, SummaryGroup, SummaryCheck } from './summary/summary-data.ts';
export type { ThresholdResult } from './thresholds/evaluate-thresholds.ts';
export { EngineError, EXIT_CODES, ABORT_REASONS, type AbortReason } from './run/exit-codes.ts';
export { envNullBool } from './run/env-null-bool.ts';
export { logLine } from './run/engine-log.ts';
export { warningLogEntry, type WarningLogEntry } from './options/warning-log.ts';
export { fixedDuration, fixedInt, goFixed } from './executors/progress-format.ts';
export { RunMetrics } from './metrics/run-metrics.ts';
export { engineCapturesRejections } from './run/unhandled-rejections.ts';
export { K6_COMPAT_VERSION, STAMPEDE_VERSION } from './options/k6-options.ts';
export { FEATURES } from './run/feature-flags.ts';
// Pure summary and threshold functions, for the control plane's results part (no script involved).
export { renderTextSummary, type TextSummaryOptions } from './summary/text-summary.ts';
export { buildSummaryData, checkTotals } from './summary/summary-data.ts';
export { buildSummaryBreakdown } from './summary/summary-breakdown.ts';
export { parseThresholds } from './thresholds/parse-thresholds.ts';
export { parseThresholdExpression, compare as compareThreshold, type ThresholdExpression } from './thresholds/threshold-expression.ts';
// Pure metrics code the results part builds its query-time merges on (same rules, same percentiles).
export { AggregateFold } from './metrics/aggregate-fold.ts';
export { MetricState } from './metrics/metric-state.ts';
export { BinnedTrend, EXACT_LIMIT, sumOfSquares } from './metrics/binned-trend.ts';
export { TREND_SCALE, toRecorded } from './metrics/trend-digest.ts';
export { BUILTIN_METRICS } from './metrics/builtin-metrics.ts';
export { ThresholdEvaluator } from './thresholds/evaluate-thresholds.ts';

export type TestInput = ScriptInput;
export type { DependencyRequest, TestDependencies } from './deps/test-dependencies.ts';

/**
 * `k6 deps`: the test's modules are loaded (nothing runs) and its dependencies worked out as k6 v2
 * does (deps/test-dependencies.ts). Throws EngineError with k6's exit code (107 script error, 255 where
 * k6 attaches none).
 */
export async function loadTestDependencies(input: TestInput, request: DependencyRequest, io: EngineIo): Promise<TestDependencies> {
  const [{ testDependencies }, { CompileError }] = await Promise.all([import('./deps/test-dependencies.ts'), import('./compile/compile-script.ts')]);
  try {
    return await testDependencies(input, io, request);
  } catch (e) {
    if (e instanceof CompileError) throw new EngineError(e.exitCode, e.message, { cause: e, ...(e.fields === undefined ? {} : { fields: e.fields }) });
    throw e;
  }
}

export interface LoadedTest {
  readonly options: ResolvedOptions;
  /** The options as the script (or an archive's metadata) declared them, before consolidation. */
  readonly scriptOptions: unknown;
  /**
   * The build dependencies the test declares (k6 v2's metadata.json `dependencies`): `k6`, the
   * `k6/x/…` modules it imports, with its `"use k6 …"` constraints; `*` for any version.
   */
  readonly dependencies: Readonly<Record<string, string>>;
  readonly plan: ExecutionPlan;
  /** Warnings of the options' consolidation: k6 logs them as it loads the test, before its banner. */
  readonly warnings: readonly string[];
  /**
   * The metrics engine's warnings (thresholds on the non-indexable vu/iter tags): k6 logs them after
   * its banner's logo, before the execution description.
   */
  readonly thresholdWarnings: readonly string[];
  /** Worker threads the run will use (--workers, or one per core; never more than the max VUs). */
  readonly workers: number;
  /**
   * The metric outputs in use, from the flags, else K6_OUT, else the config file's `out` (the banner's
   * line); `webDashboard` (its option text) also from K6_WEB_DASHBOARD or the file's `webDashboard`.
   */
  readonly outputs: { readonly jsonOut?: string; readonly csvOut?: string; readonly network?: readonly string[]; readonly webDashboard?: string };
  /**
   * The test as a k6 archive (`k6 archive`): main script, local modules, files opened by the init
   * context, remote modules the input carried, consolidated options and env.
   */
  makeArchive(request?: ArchiveRequest): Promise<TestArchive>;
  /**
   * `k6 inspect`'s document (every lib.Options field in k6's order): the script's own options, or with
   * `executionRequirements` the consolidated and derived ones plus totalDuration and maxVUs.
   */
  inspect(request?: { executionRequirements?: boolean }): Record<string, unknown>;
  /** Starts the run; call at most once. */
  start(hooks?: RunHooks): RunningTest;
}

/**
 * Compiles the script, runs VU 0's init to read its options, consolidates them with the env and CLI
 * tiers and plans the run. Throws EngineError with k6's exit code (104 invalid options, 107 script error, 255 where k6 attaches none).
 */
export async function loadTest(input: TestInput, flags: RunFlags, io: EngineIo): Promise<LoadedTest> {
  const [{ loadTestState }, { startRun }, { makeTestArchive }, { executionRequirementsJson, scriptInspectJson }] = await Promise.all([
    import('./run/load-test.ts'), import('./run/test-run.ts'), import('./run/test-archive.ts'), import('./options/inspect-options.ts'),
  ]);
  const state = await loadTestState(input, flags, io);
  let started = false;
  return {
    outputs: {
      ...(state.flags.jsonOut !== undefined ? { jsonOut: state.flags.jsonOut } : {}),
      ...(state.flags.csvOut !== undefined ? { csvOut: state.flags.csvOut } : {}),
      ...(state.sampleOutputs.length > 0 ? { network: state.sampleOutputs.map((o) => o.description) } : {}),
      ...(state.flags.webDashboard !== undefined ? { webDashboard: state.flags.webDashboard } : {}),
    },
    options: state.options,
    scriptOptions: state.scriptOptions,
    dependencies: state.compiled.dependencies,
    plan: state.plan,
    warnings: state.warnings,
    thresholdWarnings: state.thresholdWarnings,
    workers: state.workers,
    makeArchive: (request) => makeTestArchive(state, request),
    inspect: (request) =>
      request?.executionRequirements === true
        ? executionRequirementsJson(state.testOptions, state.options, state.plan)
        : scriptInspectJson(state.scriptOptions),
    start(hooks) {
      if (started) throw new Error('a loaded test can be started only once');
      started = true;
      return startRun(state, hooks);
    },
  };
}
