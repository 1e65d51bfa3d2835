// A finished run's end-of-test summary: the data k6 hands to handleSummary(data) (metrics with values
// and threshold outcomes, root_group with groups and checks, options, state, setup_data) plus its text
// rendering. The runner's own summary is used when it reported one; otherwise (runner killed or lost)
// it is rebuilt from the run's stored batches, thresholds judged on the merged data.
//
// The text comes in k6's two --summary-mode layouts: compact, and full, which also lists the detailed
// HTTP timings and a section per group and per scenario. Those sections are the engine's breakdown of
// the run's per-series totals, so full mode always reads the stored batches.
import { StampedeError } from '../core/index.ts';
import { isLoadGeneratorMetric } from './load-generator-metrics.ts';
import { RunMetrics, buildSummaryBreakdown, checkTotals, renderTextSummary, type MetricsBatch, type SummaryData } from '../engine/index.ts';
import type { RunMetricsRepo, TestRunRecord, TestRunsRepo } from '../store/index.ts';
import { summarizeRunMetrics } from './merged-summary.ts';

export type RunForSummary = Pick<TestRunRecord, 'id' | 'status' | 'resultsDeleted' | 'options' | 'created' | 'ended'>;

/** k6's --summary-mode values (k6's legacy mode is not offered). */
export const SUMMARY_MODES = ['compact', 'full'] as const;
export type SummaryMode = (typeof SUMMARY_MODES)[number];

export function isSummaryMode(value: unknown): value is SummaryMode {
  return (SUMMARY_MODES as readonly unknown[]).includes(value);
}

export type RunSummary = SummaryData & {
  /** k6's end-of-test text summary in the asked mode, no colours. */
  text: string;
};

export interface SummaryStore {
  readonly testRuns: Pick<TestRunsRepo, 'getResults'>;
  readonly runMetrics: Pick<RunMetricsRepo, 'read' | 'listMetrics'>;
}

/**
 * How much of a run's stored seconds is read at once when all of them are folded (a summary rebuilt
 * for a run whose runner reported none, full mode's sections): one metric over five minutes. Read
 * whole, an hour of 10 URLs at 1,000 requests a second decodes to several GB, which could take the
 * server down; folded a stretch at a time, memory holds one stretch and the run's totals.
 */
const FOLD_WINDOW_MS = 5 * 60_000;

/** The run's stored seconds folded into one RunMetrics, metric by metric and a stretch at a time; null when none is stored. */
async function foldStored(store: SummaryStore, run: RunForSummary): Promise<RunMetrics | null> {
  const metrics = new RunMetrics();
  let any = false;
  const start = run.created.getTime();
  const end = (run.ended ?? new Date()).getTime();
  for (const def of await store.runMetrics.listMetrics(run.id)) {
    // The runners' own measurements are no part of k6's end-of-test summary.
    if (isLoadGeneratorMetric(def.name)) continue;
    // (…, start + W), [start + W, start + 2W), …, [last, …): every stored second once, whatever its time.
    for (let from: number | undefined; ; ) {
      const to = (from ?? start) + FOLD_WINDOW_MS;
      const last = to > end;
      const batches = await store.runMetrics.read(run.id, { metric: def.name, ...(from !== undefined && { from }), ...(!last && { to }) });
      for (const b of batches) metrics.ingest(b as unknown as MetricsBatch);
      any ||= batches.length > 0;
      if (last) break;
      from = to;
      // The reads and folds are synchronous on SQLite: other requests get their turn between stretches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return any ? metrics : null;
}

const FINAL = new Set(['completed', 'aborted']);

function isSummaryData(value: unknown): value is SummaryData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['metrics'] === 'object' && v['metrics'] !== null && typeof v['root_group'] === 'object' && v['root_group'] !== null;
}

function trendStatsOf(options: Record<string, unknown> | null): string[] | undefined {
  const raw = options?.['summaryTrendStats'];
  return Array.isArray(raw) && raw.every((s) => typeof s === 'string') ? raw : undefined;
}

/**
 * The summary answer, or the reason there is none: 409 while the run has not ended, 404 when its
 * results were swept by retention or it ended with neither a summary nor any stored metrics.
 */
export async function runSummary(store: SummaryStore, run: RunForSummary, mode: SummaryMode = 'compact'): Promise<RunSummary> {
  if (!FINAL.has(run.status)) throw new StampedeError('STAMPEDE_ERR_CONFLICT', `The summary is available once the test run has ended; it is ${run.status}`);
  if (run.resultsDeleted) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'The results of this test run were deleted by the retention policy');
  const stored = (await store.testRuns.getResults(run.id))?.summary;
  if (isSummaryData(stored)) {
    const needsBatches = mode === 'full' || checksOutsideGroups(stored);
    return withText(stored, mode, needsBatches ? await foldStored(store, run) : null);
  }
  const metrics = await foldStored(store, run);
  if (metrics === null) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'This test run ended without an end-of-test summary');
  const trendStats = trendStatsOf(run.options);
  const { data } = summarizeRunMetrics(metrics, { thresholds: run.options?.['thresholds'], ...(trendStats && { summaryTrendStats: trendStats }) });
  return withText(data, mode, metrics);
}

/** Checks root_group does not hold (their samples had no group tag): the text lists them from the batches. */
function checksOutsideGroups(data: SummaryData): boolean {
  const values = data.metrics['checks']?.values;
  if (values === undefined) return false;
  const inGroups = (g: SummaryData['root_group']): number =>
    g.checks.reduce((n, c) => n + c.passes + c.fails, 0) + g.groups.reduce((n, sub) => n + inGroups(sub), 0);
  return inGroups(data.root_group) < (values['passes'] ?? 0) + (values['fails'] ?? 0);
}

/**
 * `metrics`: the run's stored seconds folded, for the full mode's group and scenario sections and the
 * check totals (every check, grouped or not, as k6 lists them); without them the text lists
 * root_group's checks.
 */
function withText(data: SummaryData, mode: SummaryMode, metrics: RunMetrics | null): RunSummary {
  if (metrics === null) return { ...data, text: renderTextSummary(data, { enableColors: false, mode }) };
  const totals = checkTotals(metrics);
  if (mode === 'compact') return { ...data, text: renderTextSummary(data, { enableColors: false, checkTotals: totals }) };
  const breakdown = buildSummaryBreakdown(metrics, data.state.testRunDurationMs, data.options.summaryTrendStats);
  return { ...data, text: renderTextSummary(data, { enableColors: false, mode, breakdown, checkTotals: totals }) };
}
