// The registry of metric definitions a worker's VUs share (metrics/registry.go semantics).
import type { MetricContains, MetricRegistryView, MetricType } from '../vu/vu-host.ts';
import { BUILTIN_METRICS } from './builtin-metrics.ts';
import type { MetricDef } from './metrics-batch.ts';

const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{1,128}$/;
const METRIC_TYPES: readonly MetricType[] = ['counter', 'gauge', 'rate', 'trend'];
const CONTAINS: readonly MetricContains[] = ['default', 'time', 'data'];

/** k6's message for a name outside METRIC_NAME (metrics/registry.go badNameWarning). */
export function invalidMetricName(name: string): string {
  return `Invalid metric name: '${name}'. Metric names must only include up to 128 ASCII letters, numbers, or underscores and start with a letter or an underscore.`;
}

export class MetricRegistry implements MetricRegistryView {
  readonly #defs = new Map<string, Readonly<MetricDef>>();

  /** Starts with k6's built-in metrics already defined. */
  constructor() {
    for (const def of BUILTIN_METRICS) this.#defs.set(def.name, def);
  }

  define(name: string, type: MetricType, contains: MetricContains): void {
    if (!METRIC_NAME.test(name)) {
      throw new Error(invalidMetricName(name));
    }
    if (!METRIC_TYPES.includes(type)) throw new Error(`unknown metric type '${String(type)}'`);
    if (!CONTAINS.includes(contains)) throw new Error(`unknown metric value type '${String(contains)}'`);
    const existing = this.#defs.get(name);
    if (existing) {
      if (existing.type !== type) {
        throw new Error(`metric '${name}' already exists but with type ${existing.type}, instead of ${type}`);
      }
      if (existing.contains !== contains) {
        throw new Error(`metric '${name}' already exists but with a value type ${existing.contains}, instead of ${contains}`);
      }
      return;
    }
    this.#defs.set(name, Object.freeze({ name, type, contains }));
  }

  get(name: string): Readonly<MetricDef> | undefined {
    return this.#defs.get(name);
  }

  all(): Readonly<MetricDef>[] {
    return [...this.#defs.values()];
  }
}
