// OTLP's ExportMetricsServiceRequest (opentelemetry/proto/collector/metrics/v1), written with
// protobufjs' Writer as Go's proto.Marshal writes it (zero scalars left out). Field numbers:
// request.resource_metrics 1; ResourceMetrics resource 1, scope_metrics 2; Resource attributes 1;
// ScopeMetrics scope 1, metrics 2; InstrumentationScope name 1; Metric name 1, unit 3, gauge 5,
// sum 7, histogram 9; Sum/Gauge/Histogram data_points 1, aggregation_temporality 2 (2 = cumulative),
// Sum is_monotonic 3; NumberDataPoint start 2, time 3 (fixed64 ns), as_double 4, as_int 6 (sfixed64),
// attributes 7; HistogramDataPoint start 2, time 3, count 4, sum 5, bucket_counts 6 and
// explicit_bounds 7 (packed), attributes 9, min 11, max 12; KeyValue key 1, value 2; AnyValue
// string_value 1.
import type * as Protobuf from 'protobufjs';
import { protobufMinimal } from './prometheus-rw-wire.ts';
import { DEFAULT_BOUNDS, type OtelAttributes, type OtelMetric } from './otel-metrics.ts';

type Writer = Protobuf.Writer;

const LEN = 2;
const I64 = 1;
const VARINT = 0;
const key = (field: number, wire: number): number => (field << 3) | wire;

/** Epoch ms as fixed64 nanoseconds ({low, high}, exact for ms times). */
function nanos(ms: number): { low: number; high: number; unsigned: boolean } {
  const ns = BigInt(Math.round(ms * 1000)) * 1000n;
  return { low: Number(ns & 0xffffffffn) | 0, high: Number(ns >> 32n) | 0, unsigned: true };
}

function attributes(w: Writer, field: number, attrs: OtelAttributes): void {
  for (const [k, v] of attrs) {
    w.uint32(key(field, LEN)).fork();
    if (k !== '') w.uint32(key(1, LEN)).string(k);
    w.uint32(key(2, LEN)).fork();
    if (v !== '') w.uint32(key(1, LEN)).string(v);
    w.ldelim();
    w.ldelim();
  }
}

function metric(w: Writer, m: OtelMetric, now: number): void {
  w.uint32(key(1, LEN)).string(m.name);
  if (m.unit !== '') w.uint32(key(3, LEN)).string(m.unit);
  const field = m.kind === 'gauge' ? 5 : m.kind === 'sum' ? 7 : 9;
  w.uint32(key(field, LEN)).fork();
  for (const p of m.points) {
    w.uint32(key(1, LEN)).fork();
    if (p.kind === 'histogram') {
      w.uint32(key(2, I64)).fixed64(nanos(m.start) as unknown as number);
      w.uint32(key(3, I64)).fixed64(nanos(now) as unknown as number);
      if (p.count !== 0) w.uint32(key(4, I64)).fixed64(p.count);
      w.uint32(key(5, I64)).double(p.sum);
      w.uint32(key(6, LEN)).fork();
      for (const c of p.buckets) w.fixed64(c);
      w.ldelim();
      w.uint32(key(7, LEN)).fork();
      for (const b of DEFAULT_BOUNDS) w.double(b);
      w.ldelim();
      attributes(w, 9, p.attributes);
      w.uint32(key(11, I64)).double(p.min);
      w.uint32(key(12, I64)).double(p.max);
    } else {
      // Number points (sums and gauges) carry the instrument's start and the collection time.
      w.uint32(key(2, I64)).fixed64(nanos(m.start) as unknown as number);
      w.uint32(key(3, I64)).fixed64(nanos(now) as unknown as number);
      if (p.kind === 'sum' && p.int) w.uint32(key(6, I64)).sfixed64(p.value);
      else w.uint32(key(4, I64)).double(p.value);
      attributes(w, 7, p.attributes);
    }
    w.ldelim();
  }
  if (m.kind !== 'gauge') w.uint32(key(2, VARINT)).uint32(2);
  if (m.kind === 'sum') w.uint32(key(3, VARINT)).bool(true);
  w.ldelim();
}

/** The request body for one export: one resource, one scope `k6`, the collected metrics. */
export function encodeExportRequest(resource: OtelAttributes, metrics: readonly OtelMetric[], now: number): Uint8Array {
  const w = protobufMinimal().Writer.create();
  w.uint32(key(1, LEN)).fork();
  w.uint32(key(1, LEN)).fork();
  attributes(w, 1, resource);
  w.ldelim();
  w.uint32(key(2, LEN)).fork();
  w.uint32(key(1, LEN)).fork().uint32(key(1, LEN)).string('k6').ldelim();
  for (const m of metrics) {
    w.uint32(key(2, LEN)).fork();
    metric(w, m, now);
    w.ldelim();
  }
  w.ldelim();
  w.ldelim();
  return w.finish();
}
