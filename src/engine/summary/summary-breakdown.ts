// Per-group and per-scenario results for the "full" text summary (internal/output/summary/summary.go
// flushSample): a sample of a scenario other than "default" counts for that scenario; a sample with a
// group counts for that group only (not its ancestors), under its scenario when it has one, else under
// the root; setup and teardown groups are left out. Derived from the run's per-series totals.
import type { RunMetrics } from '../metrics/run-metrics.ts';
import { MetricState } from '../metrics/metric-state.ts';
import type { SummaryMetric } from './summary-data.ts';

export interface CheckTotal {
  name: string;
  passes: number;
  fails: number;
}

export interface BreakdownNode {
  readonly name: string;
  /** This node's own checks, merged by name, in first-seen order. */
  readonly checks: CheckTotal[];
  readonly metrics: Record<string, SummaryMetric>;
  /** Nested groups in first-seen order. */
  readonly groups: BreakdownNode[];
}

export interface SummaryBreakdown {
  /** The root's groups (samples outside named scenarios). */
  readonly groups: BreakdownNode[];
  /** Scenarios other than "default", by name. */
  readonly scenarios: BreakdownNode[];
}

interface Building {
  readonly name: string;
  readonly checks: CheckTotal[];
  readonly states: Map<string, MetricState>;
  readonly groups: Building[];
}

const newNode = (name: string): Building => ({ name, checks: [], states: new Map(), groups: [] });

function child(parent: Building, name: string): Building {
  let c = parent.groups.find((g) => g.name === name);
  if (!c) {
    c = newNode(name);
    parent.groups.push(c);
  }
  return c;
}

function finish(b: Building, metrics: RunMetrics, testRunDurationMs: number, trendStats: readonly string[]): BreakdownNode {
  const out: Record<string, SummaryMetric> = {};
  for (const [name, state] of b.states) {
    const def = metrics.metric(name);
    if (def) out[name] = { type: def.type, contains: def.contains, values: state.values(testRunDurationMs, trendStats) };
  }
  return { name: b.name, checks: b.checks, metrics: out, groups: b.groups.map((g) => finish(g, metrics, testRunDurationMs, trendStats)) };
}

export function buildSummaryBreakdown(metrics: RunMetrics, testRunDurationMs: number, trendStats: readonly string[]): SummaryBreakdown {
  const root = newNode('');
  const scenarios = new Map<string, Building>();
  const fold = (node: Building, metric: string, state: MetricState, checkName: string | undefined): void => {
    let s = node.states.get(metric);
    if (!s) {
      s = new MetricState(state.type);
      node.states.set(metric, s);
    }
    s.merge(state);
    if (metric === 'checks' && checkName !== undefined) {
      let c = node.checks.find((x) => x.name === checkName);
      if (!c) {
        c = { name: checkName, passes: 0, fails: 0 };
        node.checks.push(c);
      }
      c.passes += state.nonzero;
      c.fails += state.total - state.nonzero;
    }
  };
  for (const metric of metrics.observedMetrics()) {
    for (const { tags, state } of metrics.series(metric)) {
      let base = root;
      const scenario = tags.scenario;
      if (scenario !== undefined && scenario !== 'default') {
        base = scenarios.get(scenario) ?? newNode(scenario);
        scenarios.set(scenario, base);
        fold(base, metric, state, tags.check);
      }
      const group = tags.group;
      if (!group) continue;
      const path = group.startsWith('::') ? group.slice(2) : group;
      if (path === 'setup' || path === 'teardown') continue;
      let node = base;
      for (const name of path.split('::')) node = child(node, name);
      fold(node, metric, state, tags.check);
    }
  }
  return {
    groups: root.groups.map((g) => finish(g, metrics, testRunDurationMs, trendStats)),
    scenarios: [...scenarios.values()]
      .sort((a, b) => a.name.localeCompare(b.name, 'en'))
      .map((s) => finish(s, metrics, testRunDurationMs, trendStats)),
  };
}
