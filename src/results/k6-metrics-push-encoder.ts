// Builds a metrics push body byte for byte as k6's cloud output does (protobuf `metrics.MetricSet` of
// internal/output/cloud/expv2/pbcloud/metric.proto, then one snappy block). Two callers: tests, which
// give raw samples (encodeK6MetricsPush) so the decoder and the push endpoint are tested against k6's
// wire format rather than our own reading of it; and `stampede cloud run --local-execution`, which
// sends the engine's per-second batches (encodeBatchesPush). Trend samples are bucketed with k6's
// histogram (internal/ds/histogram/hdr.go) and spans built as k6's histogramAsProto does.
import hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { TREND_SCALE, type MetricsBatch, type TrendAggregate } from '../engine/index.ts';

export type K6MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** One aggregation period of one series, as k6's output aggregates it. */
export type K6Sample =
  | { time: number; counter: number }
  | { time: number; gauge: number[] }
  | { time: number; rate: boolean[] }
  | { time: number; trend: number[] };

export interface K6Series {
  labels: Record<string, string>;
  samples: K6Sample[];
}

export interface K6Metric {
  name: string;
  type: K6MetricType;
  series: K6Series[];
}

const TYPE_NUMBER: Record<K6MetricType, number> = { counter: 1, gauge: 2, rate: 3, trend: 4 };
const SAMPLES_FIELD: Record<K6MetricType, number> = { counter: 2, gauge: 3, rate: 4, trend: 5 };
const RESOLUTION = 0.001;

class Writer {
  private readonly parts: number[] = [];
  varint(n: number): this {
    let v = n;
    while (v >= 128) {
      this.parts.push((v % 128) | 128);
      v = Math.floor(v / 128);
    }
    this.parts.push(v);
    return this;
  }
  key(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  uint(field: number, n: number): this {
    return n === 0 ? this : this.key(field, 0).varint(n);
  }
  double(field: number, d: number): this {
    if (d === 0) return this;
    const b = Buffer.alloc(8);
    b.writeDoubleLE(d);
    this.key(field, 1);
    this.parts.push(...b);
    return this;
  }
  bytes(field: number, bytes: Uint8Array): this {
    this.key(field, 2).varint(bytes.length);
    // no spread: a big message would exceed the call's argument limit
    for (const b of bytes) this.parts.push(b);
    return this;
  }
  string(field: number, s: string): this {
    return s === '' ? this : this.bytes(field, Buffer.from(s, 'utf8'));
  }
  message(field: number, build: (w: Writer) => void): this {
    const w = new Writer();
    build(w);
    return this.bytes(field, w.done());
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** k6's bucket index of a value already divided by the resolution (resolveBucketIndex). */
function k6BucketIndex(v: number): number {
  const upscaled = Math.ceil(v);
  if (upscaled < 256) return upscaled;
  const nk = Math.floor(Math.log2(Math.floor(upscaled / 128)));
  return nk * 128 + Math.floor(upscaled / 2 ** nk);
}

function writeTrend(w: Writer, time: number, values: number[]): void {
  const buckets = new Map<number, number>();
  let extraLow = 0;
  for (const v of values) {
    const scaled = v / RESOLUTION;
    if (scaled < 0) extraLow++;
    else buckets.set(k6BucketIndex(scaled), (buckets.get(k6BucketIndex(scaled)) ?? 0) + 1);
  }
  const sum = values.reduce((a, b) => a + b, 0);
  writeBuckets(w, time, buckets, extraLow, { count: values.length, sum, min: Math.min(...values), max: Math.max(...values) });
}

/** A trend sample from its bucket counts (k6's histogramAsProto) and its exact count, sum, min and max. */
function writeBuckets(w: Writer, time: number, buckets: Map<number, number>, extraLow: number, t: { count: number; sum: number; min: number; max: number }): void {
  const indexes = [...buckets.keys()].sort((a, b) => a - b);
  const spans: { offset: number; length: number }[] = [];
  indexes.forEach((index, i) => {
    const prev = indexes[i - 1];
    if (prev === undefined) spans.push({ offset: index, length: 1 });
    else if (index - prev - 1 > 0) spans.push({ offset: index - prev - 1, length: 1 });
    else (spans[spans.length - 1] as { length: number }).length++;
  });
  w.message(1, (t) => t.uint(1, Math.floor(time / 1000)));
  if (indexes.length > 0) {
    const packed = new Writer();
    for (const index of indexes) packed.varint(buckets.get(index) as number);
    w.bytes(2, packed.done());
  }
  for (const span of spans) w.message(3, (s) => s.uint(1, span.offset).uint(2, span.length));
  w.double(5, t.sum);
  w.uint(6, t.count);
  w.double(7, t.min);
  w.double(8, t.max);
  if (extraLow > 0) w.key(9, 0).varint(extraLow);
  w.double(11, RESOLUTION);
}

function writeSample(w: Writer, sample: K6Sample): void {
  const time = (t: Writer) => t.uint(1, sample.time / 1000);
  if ('counter' in sample) w.message(1, time).double(2, sample.counter);
  else if ('gauge' in sample) {
    const g = sample.gauge;
    w.message(1, time).double(2, g[g.length - 1] ?? 0).uint(3, g.length).double(4, Math.min(...g)).double(5, Math.max(...g)).double(6, g.reduce((a, b) => a + b, 0) / g.length);
  } else if ('rate' in sample) w.message(1, time).uint(2, sample.rate.filter(Boolean).length).uint(3, sample.rate.length);
  else writeTrend(w, sample.time, sample.trend);
}

/** The protobuf MetricSet (uncompressed). Sample times are epoch ms of whole seconds. */
export function encodeK6MetricSet(testRunId: string, aggregationPeriodS: number, metrics: readonly K6Metric[]): Uint8Array {
  const w = new Writer().string(1, testRunId).uint(2, aggregationPeriodS);
  for (const metric of metrics) {
    w.message(3, (m) => {
      m.string(1, metric.name).uint(2, TYPE_NUMBER[metric.type]);
      for (const series of metric.series) {
        m.message(3, (ts) => {
          for (const [name, value] of Object.entries(series.labels)) ts.message(1, (l) => l.string(1, name).string(2, value));
          ts.message(SAMPLES_FIELD[metric.type], (samples) => {
            for (const sample of series.samples) samples.message(1, (v) => writeSample(v, sample));
          });
        });
      }
    });
  }
  return w.done();
}

/**
 * One snappy block of `data`: literals, and a copy wherever the next 4+ bytes repeat the 4 bytes
 * before them at a short distance (enough to exercise the decoder's copy path on real payloads).
 */
export function encodeSnappyBlock(data: Uint8Array): Uint8Array {
  const out = new Writer().varint(data.length);
  const bytes: number[] = [...out.done()];
  let literalStart = 0;
  const flushLiteral = (end: number) => {
    for (let s = literalStart; s < end; s += 60) {
      const len = Math.min(60, end - s);
      bytes.push((len - 1) << 2, ...data.subarray(s, s + len));
    }
  };
  let i = 0;
  while (i < data.length) {
    const offset = 4;
    let len = 0;
    if (i >= offset) while (len < 64 && i + len < data.length && data[i + len] === data[i + len - offset]) len++;
    if (len >= 4) {
      flushLiteral(i);
      bytes.push(((len - 1) << 2) | 2, offset & 0xff, offset >> 8);
      i += len;
      literalStart = i;
    } else i++;
  }
  flushLiteral(data.length);
  return Uint8Array.from(bytes);
}

/** A push body exactly as k6 sends it (send with `Content-Encoding: snappy`). */
export function encodeK6MetricsPush(testRunId: string, aggregationPeriodS: number, metrics: readonly K6Metric[]): Uint8Array {
  return encodeSnappyBlock(encodeK6MetricSet(testRunId, aggregationPeriodS, metrics));
}

/** The engine's trend aggregate as k6 buckets: its samples when it carries them, else one value per HdrHistogram bucket. */
function trendBuckets(t: TrendAggregate): { buckets: Map<number, number>; extraLow: number } {
  const buckets = new Map<number, number>();
  let extraLow = 0;
  const add = (v: number, n: number): void => {
    const scaled = v / RESOLUTION;
    if (scaled < 0) extraLow += n;
    else buckets.set(k6BucketIndex(scaled), (buckets.get(k6BucketIndex(scaled)) ?? 0) + n);
  };
  if (t.values !== undefined) {
    for (const v of t.values) add(v, 1);
    return { buckets, extraLow };
  }
  const fromHdr = (base64: string | undefined, sign: number): void => {
    if (base64 === undefined) return;
    const h = hdr.decodeFromCompressedBase64(base64, 32) as JsHistogram;
    const n = h.countsArrayIndex(h.maxValue) + 1;
    for (let i = 0; i < n; i++) {
      const c = h.getCountAtIndex(i);
      if (c <= 0) continue;
      // the bucket's middle, within the aggregate's exact range
      const v = Math.min(Math.max((sign * h.medianEquivalentValue(h.valueFromIndex(i))) / TREND_SCALE, t.min), t.max);
      add(v, c);
    }
  };
  fromHdr(t.hdr, 1);
  fromHdr(t.hdrNeg, -1);
  return { buckets, extraLow };
}

/** k6's reserved label names (expv2 isReservedLabelName): Prometheus' `__` prefix and `test_run_id`. */
export function isReservedLabel(name: string): boolean {
  return name.startsWith('__') || name === 'test_run_id';
}

/**
 * The MetricSets (protobuf, uncompressed) k6's cloud output v2 would send for the engine's per-second
 * batches: one time series per metric and tag set, one sample per second it had samples in, at most
 * `maxSeries` series in one set (k6's maxTimeSeriesInBatch). `discarded` gets the reserved tag names
 * that were left out.
 */
export function encodeBatchesAsMetricSets(
  testRunId: string, aggregationPeriodS: number, batches: readonly MetricsBatch[], maxSeries: number, discarded: Set<string>,
): Uint8Array[] {
  interface Series { labels: Array<[string, string]>; samples: Array<(w: Writer) => void> }
  interface Metric { type: K6MetricType; series: Map<string, Series> }
  const sets: Uint8Array[] = [];
  let metrics = new Map<string, Metric>();
  let seriesCount = 0;
  const emit = (): void => {
    if (seriesCount === 0) return;
    const w = new Writer().string(1, testRunId).uint(2, aggregationPeriodS);
    for (const [name, metric] of metrics) {
      w.message(3, (m) => {
        m.string(1, name).uint(2, TYPE_NUMBER[metric.type]);
        for (const series of metric.series.values()) {
          m.message(3, (ts) => {
            for (const [k, v] of series.labels) ts.message(1, (l) => l.string(1, k).string(2, v));
            ts.message(SAMPLES_FIELD[metric.type], (samples) => {
              for (const sample of series.samples) samples.message(1, sample);
            });
          });
        }
      });
    }
    sets.push(w.done());
    metrics = new Map();
    seriesCount = 0;
  };
  for (const batch of batches) {
    const types = new Map(batch.metrics.map((d) => [d.name, d.type]));
    const time = batch.time;
    const stamp = (t: Writer): void => void t.uint(1, Math.floor(time / 1000));
    for (const agg of batch.series) {
      const type = types.get(agg.metric);
      if (type === undefined) continue;
      let metric = metrics.get(agg.metric);
      if (metric === undefined) {
        metric = { type, series: new Map() };
        metrics.set(agg.metric, metric);
      }
      const labels = Object.entries(agg.tags).filter(([k]) => {
        if (!isReservedLabel(k)) return true;
        discarded.add(k);
        return false;
      }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const key = JSON.stringify(labels);
      let series = metric.series.get(key);
      if (series === undefined) {
        series = { labels, samples: [] };
        metric.series.set(key, series);
        seriesCount++;
      }
      if (agg.counter !== undefined) {
        const sum = agg.counter.sum;
        series.samples.push((v) => v.message(1, stamp).double(2, sum));
      } else if (agg.gauge !== undefined) {
        // the engine keeps no count nor average of a second's gauge values: one value, the last
        const g = agg.gauge;
        series.samples.push((v) => v.message(1, stamp).double(2, g.last).uint(3, 1).double(4, g.min).double(5, g.max).double(6, g.last));
      } else if (agg.rate !== undefined) {
        const r = agg.rate;
        series.samples.push((v) => v.message(1, stamp).uint(2, r.nonzero).uint(3, r.total));
      } else if (agg.trend !== undefined) {
        const t = agg.trend;
        series.samples.push((v) => {
          const { buckets, extraLow } = trendBuckets(t);
          writeBuckets(v, time, buckets, extraLow, t);
        });
      }
      if (seriesCount >= maxSeries) emit();
    }
  }
  emit();
  return sets;
}
