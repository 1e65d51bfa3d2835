// Evaluates a parsed query over a run's stored per-second batches of one metric.
//
// Windows: window j covers the batches whose second starts in [start + j·step, start + (j+1)·step),
// clipped to `end`; its point carries the window's end time (epoch seconds). An aggregate query is one
// window [start, end). Series are grouped by the `by` labels (a label a series lacks is left out of its
// group's labels); within a group every aggregate merges exactly (MergedCell). Cumulative methods fold
// everything from the run's start, including seconds before `start`.
import { StampedeError } from '../core/index.ts';
import type { StoredMetricDef, StoredMetricsBatch } from '../store/index.ts';
import { FinishedMetric } from './finished-metric.ts';
import { MergedCell } from './merged-cell.ts';
import type { QueryExpression } from './query-expression.ts';
import type { QueryMethod } from './query-methods.ts';
import { selectorMatches, type SeriesSelector } from './series-selector.ts';

/** Prometheus' own cap on points per series of a range query. */
export const MAX_POINTS_PER_SERIES = 11_000;

export type Point = [seconds: number, value: number];

export interface ResultSeries {
  metric: Record<string, string>;
  values: Point[];
}

export interface QueryPlan {
  readonly runId: number;
  readonly def: Readonly<StoredMetricDef>;
  readonly selector: SeriesSelector;
  readonly expr: QueryExpression;
  readonly method: QueryMethod;
  /** Epoch ms. */
  readonly runStart: number;
  readonly start: number;
  readonly end: number;
  /** Window length in ms; undefined → one window [start, end). */
  readonly step: number | undefined;
}

interface Group {
  readonly labels: Record<string, string>;
  readonly cumulative: MergedCell | undefined;
  window: MergedCell | undefined;
  /** Index of the window `window` holds, -1 before the first window. */
  windowIndex: number;
  readonly points: Point[];
}

export function seriesLabels(runId: number, metric: string, tags: Readonly<Record<string, string>>): Record<string, string> {
  return { ...tags, __name__: metric, test_run_id: String(runId) };
}

function groupLabels(runId: number, metric: string, labels: Readonly<Record<string, string>>, by: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = { __name__: metric };
  for (const l of by ?? []) {
    const v = labels[l];
    if (v !== undefined && l !== '__name__') out[l] = v;
  }
  out['test_run_id'] = String(runId);
  return out;
}

function groupKey(labels: Readonly<Record<string, string>>, by: readonly string[] | undefined): string {
  if (by === undefined) return '';
  return JSON.stringify(by.map((l) => labels[l] ?? null));
}

export function windowCount(plan: Pick<QueryPlan, 'start' | 'end' | 'step'>): number {
  if (plan.step === undefined) return 1;
  return Math.max(1, Math.ceil((plan.end - plan.start) / plan.step));
}

/**
 * The groups an aggregate (one-window) query folded, by the batches read (or the FinishedMetric) and
 * what decides the fold (metric, selector, `by`, window, cumulative or not, samples or not): the
 * figures of one answer (count, min, max, mean, stdev, p95… of one trend in result_summary) each ask
 * for the same fold with another method, and a long run's fold is most of a query's time. Kept while
 * the batches are (an answer's reads, RunMetricsCache's entries), at most FOLDS_PER_READ per batches;
 * over a FinishedMetric only for its views of one answer (FinishedMetric.forOneAnswer), since the copy
 * itself is kept far longer.
 */
const aggregateFolds = new WeakMap<object, Map<string, ReadonlyMap<string, Group>>>();
const FOLDS_PER_READ = 32;

function foldKey(plan: QueryPlan, source: object): string {
  // Stored batches are folded with their samples whatever the method; a FinishedMetric only when asked.
  const samples = source instanceof FinishedMetric ? needsSamples(plan) : true;
  return JSON.stringify([plan.runId, plan.def.name, plan.selector, plan.expr.inner.by ?? null, plan.start, plan.end, plan.method.cumulative, samples]);
}

/** Whether the method reads a trend's samples (percentiles), not only its count, sum and extremes. */
export function needsSamples(plan: Pick<QueryPlan, 'method'>): boolean {
  return plan.method.arg === 'quantile';
}

/**
 * Runs the query over the metric's stored batches, or over its FinishedMetric when that is aligned
 * with the plan's windows (`FinishedMetric.aligned`); both give the same answer. Series without any
 * point are left out.
 */
export function evaluateQuery(plan: QueryPlan, source: readonly StoredMetricsBatch[] | FinishedMetric): ResultSeries[] {
  const n = windowCount(plan);
  if (n > MAX_POINTS_PER_SERIES) {
    throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `exceeded maximum resolution of ${MAX_POINTS_PER_SERIES} points per timeseries; use a larger step`);
  }
  const step = plan.step ?? Math.max(1, plan.end - plan.start);
  const windowEnd = (j: number): number => Math.min(plan.start + (j + 1) * step, plan.end);
  const by = plan.expr.inner.by;
  const keepsFolds = plan.step === undefined && (!(source instanceof FinishedMetric) || source.keepsFolds);
  const folds = keepsFolds ? aggregateFolds.get(source) ?? new Map<string, ReadonlyMap<string, Group>>() : undefined;
  const key = folds === undefined ? '' : foldKey(plan, source);
  const folded = folds?.get(key);
  // A fold made for another method of the same figure set: its cells are read, never changed, by `value`.
  const groups = new Map<string, Group>();
  for (const [k, g] of folded ?? []) groups.set(k, { ...g, points: [] });
  const resolved = new Map<Readonly<Record<string, string>>, { labels: Record<string, string>; key: string } | null>();

  const flush = (g: Group, upTo: number): void => {
    for (let j = Math.max(g.windowIndex, 0); j < upTo; j++) {
      const startOfWindow = plan.start + j * step;
      const endOfWindow = windowEnd(j);
      const v = plan.method.value({
        window: j === g.windowIndex ? g.window : undefined,
        cumulative: g.cumulative,
        windowSeconds: (endOfWindow - startOfWindow) / 1000,
        sinceStartSeconds: (endOfWindow - plan.runStart) / 1000,
        arg: plan.expr.inner.arg,
      });
      if (v !== undefined && Number.isFinite(v)) g.points.push([endOfWindow / 1000, v]);
    }
  };

  /** The group a series (by its tag object) folds into, null when the selector leaves it out. */
  const groupOf = (tags: Readonly<Record<string, string>>, j: number): Group | null => {
    // Batches served from memory share tag objects from query to query: resolve each once per query.
    let seen = resolved.get(tags);
    if (seen === undefined) {
      const labels = seriesLabels(plan.runId, plan.def.name, tags);
      seen = selectorMatches(plan.selector, labels) ? { labels, key: groupKey(labels, by) } : null;
      resolved.set(tags, seen);
    }
    if (seen === null) return null;
    const { labels, key } = seen;
    let g = groups.get(key);
    if (!g) {
      g = { labels: groupLabels(plan.runId, plan.def.name, labels, by), cumulative: plan.method.cumulative ? new MergedCell() : undefined, window: undefined, windowIndex: j, points: [] };
      groups.set(key, g);
    }
    if (j !== g.windowIndex) {
      flush(g, j);
      g.windowIndex = j;
      g.window = undefined;
    }
    return g;
  };
  const windowOf = (g: Group, j: number): MergedCell | undefined => (j >= 0 && !plan.method.cumulative ? (g.window ??= new MergedCell()) : undefined);

  if (folded === undefined && source instanceof FinishedMetric) {
    // The same fold over the metric's rows, in the same order; trend samples by block.
    const all = needsSamples(plan) && source.takesAll(plan.start, plan.end, plan.step, plan.method.cumulative);
    const blockSeen = needsSamples(plan) && !all ? new Float64Array(source.series.length).fill(-Infinity) : null;
    const wholeSeen = all ? new Uint8Array(source.series.length) : null;
    for (let i = 0; i < source.rows; i++) {
      const time = source.time[i] as number;
      if (time >= plan.end) break;
      const j = time >= plan.start ? Math.floor((time - plan.start) / step) : -1;
      if (j < 0 && !plan.method.cumulative) continue;
      const g = groupOf(source.series[source.sid[i] as number] as Readonly<Record<string, string>>, j);
      if (g !== null) source.fold(i, windowOf(g, j), g.cumulative, blockSeen, wholeSeen);
    }
  } else if (folded === undefined) {
    for (const batch of source as readonly StoredMetricsBatch[]) {
      if (batch.time >= plan.end) continue;
      const j = batch.time >= plan.start ? Math.floor((batch.time - plan.start) / step) : -1;
      if (j < 0 && !plan.method.cumulative) continue;
      for (const agg of batch.series) {
        if (agg.metric !== plan.def.name) continue;
        const g = groupOf(agg.tags, j);
        if (g === null) continue;
        windowOf(g, j)?.add(batch.time, agg);
        g.cumulative?.add(batch.time, agg);
      }
    }
  }
  if (folds !== undefined && folded === undefined) {
    if (folds.size >= FOLDS_PER_READ) folds.clear();
    folds.set(key, new Map([...groups].map(([k, g]) => [k, { ...g, points: [] }])));
    aggregateFolds.set(source, folds);
  }
  const out: ResultSeries[] = [];
  for (const g of groups.values()) {
    flush(g, n);
    if (g.points.length > 0) out.push({ metric: g.labels, values: g.points });
  }
  return plan.expr.outer ? combineAcross(plan, out) : out;
}

/** `sum|min|max|avg(inner) [by (…)]`: the inner series combined per timestamp. */
function combineAcross(plan: QueryPlan, inner: readonly ResultSeries[]): ResultSeries[] {
  const outer = plan.expr.outer;
  if (!outer) return [...inner];
  const groups = new Map<string, { labels: Record<string, string>; byTime: Map<number, number[]> }>();
  for (const s of inner) {
    const key = groupKey(s.metric, outer.by);
    let g = groups.get(key);
    if (!g) {
      g = { labels: groupLabels(plan.runId, plan.def.name, s.metric, outer.by), byTime: new Map() };
      groups.set(key, g);
    }
    for (const [t, v] of s.values) {
      const list = g.byTime.get(t);
      if (list) list.push(v);
      else g.byTime.set(t, [v]);
    }
  }
  const combine = (vs: number[]): number => {
    switch (outer.aggregator) {
      case 'sum':
        return vs.reduce((a, b) => a + b, 0);
      case 'min':
        return Math.min(...vs);
      case 'max':
        return Math.max(...vs);
      case 'avg':
        return vs.reduce((a, b) => a + b, 0) / vs.length;
    }
  };
  return [...groups.values()].map((g) => ({
    metric: g.labels,
    values: [...g.byTime.entries()].sort(([a], [b]) => a - b).map(([t, vs]): Point => [t, combine(vs)]),
  }));
}
