// k6/metrics: Counter, Gauge, Rate and Trend. Declared in init (the registry is shared by the worker's
// VUs, so the same name and type returns the same metric), added to only while a VU runs.
import { invalidMetricName } from '../metrics/metric-registry.ts';
import type { MetricType, VuHost } from '../vu/vu-host.ts';
import { applyUserTags } from './user-tags.ts';
import { goError } from '../vu/go-error.ts';

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]{1,128}$/;

/**
 * k6's conversion of an added value (metrics.go add): JavaScript ToNumber, except that a truthy value
 * converting to 0 counts as 1 (so `[]` and `"0"` add 1, `""` adds 0); null and NaN are rejected.
 */
function numericValue(value: unknown): number | undefined {
  if (value === null || typeof value === 'symbol' || typeof value === 'bigint') return undefined;
  let n: number;
  try {
    n = Number(value);
  } catch {
    return undefined;
  }
  if (n === 0 && Boolean(value)) n = 1;
  return Number.isNaN(n) ? undefined : n;
}

/** A value as k6 quotes it in a warning: at most 100 characters, the middle left out. */
function quoted(value: unknown): string {
  let text: string;
  try {
    text = String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  const chars = [...text];
  if (chars.length < 100) return text;
  return `${chars.slice(0, 50).join('')}... omitting ${chars.length - 100} characters ...${chars.slice(-50).join('')}`;
}

/**
 * The object `new Trend(name)` & co. give. One class for every VU's metrics of a type: a class made
 * per VU gave each VU's metrics a map (and a private name) of their own, so a script's `t.add()` and
 * the `#name` reads inside it were megamorphic in a worker's shared code.
 */
class CustomMetric {
  readonly #host: VuHost;
  readonly #name: string;

  constructor(host: VuHost, type: MetricType, name: unknown, isTime: unknown) {
    // k6 (metrics.go newMetric) returns Go errors: the script sees GoErrors.
    if (host.state.phase !== 'init') throw goError('metrics must be declared in the init context');
    // A Go string argument: a missing, undefined or null name is "".
    if (typeof name !== 'string' || !NAME.test(name)) throw goError(invalidMetricName(name === undefined || name === null ? '' : String(name)));
    try {
      // Any metric type may hold times (k6 accepts `new Counter(name, true)`); isTime is read as a boolean.
      host.metrics.define(name, type, isTime ? 'time' : 'default');
    } catch (e) {
      throw goError((e as Error).message);
    }
    this.#host = host;
    this.#name = name;
    // As k6 defines it (metrics.go: DefineDataProperty("name", …, FLAG_FALSE, FLAG_FALSE, FLAG_TRUE)):
    // read-only, not configurable, enumerable; so `m.name = …` in strict code throws "Cannot assign
    // to read only property 'name'" and JSON.stringify(m) gives {"name":…}.
    Object.defineProperty(this, 'name', { value: name, writable: false, enumerable: true, configurable: false });
    // k6's `add` is an own property holding a Go method value, so it works detached
    // (`const add = trend.add; add(1)`, `values.forEach((v) => record(v))` with `record = c.add`) and
    // Object.keys gives ['name', 'add']: the shared method bound to this metric.
    this.add = CustomMetric.prototype.add.bind(this);
  }

  declare readonly name: string;

  add(...args: unknown[]): boolean {
    const host = this.#host;
    if (host.state.phase === 'init') throw goError('Adding to metrics in the init context is not supported');
    const [value, tags] = args;
    const v = args.length === 0 ? undefined : numericValue(value);
    if (v === undefined) {
      const msg = args.length === 0
        ? `no value was provided for metric '${this.#name}', a number or a boolean value is expected`
        : `'${quoted(value)}' is an invalid value for metric '${this.#name}', a number or a boolean value is expected`;
      if (host.options.throw === true) throw goError(msg);
      host.log.warn(msg);
      return false;
    }
    let sampleTags;
    try {
      sampleTags = applyUserTags(host.state.tags, tags);
    } catch (e) {
      throw goError(`cannot add tags for the '${this.#name}' custom metric: ${(e as Error).message}`);
    }
    host.samples.add(this.#name, sampleTags, v);
    return true;
  }
}

class Counter extends CustomMetric {}
class Gauge extends CustomMetric {}
class Rate extends CustomMetric {}
class Trend extends CustomMetric {}
const SHARED: Readonly<Record<MetricType, new (host: VuHost, type: MetricType, name: unknown, isTime: unknown) => CustomMetric>> = {
  counter: Counter,
  gauge: Gauge,
  rate: Rate,
  trend: Trend,
};

/**
 * The constructor a VU's script sees: `new Trend(name, isTime)` builds the shared class's instance for
 * this VU, and `x instanceof Trend` holds (the prototype is the shared one). As in k6 (a sobek
 * constructor function), `Trend(name)` without `new` works too.
 */
function vuConstructor(host: VuHost, type: MetricType, label: string): (name: unknown, isTime?: unknown) => CustomMetric {
  const Shared = SHARED[type];
  const ctor = function (this: unknown, name: unknown, isTime?: unknown): CustomMetric {
    return new Shared(host, type, name, isTime);
  };
  Object.defineProperty(ctor, 'name', { value: label });
  ctor.prototype = Shared.prototype;
  return ctor;
}

export function createMetricsModule(host: VuHost): Record<string, unknown> {
  const mod = {
    Counter: vuConstructor(host, 'counter', 'Counter'),
    Gauge: vuConstructor(host, 'gauge', 'Gauge'),
    Rate: vuConstructor(host, 'rate', 'Rate'),
    Trend: vuConstructor(host, 'trend', 'Trend'),
  };
  // Written out rather than spread: a spread gave each VU's namespace a map of its own.
  return { Counter: mod.Counter, Gauge: mod.Gauge, Rate: mod.Rate, Trend: mod.Trend, default: mod };
}
