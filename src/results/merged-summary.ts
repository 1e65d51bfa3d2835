// handleSummary-shaped data rebuilt from a run's stored batches (every runner's, merged by the
// engine's RunMetrics), with the run's thresholds judged on the merged data. For runs whose runner did
// not report a summary (killed, lost), and for runs spread over several runners, where each runner's own
// summary covers only its share. The layout and the final threshold pass are the engine's own
// (buildSummaryData, parseThresholds, ThresholdEvaluator), so a rebuilt summary reads like a local one.
import { RunMetrics, ThresholdEvaluator, buildSummaryData, parseThresholds } from '../engine/index.ts';
import type { MetricsBatch, SummaryData } from '../engine/index.ts';
import type { StoredMetricsBatch } from '../store/index.ts';

export interface MergedSummaryInput {
  /** `options.thresholds` of the run as the script declared it. */
  readonly thresholds?: unknown;
  readonly summaryTrendStats?: readonly string[];
  /** Defaults to the span of the batches. */
  readonly testRunDurationMs?: number;
}

export interface MergedSummary {
  data: SummaryData;
  /** Per metric key, per expression: did it fail (the runner's `thresholds` shape). */
  failedThresholds: Record<string, Record<string, boolean>>;
  /** Every judged expression with the value it compared. */
  verdicts: ThresholdVerdict[];
}

/** One threshold expression judged on the merged data; `observed` is absent when there was no value (passes). */
export interface ThresholdVerdict {
  key: string;
  source: string;
  ok: boolean;
  observed?: number;
}

export function summarizeMergedBatches(batches: readonly StoredMetricsBatch[], input: MergedSummaryInput = {}): MergedSummary {
  const metrics = new RunMetrics();
  for (const b of batches) metrics.ingest(b as unknown as MetricsBatch);
  return summarizeRunMetrics(metrics, input);
}

/** The same, for batches already folded into `metrics` (which the thresholds' submetrics then watch). */
export function summarizeRunMetrics(metrics: RunMetrics, input: MergedSummaryInput = {}): MergedSummary {
  // Expressions on metrics the run never defined, or that don't parse, are left out (a stored run's
  // thresholds were validated when it started; these can only be metrics that produced no sample).
  const { thresholds } = parseThresholds(input.thresholds ?? {}, (name) => metrics.metric(name));
  const evaluator = new ThresholdEvaluator(thresholds);
  evaluator.track(metrics);
  const span = metrics.timeSpan();
  const durationMs = input.testRunDurationMs ?? (span ? span.end - span.start : 0);
  const results = evaluator.evaluate(metrics, durationMs, { final: true }).results;

  const verdicts: ThresholdVerdict[] = results.map((r) => ({ key: r.key, source: r.source, ok: r.ok, ...(r.observed === undefined ? {} : { observed: r.observed }) }));
  const failedThresholds: Record<string, Record<string, boolean>> = {};
  for (const v of verdicts) (failedThresholds[v.key] ??= {})[v.source] = !v.ok;
  const data = buildSummaryData({
    metrics,
    thresholds: results,
    testRunDurationMs: durationMs,
    options: { ...(input.summaryTrendStats && { summaryTrendStats: input.summaryTrendStats }) },
    state: { isStdOutTTY: false, isStdErrTTY: false },
  });
  return { data, failedThresholds, verdicts };
}
