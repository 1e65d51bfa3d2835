// Test support: builds a metrics push body byte for byte as k6's cloud output does (protobuf
// `metrics.MetricSet` of internal/output/cloud/expv2/pbcloud/metric.proto, then one snappy block), so
// the decoder and the push endpoint are tested against k6's wire format rather than our own reading
// of it. Trend samples are bucketed with k6's histogram (internal/ds/histogram/hdr.go) and spans
// built as k6's histogramAsProto does.

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
    this.parts.push(...bytes);
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
  const indexes = [...buckets.keys()].sort((a, b) => a - b);
  const spans: { offset: number; length: number }[] = [];
  indexes.forEach((index, i) => {
    const prev = indexes[i - 1];
    if (prev === undefined) spans.push({ offset: index, length: 1 });
    else if (index - prev - 1 > 0) spans.push({ offset: index - prev - 1, length: 1 });
    else (spans[spans.length - 1] as { length: number }).length++;
  });
  w.message(1, (t) => t.uint(1, time / 1000));
  if (indexes.length > 0) {
    const packed = new Writer();
    for (const index of indexes) packed.varint(buckets.get(index) as number);
    w.bytes(2, packed.done());
  }
  for (const span of spans) w.message(3, (s) => s.uint(1, span.offset).uint(2, span.length));
  w.double(5, values.reduce((a, b) => a + b, 0));
  w.uint(6, values.length);
  w.double(7, Math.min(...values));
  w.double(8, Math.max(...values));
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
