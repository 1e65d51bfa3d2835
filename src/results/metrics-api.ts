// The v5 metrics API over a run's stored batches: metric list, series, labels, label values, range and
// aggregate queries, answered in Grafana Cloud k6's shapes (Prometheus-like `{status, data}`). The
// caller has already found the run in the caller's stack; every bad input is a 400 naming the problem.
import { createHash } from 'node:crypto';
import { StampedeError } from '../core/index.ts';
import { LOAD_GENERATOR_METRICS } from './load-generator-metrics.ts';
import type { RunMetricsRepo, StoredMetricsBatch, TestRunRecord } from '../store/index.ts';
import { parseFunctionParams } from './function-params.ts';
import type { FinishedMetric } from './finished-metric.ts';
import { evaluateQuery, needsSamples, seriesLabels, type QueryPlan, type ResultSeries } from './metrics-query.ts';
import { parseQueryExpression } from './query-expression.ts';
import { checkMethodArgument, isKnownMethod, resolveMethod } from './query-methods.ts';
import { parseSeriesSelector, selectorMatches, type SeriesSelector } from './series-selector.ts';

/** The run as far as the metrics API needs it. */
export type RunForMetrics = Pick<TestRunRecord, 'id' | 'statusHistory' | 'ended'>;

/**
 * A RunMetricsRepo that may also hold a finished run's metric compactly (RunMetricsCache): null when
 * it does not (a live run, a metric too large for its bound).
 */
export interface FinishedMetricsRepo extends RunMetricsRepo {
  finishedMetric?(runId: number, metric: string): Promise<FinishedMetric | null>;
}

// k6's built-in metric names (metrics/builtin.go, plus the ws, grpc and browser modules') and the load
// generator metrics: `origin: builtin`.
const BUILTIN_METRIC_NAMES = new Set([
  'vus', 'vus_max', 'iterations', 'iteration_duration', 'dropped_iterations', 'data_sent', 'data_received', 'checks',
  'group_duration', 'http_reqs', 'http_req_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking',
  'http_req_sending', 'http_req_waiting', 'http_req_receiving', 'http_req_failed', 'ws_connecting', 'ws_msgs_received',
  'ws_msgs_sent', 'ws_ping', 'ws_session_duration', 'ws_sessions', 'grpc_req_duration', 'grpc_streams',
  'grpc_streams_msgs_received', 'grpc_streams_msgs_sent', 'browser_data_received', 'browser_data_sent',
  'browser_http_req_duration', 'browser_http_req_failed', 'browser_web_vital_cls', 'browser_web_vital_fcp',
  'browser_web_vital_fid', 'browser_web_vital_inp', 'browser_web_vital_lcp', 'browser_web_vital_ttfb',
  // Grafana Cloud k6's measurements of a run's load generators (Stampede's runners).
  ...LOAD_GENERATOR_METRICS,
]);

export interface MetricListItem {
  id: string;
  name: string;
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  origin: 'builtin' | 'custom';
  test_run_id: number;
}

/** A stable UUID-shaped id per run and metric name (Grafana's are name-based UUIDs too). */
function metricId(runId: number, name: string): string {
  const h = createHash('sha1').update(`${runId}:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function listRunMetrics(repo: RunMetricsRepo, run: RunForMetrics): Promise<{ value: MetricListItem[] }> {
  const defs = await repo.listMetrics(run.id);
  return {
    value: defs.map((d) => ({ id: metricId(run.id, d.name), name: d.name, type: d.type, origin: BUILTIN_METRIC_NAMES.has(d.name) ? 'builtin' : 'custom', test_run_id: run.id })),
  };
}

/** Distinct label sets of the run's series matching any selector (all series without selectors). */
async function matchingSeries(repo: RunMetricsRepo, run: RunForMetrics, selectors: readonly SeriesSelector[] | undefined): Promise<Record<string, string>[]> {
  const seen = new Map<string, Record<string, string>>();
  const scan = (batches: readonly StoredMetricsBatch[], wanted: readonly SeriesSelector[] | undefined): void => {
    for (const b of batches) {
      for (const s of b.series) {
        const labels = seriesLabels(run.id, s.metric, s.tags);
        const key = JSON.stringify(Object.entries(labels).sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0)));
        if (seen.has(key)) continue;
        if (wanted && !wanted.some((sel) => selectorMatches(sel, labels))) continue;
        seen.set(key, labels);
      }
    }
  };
  if (selectors === undefined || selectors.some((s) => s.metric === undefined)) {
    scan(await repo.read(run.id), selectors);
  } else {
    for (const metric of new Set(selectors.map((s) => s.metric as string))) {
      // A finished metric's distinct tag sets, in the order the batches first hold them.
      const finished = await (repo as FinishedMetricsRepo).finishedMetric?.(run.id, metric);
      if (finished) scan([{ time: 0, metrics: [], series: finished.series.map((tags) => ({ metric, tags })) }], selectors);
      else scan(await repo.read(run.id, { metric }), selectors);
    }
  }
  return [...seen.values()];
}

function parseMatches(matches: readonly string[] | undefined, required: boolean): SeriesSelector[] | undefined {
  if (matches === undefined || matches.length === 0) {
    if (required) throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', 'no match[] parameter provided');
    return undefined;
  }
  return matches.map((m) => parseSeriesSelector(m));
}

export interface PromList<T> {
  status: 'success';
  data: T[];
}

export async function listSeries(repo: RunMetricsRepo, run: RunForMetrics, matches: readonly string[] | undefined): Promise<PromList<Record<string, string>>> {
  return { status: 'success', data: await matchingSeries(repo, run, parseMatches(matches, true)) };
}

export async function listLabels(repo: RunMetricsRepo, run: RunForMetrics, matches: readonly string[] | undefined): Promise<PromList<string>> {
  const names = new Set<string>();
  for (const labels of await matchingSeries(repo, run, parseMatches(matches, false))) for (const k of Object.keys(labels)) names.add(k);
  return { status: 'success', data: [...names].sort() };
}

export async function listLabelValues(repo: RunMetricsRepo, run: RunForMetrics, label: string, matches: readonly string[] | undefined): Promise<PromList<string>> {
  if (!/^[A-Za-z_][A-Za-z0-9_.:-]*$/.test(label)) throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `invalid label name ${JSON.stringify(label)}`);
  const values = new Set<string>();
  for (const labels of await matchingSeries(repo, run, parseMatches(matches, false))) {
    const v = labels[label];
    if (v !== undefined) values.add(v);
  }
  return { status: 'success', data: [...values].sort() };
}

export interface QueryAnswer {
  status: 'success';
  data: { resultType: 'matrix' | 'vector'; result: ResultSeries[] };
}

const EPOCH_SECONDS = /^\d{1,12}(\.\d+)?$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseTime(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.replace(/^'(.*)'$/s, '$1').trim();
  const ms = EPOCH_SECONDS.test(text) ? Number(text) * 1000 : ISO_8601.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `${name} must be an ISO 8601 date-time or epoch seconds, got ${JSON.stringify(raw)}`);
  return ms;
}

/** When the run entered `running`, floored to its second; undefined if it never ran. */
export function runningSince(run: RunForMetrics): number | undefined {
  const entry = run.statusHistory.find((e) => e.type === 'running');
  return entry === undefined ? undefined : Math.floor(Date.parse(entry.entered) / 1000) * 1000;
}

/** Default `step` (seconds): one second, coarser when the run is long, so a series has at most 1,000 points. */
export function defaultStepSeconds(spanMs: number): number {
  return Math.max(1, Math.ceil(spanMs / 1000 / 1000));
}

export const RANGE_PARAMS = ['query', 'metric', 'step', 'start', 'end'] as const;
export const AGGREGATE_PARAMS = ['query', 'metric', 'start', 'end'] as const;

/** A range (matrix) or aggregate (vector) query of one run, its parameters already split. */
export async function runQuery(repo: RunMetricsRepo, run: RunForMetrics, params: ReadonlyMap<string, string>, range: boolean, now: Date): Promise<QueryAnswer> {
  const queryText = params.get('query');
  const metricText = params.get('metric');
  if (queryText === undefined || queryText.trim() === '') throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', 'the query parameter is required');
  if (metricText === undefined || metricText.trim() === '') throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', 'the metric parameter is required');
  const expr = parseQueryExpression(queryText, isKnownMethod);
  checkMethodArgument(expr.inner.method, expr.inner.arg);
  const selector = parseSeriesSelector(metricText);
  if (selector.metric === undefined) throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `metric ${JSON.stringify(metricText)} must name a metric`);
  let stepSeconds: number | undefined;
  const stepText = params.get('step');
  if (stepText !== undefined) {
    stepSeconds = Number(stepText);
    if (!/^\d+$/.test(stepText) || !Number.isSafeInteger(stepSeconds) || stepSeconds < 1) throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `step must be a whole number of seconds ≥ 1, got ${JSON.stringify(stepText)}`);
  }
  const userStart = parseTime('start', params.get('start'));
  const userEnd = parseTime('end', params.get('end'));
  if (userStart !== undefined && userEnd !== undefined && userEnd <= userStart) throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', 'end must be after start');
  const resultType = range ? 'matrix' : 'vector';

  const def = (await repo.listMetrics(run.id)).find((d) => d.name === selector.metric);
  if (def === undefined) return { status: 'success', data: { resultType, result: [] } };
  const method = resolveMethod(def.type, def.name, expr.inner.method, expr.inner.arg);

  const fromStart = method.cumulative || userStart === undefined;
  const readOpts = { metric: def.name, ...(fromStart ? {} : { from: userStart }), ...(userEnd === undefined ? {} : { to: userEnd }) };
  const finished = await (repo as FinishedMetricsRepo).finishedMetric?.(run.id, def.name);
  const batches = finished ? undefined : await repo.read(run.id, readOpts);
  const [first, last] = finished ? finished.timeRange(readOpts.from, readOpts.to) : [batches?.[0]?.time, batches?.[batches.length - 1]?.time];
  const candidates = [runningSince(run), fromStart ? first : undefined].filter((t): t is number => t !== undefined);
  const runStart = candidates.length > 0 ? Math.min(...candidates) : (userStart ?? now.getTime());
  const start = userStart ?? runStart;
  const runEnd = Math.max(Math.ceil((run.ended ?? now).getTime() / 1000) * 1000, last === undefined ? 0 : last + 1000);
  const end = userEnd ?? runEnd;
  if (end <= start) return { status: 'success', data: { resultType, result: [] } };
  const step = range ? (stepSeconds ?? defaultStepSeconds(end - start)) * 1000 : undefined;
  const plan: QueryPlan = { runId: run.id, def, selector, expr, method, runStart, start, end, step };
  const result = finished?.aligned(start, end, step, needsSamples(plan), method.cumulative) ? evaluateQuery(plan, finished) : evaluateQuery(plan, batches ?? (await repo.read(run.id, readOpts)));
  return { status: 'success', data: { resultType, result } };
}

export async function queryRange(repo: RunMetricsRepo, run: RunForMetrics, paramsText: string, now: Date): Promise<QueryAnswer> {
  return runQuery(repo, run, parseFunctionParams(paramsText, RANGE_PARAMS), true, now);
}

export async function queryAggregate(repo: RunMetricsRepo, run: RunForMetrics, paramsText: string, now: Date): Promise<QueryAnswer> {
  return runQuery(repo, run, parseFunctionParams(paramsText, AGGREGATE_PARAMS), false, now);
}
