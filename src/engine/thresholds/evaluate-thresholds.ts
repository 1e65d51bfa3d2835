// Threshold evaluation with k6's timing rules (metrics/thresholds.go Run/runAll,
// internal/metrics/engine/engine.go evaluateThresholds):
// - during the run (every 2s) a metric or submetric without samples is skipped and keeps its last result;
// - at the end every threshold runs, empty ones included: an empty trend reads 0 for every statistic, an
//   empty rate has no `rate` value, and a missing value counts as passing (so does a counter `rate` when
//   the test time is 0);
// - an abortOnFail threshold that fails demands an abort once the run is longer than its
//   delayAbortEval; that demand sticks to its metric key, and later failures of any threshold on that
//   key demand the abort again (k6's Thresholds.Abort).
import type { MetricState } from '../metrics/metric-state.ts';
import type { RunMetrics } from '../metrics/run-metrics.ts';
import type { ThresholdDefinition } from './parse-thresholds.ts';
import { aggregationKey, compare } from './threshold-expression.ts';

export interface ThresholdResult {
  readonly key: string;
  readonly source: string;
  readonly ok: boolean;
  /** The value compared, or undefined when there was none (skipped, or no value: passes). */
  readonly observed?: number;
  /** The aggregation read, e.g. "p(95)", "rate". */
  readonly aggregation: string;
}

export interface ThresholdEvaluation {
  readonly results: ThresholdResult[];
  /** Keys with at least one failing threshold in this evaluation, sorted. */
  readonly failed: string[];
  /** An abortOnFail threshold demands that the run stop now (ignored by callers on the final pass). */
  readonly shouldAbort: boolean;
}

function observedValue(def: ThresholdDefinition, state: MetricState, testRunDurationMs: number): number | undefined {
  const e = def.expression;
  switch (state.type) {
    case 'counter':
      if (e.aggregation === 'count') return state.sum;
      return testRunDurationMs > 0 ? state.sum / (testRunDurationMs / 1000) : undefined;
    case 'gauge':
      return state.last;
    case 'rate':
      return state.total > 0 ? state.nonzero / state.total : undefined;
    case 'trend':
      if (e.aggregation === 'p') return state.trend?.percentile(e.percentile ?? 0);
      return state.trendStat(e.aggregation);
  }
}

export class ThresholdEvaluator {
  readonly #defs: readonly ThresholdDefinition[];
  readonly #last: ThresholdResult[];
  /** Which thresholds an evaluation has compared (k6 skips those of empty metrics until the end). */
  readonly #evaluated: boolean[];
  readonly #abortKeys = new Set<string>();

  constructor(definitions: readonly ThresholdDefinition[]) {
    this.#defs = definitions;
    this.#last = definitions.map((d) => ({ key: d.key, source: d.source, ok: true, aggregation: aggregationKey(d.expression) }));
    this.#evaluated = definitions.map(() => false);
  }

  get definitions(): readonly ThresholdDefinition[] {
    return this.#defs;
  }

  /** Registers the submetrics with the run's metrics so they are kept up to date while ingesting. */
  track(metrics: RunMetrics): void {
    for (const d of this.#defs) if (d.selector.tags.length > 0) metrics.track(d.key);
  }

  evaluate(metrics: RunMetrics, testRunDurationMs: number, opts: { final: boolean }): ThresholdEvaluation {
    const failed = new Set<string>();
    const states = new Map<string, MetricState | undefined>();
    this.#defs.forEach((def, i) => {
      if (!states.has(def.key)) states.set(def.key, metrics.state(def.key));
      const state = states.get(def.key);
      if (!state) return;
      if (!opts.final && state.isEmpty) return;
      const observed = observedValue(def, state, testRunDurationMs);
      const ok = observed === undefined ? true : compare(observed, def.expression.operator, def.expression.value);
      this.#evaluated[i] = true;
      this.#last[i] = { key: def.key, source: def.source, ok, aggregation: aggregationKey(def.expression), ...(observed === undefined ? {} : { observed }) };
      if (ok) return;
      failed.add(def.key);
      if (def.abortOnFail && !this.#abortKeys.has(def.key)) {
        if (def.delayAbortEvalMs === undefined || def.delayAbortEvalMs < testRunDurationMs) this.#abortKeys.add(def.key);
      }
    });
    const failedKeys = [...failed].sort();
    return {
      results: [...this.#last],
      failed: failedKeys,
      shouldAbort: failedKeys.some((k) => this.#abortKeys.has(k)),
    };
  }

  /**
   * k6's Metric.Tainted of every metric or submetric with thresholds that an evaluation has compared:
   * true when one of its thresholds failed in the latest evaluation. Metrics never compared are absent
   * (k6 leaves Tainted null for them).
   */
  tainted(): Map<string, boolean> {
    const out = new Map<string, boolean>();
    this.#defs.forEach((def, i) => {
      if (!this.#evaluated[i]) return;
      out.set(def.key, (out.get(def.key) ?? false) || !(this.#last[i]?.ok ?? true));
    });
    return out;
  }

  /** The latest result of every threshold (ok until first evaluated), in definition order. */
  results(): ThresholdResult[] {
    return [...this.#last];
  }
}
