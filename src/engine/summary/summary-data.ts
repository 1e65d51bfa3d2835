// The `data` object handed to handleSummary(data), in the shape k6 builds it
// (internal/js/summary.go summarizeMetricsToObject): root_group with nested groups and checks,
// options, state, metrics (values per type + threshold results) and setup_data.
import { createHash } from 'node:crypto';
import type { MetricContains, MetricType } from '../vu/vu-host.ts';
import type { RunMetrics } from '../metrics/run-metrics.ts';
import { DEFAULT_TREND_STATS } from '../metrics/metric-state.ts';
import type { ThresholdResult } from '../thresholds/evaluate-thresholds.ts';
import type { CheckTotal } from './summary-breakdown.ts';

export interface SummaryCheck {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

export interface SummaryGroup {
  name: string;
  path: string;
  id: string;
  groups: SummaryGroup[];
  checks: SummaryCheck[];
}

export interface SummaryMetric {
  type: MetricType;
  contains: MetricContains;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryData {
  root_group: SummaryGroup;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, SummaryMetric>;
  setup_data: unknown;
}

export interface SummaryInput {
  readonly metrics: RunMetrics;
  /** Final threshold results (ThresholdEvaluator.results() after the final evaluation). */
  readonly thresholds: readonly ThresholdResult[];
  readonly testRunDurationMs: number;
  readonly options: { readonly summaryTrendStats?: readonly string[]; readonly summaryTimeUnit?: string; readonly noColor?: boolean };
  readonly state: { readonly isStdOutTTY: boolean; readonly isStdErrTTY: boolean };
  /** setup()'s return value after its JSON round trip; undefined without setup or a return value. */
  readonly setupData?: unknown;
}

const GROUP_SEPARATOR = '::';

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

function newGroup(name: string, path: string): SummaryGroup {
  return { name, path, id: md5(path), groups: [], checks: [] };
}

/** The group at `path` ("" root, "::a::b" nested), created with its ancestors on first use. */
function groupAt(root: SummaryGroup, path: string): SummaryGroup {
  if (path === '') return root;
  let g = root;
  for (const name of path.split(GROUP_SEPARATOR).slice(1)) {
    const childPath = g.path + GROUP_SEPARATOR + name;
    let child = g.groups.find((c) => c.name === name);
    if (!child) {
      child = newGroup(name, childPath);
      g.groups.push(child);
    }
    g = child;
  }
  return g;
}

/**
 * Groups and checks as k6's lib.Group tree (lib/test_state.go GroupSummary), derived from the `group`
 * and `check` tags of samples. Like k6's, it skips a check sample without either tag: when systemTags
 * leaves out `group`, root_group has neither groups nor checks (the text summary still lists every
 * check: see checkTotals).
 */
export function buildRootGroup(metrics: RunMetrics): SummaryGroup {
  const root = newGroup('', '');
  const checkSeries = metrics.series('checks');
  for (const s of metrics.series('group_duration')) {
    const path = s.tags.group;
    if (path !== undefined) groupAt(root, path);
  }
  for (const s of checkSeries) {
    const name = s.tags.check;
    if (name === undefined || s.tags.group === undefined) continue;
    const group = groupAt(root, s.tags.group);
    let check = group.checks.find((c) => c.name === name);
    if (!check) {
      const path = group.path + GROUP_SEPARATOR + name;
      check = { name, path, id: md5(path), passes: 0, fails: 0 };
      group.checks.push(check);
    }
    check.passes += s.state.nonzero;
    check.fails += s.state.total - s.state.nonzero;
  }
  return root;
}

/**
 * Every check's results by name, whatever its group, in the order their first results arrived: what
 * k6's end-of-test summary lists (internal/output/summary counts checks by their `check` tag alone).
 */
export function checkTotals(metrics: RunMetrics): CheckTotal[] {
  const byName = new Map<string, CheckTotal>();
  for (const s of metrics.series('checks')) {
    const name = s.tags.check;
    if (name === undefined) continue;
    let total = byName.get(name);
    if (total === undefined) {
      total = { name, passes: 0, fails: 0 };
      byName.set(name, total);
    }
    total.passes += s.state.nonzero;
    total.fails += s.state.total - s.state.nonzero;
  }
  return [...byName.values()];
}

/**
 * The metric keys k6 reports: metrics with samples, metrics and submetrics with thresholds or marked
 * observed (and their parents), and tracked submetrics with samples (e.g. http_req_duration{expected_response:true}).
 */
export function reportedMetricKeys(metrics: RunMetrics, thresholds: readonly ThresholdResult[]): string[] {
  const keys = new Set<string>(metrics.observedMetrics());
  for (const key of [...thresholds.map((t) => t.key), ...metrics.markedObserved()]) {
    keys.add(key);
    const brace = key.indexOf('{');
    if (brace > 0) keys.add(key.slice(0, brace));
  }
  for (const sub of metrics.trackedSubmetrics()) {
    if (!metrics.state(sub)?.isEmpty) keys.add(sub);
  }
  return [...keys].filter((k) => metrics.metric(k.split('{', 1)[0] ?? k) !== undefined);
}

export function buildSummaryData(input: SummaryInput): SummaryData {
  const trendStats = [...(input.options.summaryTrendStats ?? DEFAULT_TREND_STATS)];
  const out: Record<string, SummaryMetric> = {};
  for (const key of reportedMetricKeys(input.metrics, input.thresholds)) {
    const def = input.metrics.metric(key.split('{', 1)[0] ?? key);
    if (!def) continue;
    const metric: SummaryMetric = {
      type: def.type,
      contains: def.contains,
      values: input.metrics.values(key, input.testRunDurationMs, trendStats) ?? {},
    };
    const own = input.thresholds.filter((t) => t.key === key);
    if (own.length > 0) metric.thresholds = Object.fromEntries(own.map((t) => [t.source, { ok: t.ok }]));
    out[key] = metric;
  }
  return {
    root_group: buildRootGroup(input.metrics),
    options: {
      summaryTrendStats: trendStats,
      summaryTimeUnit: input.options.summaryTimeUnit ?? '',
      noColor: input.options.noColor ?? false,
    },
    state: {
      isStdOutTTY: input.state.isStdOutTTY,
      isStdErrTTY: input.state.isStdErrTTY,
      testRunDurationMs: input.testRunDurationMs,
    },
    metrics: out,
    setup_data: input.setupData,
  };
}
