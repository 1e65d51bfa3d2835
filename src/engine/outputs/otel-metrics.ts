// What k6's OpenTelemetry output records through the OTel SDK, aggregated as the SDK's defaults do
// (cumulative temporality): counters → a monotonic Float64 sum, gauges → the last value, trends → an
// explicit-bucket histogram (the SDK's default bounds, with min and max), rates → an Int64 counter
// `<name>.total` with an extra `condition` attribute (`zero`/`nonzero`). Attributes are the
// sample's tags with a value (metadata is not one). Units: `ms` for time metrics, `By` for data.
import type { PointSample } from './sample-output.ts';

/** The OTel Go SDK's default explicit bucket boundaries. */
export const DEFAULT_BOUNDS: readonly number[] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

export type OtelAttributes = readonly (readonly [string, string])[];

export type OtelPoint =
  | { readonly kind: 'sum'; readonly attributes: OtelAttributes; readonly value: number; readonly int: boolean }
  | { readonly kind: 'gauge'; readonly attributes: OtelAttributes; readonly value: number }
  | { readonly kind: 'histogram'; readonly attributes: OtelAttributes; readonly count: number; readonly sum: number; readonly min: number; readonly max: number; readonly buckets: readonly number[] };

export interface OtelMetric {
  readonly name: string;
  readonly unit: string;
  readonly kind: 'sum' | 'gauge' | 'histogram';
  /** Epoch ms the instrument was created (cumulative points start there). */
  readonly start: number;
  readonly points: readonly OtelPoint[];
}

interface Instrument {
  readonly name: string;
  readonly unit: string;
  readonly kind: 'sum' | 'gauge' | 'histogram';
  readonly int: boolean;
  readonly start: number;
  readonly series: Map<string, { attributes: OtelAttributes; value: number; count: number; sum: number; min: number; max: number; buckets: number[] }>;
}

function unitOf(contains: string): string {
  return contains === 'time' ? 'ms' : contains === 'data' ? 'By' : '';
}

export class OtelAggregation {
  readonly #prefix: string;
  readonly #instruments = new Map<string, Instrument>();

  constructor(metricPrefix: string) {
    this.#prefix = metricPrefix;
  }

  /** k6's dispatch, for each sample. */
  record(samples: readonly PointSample[], now: number): void {
    for (const s of samples) {
      const name = this.#prefix + s.metric;
      const tags = Object.entries(s.tags).filter(([k, v]) => k !== '' && v !== '');
      switch (s.type) {
        case 'counter':
          this.#point(this.#instrument(name, unitOf(s.contains), 'sum', false, now), tags).value += s.value;
          break;
        case 'gauge':
          this.#point(this.#instrument(name, unitOf(s.contains), 'gauge', false, now), tags).value = s.value;
          break;
        case 'rate': {
          const withCondition: [string, string][] = [...tags, ['condition', s.value !== 0 ? 'nonzero' : 'zero']];
          this.#point(this.#instrument(`${name}.total`, '', 'sum', true, now), withCondition).value += 1;
          break;
        }
        default: {
          const p = this.#point(this.#instrument(name, unitOf(s.contains), 'histogram', false, now), tags);
          p.count++;
          p.sum += s.value;
          if (s.value < p.min) p.min = s.value;
          if (s.value > p.max) p.max = s.value;
          // Upper bounds are inclusive: the first bound not below the value.
          let i = 0;
          while (i < DEFAULT_BOUNDS.length && (DEFAULT_BOUNDS[i] as number) < s.value) i++;
          p.buckets[i] = (p.buckets[i] ?? 0) + 1;
        }
      }
    }
  }

  /** Every instrument with its cumulative points so far (the periodic reader's collect). */
  collect(): OtelMetric[] {
    return [...this.#instruments.values()].filter((i) => i.series.size > 0).map((i) => ({
      name: i.name,
      unit: i.unit,
      kind: i.kind,
      start: i.start,
      points: [...i.series.values()].map((p): OtelPoint => {
        if (i.kind === 'histogram') return { kind: 'histogram', attributes: p.attributes, count: p.count, sum: p.sum, min: p.min, max: p.max, buckets: [...p.buckets] };
        if (i.kind === 'gauge') return { kind: 'gauge', attributes: p.attributes, value: p.value };
        return { kind: 'sum', attributes: p.attributes, value: p.value, int: i.int };
      }),
    }));
  }

  #instrument(name: string, unit: string, kind: Instrument['kind'], int: boolean, now: number): Instrument {
    let inst = this.#instruments.get(name);
    if (inst === undefined) {
      inst = { name, unit, kind, int, start: now, series: new Map() };
      this.#instruments.set(name, inst);
    }
    return inst;
  }

  #point(inst: Instrument, tags: [string, string][]): { attributes: OtelAttributes; value: number; count: number; sum: number; min: number; max: number; buckets: number[] } {
    // attribute.NewSet: sorted by key, the last value of a key kept.
    const attributes = [...new Map(tags)].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const key = JSON.stringify(attributes);
    let p = inst.series.get(key);
    if (p === undefined) {
      p = { attributes, value: 0, count: 0, sum: 0, min: Infinity, max: -Infinity, buckets: new Array<number>(DEFAULT_BOUNDS.length + 1).fill(0) };
      inst.series.set(key, p);
    }
    return p;
  }
}
