// The two result reads Grafana Cloud k6's own clients make after a run, answered from the run's stored
// per-second metrics through the v5 query engine (so they agree with the v5 metrics API):
//
// - `GET /cloud/v5/test_runs({id})/result_summary`: `metrics_summary` (HTTP, WebSocket, gRPC, checks and
//   thresholds figures), `result_status` and `baseline_test_run_details`;
// - `GET /loadtests/v4/test_runs({id})/checks[?$filter=group_id eq null]`: each check's pass and fail
//   counts.
//
// grafana/run-k6-action reads both (K6_CLOUD_BASE_URL) to write its pull request comment; the fields
// here are the ones its types.ts reads. Stampede has no baselines, and no browser summary (null, as
// Grafana answers for a run without browser metrics).
import type { RunMetricsRepo, StoredMetricsBatch, TestRunRecord } from '../store/index.ts';
import type { SummaryData } from '../engine/index.ts';
import type { FinishedMetric } from './finished-metric.ts';
import { queryAggregate, type FinishedMetricsRepo, type RunForMetrics } from './metrics-api.ts';

export interface TrendFigures {
  count?: number;
  min?: number;
  max?: number;
  mean?: number;
  stdev?: number;
  p95?: number;
  p99?: number;
}

export interface GrafanaMetricsSummary {
  http_metric_summary: { requests_count: number; failures_count: number; rps_mean?: number; rps_max?: number; duration?: TrendFigures; duration_median?: number } | null;
  ws_metric_summary: { msgs_sent: number; msgs_received: number; sessions: number; connecting?: TrendFigures; ping?: TrendFigures; session_duration?: TrendFigures } | null;
  grpc_metric_summary: { requests_count: number; rps_mean?: number; duration?: TrendFigures; duration_median?: number } | null;
  checks_metric_summary: { total: number; successes: number; hits_total: number; hits_successes: number } | null;
  thresholds_summary: { total: number; successes: number } | null;
  browser_metric_summary: null;
}

export interface GrafanaResultSummary {
  metrics_summary: GrafanaMetricsSummary;
  /** `Passed`, `Failed` or `Error` once the run has a result; null before. */
  result_status: 'Passed' | 'Failed' | 'Error' | null;
  baseline_test_run_details: null;
}

export interface GrafanaCheck {
  name: string;
  group_path: string;
  metric_summary: { success_count: number; fail_count: number; success_rate: number };
}

type Repo = RunMetricsRepo;

/**
 * `repo` reading each metric (and window) once for all the figures of one answer. A long run's metric
 * is more than RunMetricsCache keeps, so without this every figure (count, min, max, mean, stdev, p95,
 * p99, median, … of http_req_duration) read and decoded the whole metric from the store again: about
 * 5 s for a 17-minute run of 50 VUs (test/soak-qa.md), growing with the run's length.
 */
export function readEachMetricOnce(repo: Repo): Repo {
  const reads = new Map<string, Promise<StoredMetricsBatch[]>>();
  const finished = (repo as FinishedMetricsRepo).finishedMetric?.bind(repo);
  // A finished metric's figures share their folds for this answer (as they share its reads).
  const views = new Map<string, Promise<FinishedMetric | null>>();
  const finishedMetric = finished && ((id: number, metric: string): Promise<FinishedMetric | null> => {
    const key = JSON.stringify([id, metric]);
    let view = views.get(key);
    if (view === undefined) {
      view = finished(id, metric).then((copy) => copy?.forOneAnswer() ?? null);
      views.set(key, view);
    }
    return view;
  });
  return {
    append: (id, batch) => repo.append(id, batch),
    listMetrics: (id) => repo.listMetrics(id),
    ...(finishedMetric && { finishedMetric }),
    read: (id, opts = {}) => {
      const key = JSON.stringify([id, opts.metric ?? null, opts.from ?? null, opts.to ?? null]);
      let read = reads.get(key);
      if (read === undefined) {
        read = repo.read(id, opts);
        reads.set(key, read);
      }
      return read;
    },
  };
}

/** The run's one merged value of `query` over `metric`, or undefined when the metric has no data. */
async function single(repo: Repo, run: RunForMetrics, query: string, metric: string, now: Date): Promise<number | undefined> {
  const answer = await queryAggregate(repo, run, `query='${query}',metric='${metric}'`, now);
  return answer.data.result[0]?.values[0]?.[1];
}

/** Per-series values of `query` over `metric`, keyed by the series' labels. */
async function bySeries(repo: Repo, run: RunForMetrics, query: string, metric: string, now: Date): Promise<Array<{ labels: Record<string, string>; value: number }>> {
  const answer = await queryAggregate(repo, run, `query='${query}',metric='${metric}'`, now);
  return answer.data.result.flatMap((s) => (s.values[0] === undefined ? [] : [{ labels: s.metric, value: s.values[0][1] }]));
}

async function trend(repo: Repo, run: RunForMetrics, metric: string, now: Date): Promise<TrendFigures | undefined> {
  const count = await single(repo, run, 'histogram_count_increase', metric, now);
  if (count === undefined) return undefined;
  const [min, max, mean, stdev, p95, p99] = await Promise.all(
    ['histogram_min', 'histogram_max', 'histogram_avg', 'histogram_stddev', 'histogram_quantile(0.95)', 'histogram_quantile(0.99)'].map((q) => single(repo, run, q, metric, now)),
  );
  return { count, min, max, mean, stdev, p95, p99 };
}

async function httpSummary(repo: Repo, run: RunForMetrics, summary: Pick<SummaryData, 'metrics'> | null, now: Date): Promise<GrafanaMetricsSummary['http_metric_summary']> {
  const requests = await single(repo, run, 'increase', 'http_reqs', now);
  if (requests === undefined) return null;
  // The end-of-test summary's rate is over the test's exact duration, as k6 prints it; the stored
  // seconds span whole seconds, so they serve only a run without a summary yet.
  const summaryRate = summary?.metrics['http_reqs']?.values['rate'];
  const [failures, rpsMean, rpsMax, duration, median] = await Promise.all([
    single(repo, run, 'increase_nz', 'http_req_failed', now),
    summaryRate ?? single(repo, run, 'rate', 'http_reqs', now),
    single(repo, run, 'max_rate(1)', 'http_reqs', now),
    trend(repo, run, 'http_req_duration', now),
    single(repo, run, 'histogram_quantile(0.5)', 'http_req_duration', now),
  ]);
  return { requests_count: requests, failures_count: failures ?? 0, rps_mean: rpsMean, rps_max: rpsMax, duration, duration_median: median };
}

async function wsSummary(repo: Repo, run: RunForMetrics, now: Date): Promise<GrafanaMetricsSummary['ws_metric_summary']> {
  const sessions = await single(repo, run, 'increase', 'ws_sessions', now);
  if (sessions === undefined) return null;
  const [sent, received, connecting, ping, sessionDuration] = await Promise.all([
    single(repo, run, 'increase', 'ws_msgs_sent', now),
    single(repo, run, 'increase', 'ws_msgs_received', now),
    trend(repo, run, 'ws_connecting', now),
    trend(repo, run, 'ws_ping', now),
    trend(repo, run, 'ws_session_duration', now),
  ]);
  return { msgs_sent: sent ?? 0, msgs_received: received ?? 0, sessions, connecting, ping, session_duration: sessionDuration };
}

async function grpcSummary(repo: Repo, run: RunForMetrics, now: Date): Promise<GrafanaMetricsSummary['grpc_metric_summary']> {
  const duration = await trend(repo, run, 'grpc_req_duration', now);
  if (duration?.count === undefined) return null;
  const [rpsMean, median] = await Promise.all([
    single(repo, run, 'histogram_count_rate', 'grpc_req_duration', now),
    single(repo, run, 'histogram_quantile(0.5)', 'grpc_req_duration', now),
  ]);
  return { requests_count: duration.count, rps_mean: rpsMean, duration, duration_median: median };
}

/** Every check of the run (or only those outside any group), with its pass and fail counts, by group path and name. */
export async function grafanaChecks(repo: Repo, run: RunForMetrics, options: { rootGroupOnly: boolean }, now: Date): Promise<GrafanaCheck[]> {
  const metric = options.rootGroupOnly ? 'checks{group=""}' : 'checks';
  repo = readEachMetricOnce(repo);
  const [passes, fails] = await Promise.all([
    bySeries(repo, run, 'increase_nz by (group, check)', metric, now),
    bySeries(repo, run, 'increase_z by (group, check)', metric, now),
  ]);
  const checks = new Map<string, GrafanaCheck>();
  const entry = (labels: Record<string, string>): GrafanaCheck['metric_summary'] => {
    const name = labels['check'] ?? '';
    const groupPath = labels['group'] ?? '';
    const key = JSON.stringify([groupPath, name]);
    let check = checks.get(key);
    if (check === undefined) {
      check = { name, group_path: groupPath, metric_summary: { success_count: 0, fail_count: 0, success_rate: 0 } };
      checks.set(key, check);
    }
    return check.metric_summary;
  };
  for (const p of passes) entry(p.labels).success_count += p.value;
  for (const f of fails) entry(f.labels).fail_count += f.value;
  for (const c of checks.values()) {
    const total = c.metric_summary.success_count + c.metric_summary.fail_count;
    c.metric_summary.success_rate = total === 0 ? 0 : c.metric_summary.success_count / total;
  }
  return [...checks.values()].sort((a, b) => a.group_path.localeCompare(b.group_path) || a.name.localeCompare(b.name));
}

/** How many thresholds the run's summary judged, and how many held. */
export function thresholdsSummary(summary: Pick<SummaryData, 'metrics'> | null): GrafanaMetricsSummary['thresholds_summary'] {
  if (summary === null) return null;
  let total = 0;
  let successes = 0;
  for (const metric of Object.values(summary.metrics)) {
    for (const verdict of Object.values(metric.thresholds ?? {})) {
      total += 1;
      if (verdict.ok) successes += 1;
    }
  }
  return { total, successes };
}

const RESULT_STATUS = { passed: 'Passed', failed: 'Failed', error: 'Error' } as const;

/**
 * The run's result summary. `summary` is the run's end-of-test summary (for its threshold verdicts),
 * null while it has none.
 */
export async function grafanaResultSummary(
  repo: Repo,
  run: RunForMetrics & Pick<TestRunRecord, 'result'>,
  summary: Pick<SummaryData, 'metrics'> | null,
  now: Date,
): Promise<GrafanaResultSummary> {
  repo = readEachMetricOnce(repo);
  const [http, ws, grpc, checks, hitsTotal, hitsSuccesses] = await Promise.all([
    httpSummary(repo, run, summary, now),
    wsSummary(repo, run, now),
    grpcSummary(repo, run, now),
    grafanaChecks(repo, run, { rootGroupOnly: false }, now),
    single(repo, run, 'increase', 'checks', now),
    single(repo, run, 'increase_nz', 'checks', now),
  ]);
  return {
    metrics_summary: {
      http_metric_summary: http,
      ws_metric_summary: ws,
      grpc_metric_summary: grpc,
      checks_metric_summary: hitsTotal === undefined ? null : {
        total: checks.length,
        successes: checks.filter((c) => c.metric_summary.fail_count === 0).length,
        hits_total: hitsTotal,
        hits_successes: hitsSuccesses ?? 0,
      },
      thresholds_summary: thresholdsSummary(summary),
      browser_metric_summary: null,
    },
    result_status: run.result === null ? null : RESULT_STATUS[run.result],
    baseline_test_run_details: null,
  };
}
