// LogQL metric queries over one run's log lines, as Grafana's Loki data source sends them for its log
// volume histogram (`sum by (level) (count_over_time({test_run_id="1"} | drop __error__ [1m]))`) and a
// user may in Explore: a range aggregation (count_over_time, rate, bytes_over_time, bytes_rate) of a
// log query (logql.ts) over a [range], optionally inside vector aggregations (sum, min, max, avg,
// count; `by (…)` or `without (…)`, before or after the parentheses). Evaluated as Loki does: at each
// step t from start to end, over the lines in (t - range, t]; a series has no point where it saw no
// line. Anything else is a 400 naming what is answered.
import { parseLogQuery, type LogQuery } from './logql.ts';
import { durationUs } from './run-log-views.ts';
import { validationError } from './validation-error.ts';
import type { StoredRunLogLine } from '../store/index.ts';

const RANGE_FUNCTIONS = ['count_over_time', 'rate', 'bytes_over_time', 'bytes_rate'] as const;
const VECTOR_AGGREGATIONS = ['sum', 'min', 'max', 'avg', 'count'] as const;
type RangeFunction = (typeof RANGE_FUNCTIONS)[number];
type VectorAggregation = (typeof VECTOR_AGGREGATIONS)[number];

/** Loki's limit on the points of one series (max_query_series aside). */
export const MAX_POINTS = 11_000;

export interface Grouping {
  readonly mode: 'by' | 'without';
  readonly labels: readonly string[];
}

export type MetricQuery =
  | { readonly kind: 'range'; readonly fn: RangeFunction; readonly log: LogQuery; readonly rangeUs: number }
  | { readonly kind: 'aggregate'; readonly op: VectorAggregation; readonly grouping?: Grouping; readonly inner: MetricQuery };

function fail(why: string): never {
  const message = `${why}: metric queries answered here are count_over_time, rate, bytes_over_time and bytes_rate of a log query on one run with a [range], such as sum by (level) (count_over_time({test_run_id="123"} [1m])), optionally inside sum, min, max, avg or count with by (…) or without (…)`;
  throw validationError('query', message);
}

/** Whether the query is a metric query (a function call) rather than a log query (a selector). */
export function isMetricQuery(query: unknown): query is string {
  return typeof query === 'string' && /^\s*\(?\s*[a-z_]+\s*(\(|by\b|without\b)/.test(query);
}

/** The index of the parenthesis closing the one at `open`, skipping quoted strings; -1 if none. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '`') {
      i = text.indexOf('`', i + 1);
      if (i < 0) return -1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

const GROUPING = /^\s*(by|without)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)?\s*,?\s*\)/;

function grouping(text: string): { grouping: Grouping; rest: string } | undefined {
  const m = GROUPING.exec(text);
  if (m === null) return undefined;
  const labels = (m[2] ?? '').split(',').map((l) => l.trim()).filter((l) => l !== '');
  return { grouping: { mode: m[1] as 'by' | 'without', labels }, rest: text.slice(m[0].length) };
}

/** Reads a metric query; a 400 (target `query`) for anything outside what is answered. */
export function parseMetricQuery(query: string): MetricQuery {
  let text = query.trim();
  // Redundant outer parentheses.
  while (text.startsWith('(') && closingParen(text, 0) === text.length - 1) text = text.slice(1, -1).trim();
  const name = /^[a-z_]+/.exec(text)?.[0];
  if (name === undefined) return fail(`Unsupported query ${JSON.stringify(query.trim().slice(0, 60))}`);
  let rest = text.slice(name.length);
  if ((VECTOR_AGGREGATIONS as readonly string[]).includes(name)) {
    const before = grouping(rest);
    if (before !== undefined) rest = before.rest;
    rest = rest.trimStart();
    if (!rest.startsWith('(')) return fail(`Expected ( after ${name}`);
    const close = closingParen(rest, 0);
    if (close < 0) return fail(`Unbalanced parentheses after ${name}`);
    const inner = parseMetricQuery(rest.slice(1, close));
    let after = rest.slice(close + 1);
    const trailing = before === undefined ? grouping(after) : undefined;
    if (trailing !== undefined) after = trailing.rest;
    if (after.trim() !== '') return fail(`Unsupported expression ${JSON.stringify(after.trim().slice(0, 40))} after ${name}(…)`);
    const g = before?.grouping ?? trailing?.grouping;
    return { kind: 'aggregate', op: name as VectorAggregation, ...(g === undefined ? {} : { grouping: g }), inner };
  }
  if (!(RANGE_FUNCTIONS as readonly string[]).includes(name)) return fail(`The function ${name} is not supported`);
  rest = rest.trimStart();
  const close = rest.startsWith('(') ? closingParen(rest, 0) : -1;
  if (close < 0) return fail(`Expected (…) after ${name}`);
  if (rest.slice(close + 1).trim() !== '') return fail(`Unsupported expression ${JSON.stringify(rest.slice(close + 1).trim().slice(0, 40))} after ${name}(…)`);
  const body = rest.slice(1, close);
  const range = /\[\s*([0-9a-z]+)\s*\]\s*$/.exec(body);
  if (range === null) return fail(`${name} needs a range such as [1m] after its log query`);
  const rangeUs = durationUs(range[1] as string, 'query');
  if (rangeUs <= 0) return fail(`The range of ${name} must be longer than 0`);
  return { kind: 'range', fn: name as RangeFunction, log: parseLogQuery(body.slice(0, range.index)), rangeUs };
}

/** The run a metric query reads (every range aggregation in it must name the same one). */
export function metricQueryRun(q: MetricQuery): LogQuery {
  if (q.kind === 'range') return q.log;
  return metricQueryRun(q.inner);
}

/** The steps a query is evaluated at, in epoch µs: start, start + step, … up to end. */
export function evaluationSteps(startUs: number, endUs: number, stepUs: number): { startUs: number; stepUs: number; count: number } {
  if (stepUs <= 0) throw validationError('step', 'step must be a positive duration or number of seconds');
  if (endUs < startUs) throw validationError('end', 'end must not be before start');
  const count = Math.floor((endUs - startUs) / stepUs) + 1;
  if (count > MAX_POINTS) {
    throw validationError('step', `exceeded maximum resolution of ${MAX_POINTS.toLocaleString('en-US')} points per timeseries. Try increasing the value of the step parameter`);
  }
  return { startUs, stepUs, count };
}

/** Loki's default step for a range of this length: 1/250th of it in whole seconds, at least 1 s. */
export function defaultStepUs(startUs: number, endUs: number): number {
  return Math.max(Math.ceil((endUs - startUs) / 1e6 / 250), 1) * 1e6;
}

export interface MetricSeries {
  metric: Record<string, string>;
  /** The value at each step; undefined where the series has no point. */
  points: (number | undefined)[];
}

const labelKey = (labels: Record<string, string>): string => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function lineLabels(line: StoredRunLogLine, dropped: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = { ...line.labels, level: line.level };
  for (const d of dropped) delete labels[d];
  return labels;
}

/**
 * A range aggregation's series from the lines it matched (in any order, within [start - range, end]):
 * each line adds to the steps t with line.time in (t - range, t], by a difference array per series.
 */
function rangeSeries(q: Extract<MetricQuery, { kind: 'range' }>, lines: Iterable<StoredRunLogLine>, steps: { startUs: number; stepUs: number; count: number }): MetricSeries[] {
  const bySet = new Map<string, { metric: Record<string, string>; diff: Float64Array; seen: Int32Array }>();
  const bytes = q.fn === 'bytes_over_time' || q.fn === 'bytes_rate';
  for (const line of lines) {
    const first = Math.max(0, Math.ceil((line.time - steps.startUs) / steps.stepUs));
    // The last step t with t < line.time + range.
    const last = Math.min(steps.count - 1, Math.ceil((line.time + q.rangeUs - steps.startUs) / steps.stepUs) - 1);
    if (first > last) continue;
    const metric = lineLabels(line, q.log.dropped);
    const key = labelKey(metric);
    let s = bySet.get(key);
    if (s === undefined) {
      s = { metric, diff: new Float64Array(steps.count + 1), seen: new Int32Array(steps.count + 1) };
      bySet.set(key, s);
    }
    const weight = bytes ? Buffer.byteLength(line.message) : 1;
    s.diff[first] = (s.diff[first] as number) + weight;
    s.diff[last + 1] = (s.diff[last + 1] as number) - weight;
    s.seen[first] = (s.seen[first] as number) + 1;
    s.seen[last + 1] = (s.seen[last + 1] as number) - 1;
  }
  const perSecond = q.fn === 'rate' || q.fn === 'bytes_rate' ? 1e6 / q.rangeUs : 1;
  return [...bySet.values()].map(({ metric, diff, seen }) => {
    const points: (number | undefined)[] = [];
    let value = 0;
    let lines = 0;
    for (let i = 0; i < steps.count; i++) {
      value += diff[i] as number;
      lines += seen[i] as number;
      points.push(lines > 0 ? value * perSecond : undefined);
    }
    return { metric, points };
  });
}

function groupLabels(metric: Record<string, string>, g: Grouping | undefined): Record<string, string> {
  if (g === undefined) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metric)) if ((g.mode === 'by') === g.labels.includes(k) && v !== '') out[k] = v;
  return out;
}

function aggregate(op: VectorAggregation, g: Grouping | undefined, inner: MetricSeries[], count: number): MetricSeries[] {
  const groups = new Map<string, { metric: Record<string, string>; members: MetricSeries[] }>();
  for (const s of inner) {
    const metric = groupLabels(s.metric, g);
    const key = labelKey(metric);
    const group = groups.get(key) ?? { metric, members: [] };
    group.members.push(s);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ metric, members }) => {
    const points: (number | undefined)[] = [];
    for (let i = 0; i < count; i++) {
      const values = members.map((m) => m.points[i]).filter((v): v is number => v !== undefined);
      if (values.length === 0) points.push(undefined);
      else if (op === 'sum') points.push(values.reduce((a, b) => a + b, 0));
      else if (op === 'min') points.push(Math.min(...values));
      else if (op === 'max') points.push(Math.max(...values));
      else if (op === 'avg') points.push(values.reduce((a, b) => a + b, 0) / values.length);
      else points.push(values.length);
    }
    return { metric, points };
  });
}

/** Evaluates a query over the lines its run's log query matched (already filtered by logql's matcher). */
export function evaluateMetricQuery(q: MetricQuery, lines: readonly StoredRunLogLine[], steps: { startUs: number; stepUs: number; count: number }): MetricSeries[] {
  if (q.kind === 'range') return rangeSeries(q, lines, steps);
  return aggregate(q.op, q.grouping, evaluateMetricQuery(q.inner, lines, steps), steps.count).filter((s) => s.points.some((p) => p !== undefined));
}

/** The largest range in a query: how far before `start` its lines must be read. */
export function lookbackUs(q: MetricQuery): number {
  return q.kind === 'range' ? q.rangeUs : lookbackUs(q.inner);
}

/** A sample value as Loki writes it (Prometheus' text of a float). */
export function sampleText(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);
}
