// The query methods of the v5 metrics API, per metric type, as Grafana Cloud k6 names them (counters:
// increase, rate, value, cumrate, max_rate(n); gauges: last, min, max, avg; rates: ratio and the total / non-zero /
// zero counts as increase, rate or cumulative value; trends: histogram_*). Stampede adds the
// `histogram_cum_*` trend variants (statistics over everything from the run's start to the end of the
// window) and plain aliases listed in docs/api.md.
//
// A window method answers from the window's merged state and yields nothing for a window without data;
// a cumulative method answers from the state merged since the run's start.
import { StampedeError } from '../core/index.ts';
import type { StoredMetricDef } from '../store/index.ts';
import type { MergedCell } from './merged-cell.ts';

export type MetricType = StoredMetricDef['type'];

export interface MethodInput {
  /** The window's cell; undefined when the series had no data in it. */
  readonly window: MergedCell | undefined;
  /** Everything since the run's start up to the window's end; only for cumulative methods. */
  readonly cumulative: MergedCell | undefined;
  /** Length of the window in seconds. */
  readonly windowSeconds: number;
  /** Seconds from the run's start to the end of the window. */
  readonly sinceStartSeconds: number;
  readonly arg: number | undefined;
}

export interface QueryMethod {
  readonly cumulative: boolean;
  /** What the single parenthesised argument is, if the method takes one. */
  readonly arg?: 'quantile' | 'seconds';
  value(input: MethodInput): number | undefined;
}

type StateFn = (s: MergedCell, input: MethodInput) => number | undefined;

const perWindow = (fn: StateFn, arg?: 'quantile' | 'seconds'): QueryMethod => ({
  cumulative: false,
  ...(arg && { arg }),
  value: (input) => (input.window === undefined || input.window.isEmpty ? undefined : fn(input.window, input)),
});

const sinceStart = (fn: StateFn, arg?: 'quantile'): QueryMethod => ({
  cumulative: true,
  ...(arg && { arg }),
  value: (input) => (input.cumulative === undefined || input.cumulative.isEmpty ? undefined : fn(input.cumulative, input)),
});

const perSecond = (n: number, seconds: number): number | undefined => (seconds > 0 ? n / seconds : undefined);
const quantile = (s: MergedCell, input: MethodInput): number | undefined => s.trend?.percentile((input.arg ?? 0) * 100);

/** The highest rate over any `seconds` consecutive seconds of the window (seconds without data count 0). */
function maxRate(s: MergedCell, input: MethodInput): number | undefined {
  const seconds = input.arg ?? 1;
  const times = [...s.secondSums.keys()].sort((a, b) => a - b);
  let best = 0;
  let sum = 0;
  let from = 0;
  for (const t of times) {
    sum += s.secondSums.get(t) ?? 0;
    while ((times[from] as number) <= t - seconds * 1000) sum -= s.secondSums.get(times[from++] as number) ?? 0;
    if (sum > best) best = sum;
  }
  return best / seconds;
}

const COUNTER: Record<string, QueryMethod> = {
  increase: perWindow((s) => s.sum),
  max_rate: perWindow(maxRate, 'seconds'),
  rate: perWindow((s, i) => perSecond(s.sum, i.windowSeconds)),
  value: sinceStart((s) => s.sum),
  cumrate: sinceStart((s, i) => perSecond(s.sum, i.sinceStartSeconds)),
};

const GAUGE: Record<string, QueryMethod> = {
  last: perWindow((s) => s.last),
  min: perWindow((s) => s.min),
  max: perWindow((s) => s.max),
  avg: {
    cumulative: false,
    value: (i) => (i.window === undefined || i.window.gaugeLastCount === 0 ? undefined : i.window.gaugeLastSum / i.window.gaugeLastCount),
  },
};
GAUGE['value'] = GAUGE['last'] as QueryMethod;

const RATE: Record<string, QueryMethod> = {
  ratio: perWindow((s) => (s.total > 0 ? s.nonzero / s.total : undefined)),
  cumratio: sinceStart((s) => (s.total > 0 ? s.nonzero / s.total : undefined)),
  increase_total: perWindow((s) => s.total),
  rate_total: perWindow((s, i) => perSecond(s.total, i.windowSeconds)),
  value_total: sinceStart((s) => s.total),
  increase_nz: perWindow((s) => s.nonzero),
  rate_nz: perWindow((s, i) => perSecond(s.nonzero, i.windowSeconds)),
  value_nz: sinceStart((s) => s.nonzero),
  increase_z: perWindow((s) => s.total - s.nonzero),
  rate_z: perWindow((s, i) => perSecond(s.total - s.nonzero, i.windowSeconds)),
  value_z: sinceStart((s) => s.total - s.nonzero),
};
RATE['increase'] = RATE['increase_total'] as QueryMethod;
RATE['rate'] = RATE['rate_total'] as QueryMethod;
RATE['value'] = RATE['value_total'] as QueryMethod;

const TREND: Record<string, QueryMethod> = {
  histogram_min: perWindow((s) => s.trend?.min),
  histogram_max: perWindow((s) => s.trend?.max),
  histogram_avg: perWindow((s) => s.trend?.avg()),
  histogram_stddev: perWindow((s) => s.trend?.stddev()),
  histogram_quantile: perWindow(quantile, 'quantile'),
  histogram_count_increase: perWindow((s) => s.trend?.count),
  histogram_count_rate: perWindow((s, i) => perSecond(s.trend?.count ?? 0, i.windowSeconds)),
  histogram_count_value: sinceStart((s) => s.trend?.count),
  histogram_sum_increase: perWindow((s) => s.trend?.sum),
  histogram_cum_min: sinceStart((s) => s.trend?.min),
  histogram_cum_max: sinceStart((s) => s.trend?.max),
  histogram_cum_avg: sinceStart((s) => s.trend?.avg()),
  histogram_cum_stddev: sinceStart((s) => s.trend?.stddev()),
  histogram_cum_quantile: sinceStart(quantile, 'quantile'),
};

export const QUERY_METHODS: Readonly<Record<MetricType, Readonly<Record<string, QueryMethod>>>> = {
  counter: COUNTER,
  gauge: GAUGE,
  rate: RATE,
  trend: TREND,
};

export function isKnownMethod(name: string): boolean {
  return Object.values(QUERY_METHODS).some((methods) => Object.hasOwn(methods, name));
}

/** The method for a metric type, its argument checked; a 400 naming the methods that do apply otherwise. */
export function resolveMethod(type: MetricType, metric: string, name: string, arg: number | undefined): QueryMethod {
  const methods = QUERY_METHODS[type];
  const method = Object.hasOwn(methods, name) ? methods[name] : undefined;
  if (method === undefined) {
    throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `method "${name}" does not apply to the ${type} metric "${metric}"; ${type} methods: ${Object.keys(methods).join(', ')}`);
  }
  checkArgument(name, method, arg);
  return method;
}

/**
 * A known method's argument checked before any metric is looked at, so a query that can never be
 * answered is a 400 whether or not the run has the metric (an unknown metric answers an empty result).
 */
export function checkMethodArgument(name: string, arg: number | undefined): void {
  const method = Object.values(QUERY_METHODS).map((methods) => (Object.hasOwn(methods, name) ? methods[name] : undefined)).find((m) => m !== undefined);
  if (method !== undefined) checkArgument(name, method, arg);
}

function checkArgument(name: string, method: QueryMethod, arg: number | undefined): void {
  if (method.arg === 'quantile') {
    if (arg === undefined || arg < 0 || arg > 1) throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `${name} needs a quantile between 0 and 1, e.g. ${name}(0.95)`);
  } else if (method.arg === 'seconds') {
    if (arg === undefined || !Number.isInteger(arg) || arg < 1) throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `${name} needs a whole number of seconds ≥ 1, e.g. ${name}(5)`);
  } else if (arg !== undefined) {
    throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `method "${name}" takes no argument`);
  }
}
