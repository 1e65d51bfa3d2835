// Public entry of `results`: a run's stored metrics read back as the v5 metrics query API, the run's
// end-of-test summary, and the per-run series cap applied before batches are stored. Pure reads over
// the store and the engine's metrics code; nothing here loads or runs a script.
export {
  listRunMetrics,
  listSeries,
  listLabels,
  listLabelValues,
  queryRange,
  queryAggregate,
  defaultStepSeconds,
  type RunForMetrics,
  type MetricListItem,
  type PromList,
  type QueryAnswer,
} from './metrics-api.ts';
export { splitFunctionCall } from './function-params.ts';
export { MAX_POINTS_PER_SERIES, type ResultSeries, type Point } from './metrics-query.ts';
export { QUERY_METHODS } from './query-methods.ts';
export { runSummary, isSummaryMode, SUMMARY_MODES, type SummaryMode, type RunSummary, type RunForSummary, type SummaryStore } from './run-summary.ts';
export { summarizeMergedBatches, type MergedSummary, type MergedSummaryInput, type ThresholdVerdict } from './merged-summary.ts';
export { LiveRunResults, THRESHOLD_EVALUATION_INTERVAL_MS, type LiveVerdict, type FinalVerdict } from './live-run-results.ts';
export { capSeries, createSeriesCapState, DEFAULT_MAX_SERIES_PER_RUN, FOLD_KEPT_TAGS, type SeriesCapState } from './series-cap.ts';
export { RunMetricsCache, DEFAULT_CACHED_AGGREGATES, SETTLE_MS } from './run-metrics-cache.ts';
export { listMetricsAcrossRuns, queryAggregateAcrossRuns, DEFAULT_RUN_COUNT, MAX_SELECTED_RUNS, type RunsSelection, type RunsResolver, type RepoForRun, type MultiRunMetric } from './multi-run-api.ts';
export { rollUpBatches } from './roll-up.ts';
export { grafanaResultSummary, grafanaChecks, thresholdsSummary, type GrafanaResultSummary, type GrafanaCheck, type GrafanaMetricsSummary } from './grafana-result-summary.ts';
export { decodeK6MetricsPush, type K6MetricsPush } from './k6-cloud-metrics.ts';
// A push body built as k6's cloud output builds it (protobuf + snappy): from raw samples (test
// support), or from the engine's per-second batches (`stampede cloud run --local-execution`).
export { encodeBatchesAsMetricSets, isReservedLabel, encodeK6MetricsPush, encodeK6MetricSet, encodeSnappyBlock, type K6Metric, type K6Series, type K6Sample, type K6MetricType } from './k6-metrics-push-encoder.ts';
export { LOAD_GENERATOR_CPU, LOAD_GENERATOR_MEMORY, LOAD_GENERATOR_FILE_HANDLES, LOAD_GENERATOR_METRICS, isLoadGeneratorMetric } from './load-generator-metrics.ts';
