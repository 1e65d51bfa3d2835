// handleSummary-shaped data rebuilt from a run's stored batches (every runner's, merged by the
// engine's RunMetrics), with the run's thresholds judged on the merged data. For runs whose runner did
// not report a summary (killed, lost), and for runs spread over several runners, where each runner's own
// summary covers only its share.
//
// Adapter: the engine's public entry exports RunMetrics but not buildSummaryData, parseThresholds or
// ThresholdEvaluator, so the summary layout (engine/summary/summary-data.ts) and the final threshold
// pass (engine/thresholds/evaluate-thresholds.ts) are followed here in small. Same rules: values per
// type from MetricState.values; a threshold whose metric has no value passes; the expression grammar is
// k6's `<aggregation> <operator> <number>` with the operators tried in k6's order.
import { createHash } from 'node:crypto';
import { RunMetrics } from '../engine/index.ts';
import type { MetricsBatch, SummaryData } from '../engine/index.ts';
import type { StoredMetricsBatch } from '../store/index.ts';

type SummaryGroup = SummaryData['root_group'];
type SummaryMetric = SummaryData['metrics'][string];

const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
const OPERATORS = ['<=', '<', '>=', '>', '===', '==', '!='] as const;
type Operator = (typeof OPERATORS)[number];

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

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

function thresholdSources(raw: unknown): [key: string, source: string][] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  const out: [string, string][] = [];
  for (const [key, list] of Object.entries(raw as Record<string, unknown>)) {
    for (const entry of Array.isArray(list) ? list : []) {
      if (typeof entry === 'string') out.push([key, entry]);
      else if (typeof entry === 'object' && entry !== null && typeof (entry as { threshold?: unknown }).threshold === 'string') out.push([key, (entry as { threshold: string }).threshold]);
    }
  }
  return out;
}

function compare(lhs: number, op: Operator, rhs: number): boolean {
  switch (op) {
    case '<=':
      return lhs <= rhs;
    case '<':
      return lhs < rhs;
    case '>=':
      return lhs >= rhs;
    case '>':
      return lhs > rhs;
    case '===':
    case '==':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
  }
}

/** The verdict of one expression on merged data; undefined when the expression or its metric is unusable. */
function judge(metrics: RunMetrics, key: string, source: string, durationMs: number): ThresholdVerdict | undefined {
  let split: [string, Operator, string] | undefined;
  for (const op of OPERATORS) {
    const at = source.indexOf(op);
    if (at !== -1 && source.slice(at + op.length) !== '') {
      split = [source.slice(0, at).trim(), op, source.slice(at + op.length).trim()];
      break;
    }
  }
  if (!split) return undefined;
  const [aggregation, op, rhsText] = split;
  const rhs = /^inf(inity)?$/i.test(rhsText) ? Infinity : Number(rhsText);
  if (Number.isNaN(rhs)) return undefined;
  let state;
  try {
    state = metrics.state(key);
  } catch {
    return undefined;
  }
  if (!state) return undefined;
  let observed: number | undefined;
  switch (state.type) {
    case 'counter':
      observed = aggregation === 'count' ? state.sum : durationMs > 0 ? state.sum / (durationMs / 1000) : undefined;
      break;
    case 'gauge':
      observed = state.last;
      break;
    case 'rate':
      observed = state.total > 0 ? state.nonzero / state.total : undefined;
      break;
    case 'trend': {
      const p = /^p\((.+)\)$/.exec(aggregation);
      observed = p ? state.trend?.percentile(Number(p[1])) : state.trendStat(aggregation);
      break;
    }
  }
  return observed === undefined ? { key, source, ok: true } : { key, source, ok: compare(observed, op, rhs), observed };
}

function groupAt(root: SummaryGroup, path: string): SummaryGroup {
  if (path === '') return root;
  let g = root;
  for (const name of path.split('::').slice(1)) {
    const childPath = `${g.path}::${name}`;
    let child = g.groups.find((c) => c.name === name);
    if (!child) {
      child = { name, path: childPath, id: md5(childPath), groups: [], checks: [] };
      g.groups.push(child);
    }
    g = child;
  }
  return g;
}

function rootGroup(metrics: RunMetrics): SummaryGroup {
  const root: SummaryGroup = { name: '', path: '', id: md5(''), groups: [], checks: [] };
  for (const s of metrics.series('group_duration')) if (s.tags['group'] !== undefined) groupAt(root, s.tags['group']);
  for (const s of metrics.series('checks')) {
    const name = s.tags['check'];
    if (name === undefined) continue;
    const group = groupAt(root, s.tags['group'] ?? '');
    let check = group.checks.find((c) => c.name === name);
    if (!check) {
      const path = `${group.path}::${name}`;
      check = { name, path, id: md5(path), passes: 0, fails: 0 };
      group.checks.push(check);
    }
    check.passes += s.state.nonzero;
    check.fails += s.state.total - s.state.nonzero;
  }
  return root;
}

export function summarizeMergedBatches(batches: readonly StoredMetricsBatch[], input: MergedSummaryInput = {}): MergedSummary {
  const sources = thresholdSources(input.thresholds);
  const metrics = new RunMetrics();
  for (const b of batches) metrics.ingest(b as unknown as MetricsBatch);
  for (const [key] of sources) {
    try {
      if (key.includes('{')) metrics.track(key);
    } catch {
      // A submetric of a metric the run never defined: judged as unusable below.
    }
  }
  const span = metrics.timeSpan();
  const durationMs = input.testRunDurationMs ?? (span ? span.end - span.start : 0);
  const trendStats = [...(input.summaryTrendStats ?? DEFAULT_TREND_STATS)];

  const verdicts: ThresholdVerdict[] = [];
  for (const [key, source] of sources) {
    const verdict = judge(metrics, key, source, durationMs);
    if (verdict !== undefined) verdicts.push(verdict);
  }
  const keys = new Set<string>(metrics.observedMetrics());
  for (const v of verdicts) {
    keys.add(v.key);
    const brace = v.key.indexOf('{');
    if (brace > 0) keys.add(v.key.slice(0, brace));
  }
  for (const sub of metrics.trackedSubmetrics()) if (!metrics.state(sub)?.isEmpty) keys.add(sub);

  const out: Record<string, SummaryMetric> = {};
  const failedThresholds: Record<string, Record<string, boolean>> = {};
  for (const key of keys) {
    const def = metrics.metric(key.split('{', 1)[0] ?? key);
    if (!def) continue;
    const metric: SummaryMetric = { type: def.type, contains: def.contains, values: metrics.values(key, durationMs, trendStats) ?? {} };
    const own = verdicts.filter((v) => v.key === key);
    if (own.length > 0) {
      metric.thresholds = Object.fromEntries(own.map((v) => [v.source, { ok: v.ok }]));
      failedThresholds[key] = Object.fromEntries(own.map((v) => [v.source, !v.ok]));
    }
    out[key] = metric;
  }
  return {
    data: {
      root_group: rootGroup(metrics),
      options: { summaryTrendStats: trendStats, summaryTimeUnit: '', noColor: false },
      state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: durationMs },
      metrics: out,
      setup_data: undefined,
    },
    failedThresholds,
    verdicts,
  };
}
