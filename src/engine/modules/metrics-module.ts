// k6/metrics: Counter, Gauge, Rate and Trend. Declared in init (the registry is shared by the worker's
// VUs, so the same name and type returns the same metric), added to only while a VU runs.
import type { MetricType, VuHost } from '../vu/vu-host.ts';

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]{1,128}$/;

function tagsOf(extra: unknown, host: VuHost): Readonly<Record<string, string>> {
  if (extra === undefined || extra === null) return host.state.tags;
  if (typeof extra !== 'object') throw new TypeError('metric tags must be an object');
  const out: Record<string, string> = { ...host.state.tags };
  for (const [k, v] of Object.entries(extra as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw new TypeError(`metric tag ${k} must be a string, number or boolean`);
  }
  return out;
}

function numericValue(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

export function createMetricsModule(host: VuHost): Record<string, unknown> {
  function makeClass(type: MetricType) {
    return class {
      readonly #name: string;
      constructor(name: unknown, isTime?: unknown) {
        if (host.state.phase !== 'init') throw new Error('metrics must be declared in the init context');
        if (typeof name !== 'string' || !NAME.test(name)) {
          throw new Error(`invalid metric name ${JSON.stringify(name)}: it must match ${NAME.source}`);
        }
        host.metrics.define(name, type, isTime === true && type === 'trend' ? 'time' : 'default');
        this.#name = name;
      }
      get name(): string {
        return this.#name;
      }
      add(value: unknown, tags?: unknown): boolean {
        if (host.state.phase === 'init') throw new Error('metrics can only be added to while a VU runs, not in the init context');
        const v = numericValue(value);
        if (v === undefined) {
          const msg = `${this.#name}: cannot add ${value === undefined ? 'undefined' : JSON.stringify(value)}, a number or boolean is required`;
          if (host.options.throw === true) throw new Error(msg);
          host.log.warn(msg);
          return false;
        }
        host.samples.add(this.#name, tagsOf(tags, host), v);
        return true;
      }
    };
  }
  const mod = {
    Counter: makeClass('counter'),
    Gauge: makeClass('gauge'),
    Rate: makeClass('rate'),
    Trend: makeClass('trend'),
  };
  return { ...mod, default: mod };
}
