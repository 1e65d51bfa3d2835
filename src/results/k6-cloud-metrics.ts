// k6's cloud output metrics push (output/cloud/expv2): a protobuf `metrics.MetricSet`
// (internal/output/cloud/expv2/pbcloud/metric.proto) compressed as one snappy block, POSTed with
// `Content-Type: application/x-protobuf`, `Content-Encoding: snappy` and
// `K6-Metrics-Protocol-Version: 2.0`. k6 aggregates each time series per aggregation period and sends
// counters (sum), gauges (last/min/max/avg/count), rates (non-zero and total counts) and trends as
// sparse histograms (k6's own log-linear buckets, values divided by `min_resolution`).
//
// Decoded here into the per-second batches Stampede's runners produce, so a run executed by k6 on a
// user's machine is stored, queried, summarised and judged like any other. Trend buckets become the
// engine's HdrHistogram encoding through one representative value per bucket (its midpoint, kept
// within the series' exact min and max); count, sum, min and max stay exact.
import hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { decodeSnappyBlock, SnappyError, StampedeError } from '../core/index.ts';
import { BUILTIN_METRICS, toRecorded } from '../engine/index.ts';
import type { StoredMetricDef, StoredMetricsBatch, StoredSeriesAggregate } from '../store/index.ts';
import { asBytes, asDouble, asString, asUint, ProtobufError, pushUints, readFields } from './protobuf-reader.ts';
import type { WireValue } from './protobuf-reader.ts';

export interface K6MetricsPush {
  /** `test_run_id` as k6 sent it (the run id, in decimal). */
  testRunId: string;
  aggregationPeriodS: number;
  /** One batch per distinct sample time, in time order. */
  batches: StoredMetricsBatch[];
}

const TYPES = ['', 'counter', 'gauge', 'rate', 'trend'] as const;
const BUILTIN = new Map(BUILTIN_METRICS.map((d) => [d.name, d.contains]));
/** Time trends of k6 modules Stampede's engine has no built-in definition for. */
const OTHER_TIME_TRENDS = new Set(['ws_connecting', 'ws_ping', 'ws_session_duration', 'grpc_req_duration', 'browser_http_req_duration']);

function containsOf(name: string, type: StoredMetricDef['type']): StoredMetricDef['contains'] {
  const builtin = BUILTIN.get(name);
  if (builtin !== undefined) return builtin;
  if (type === 'trend' && (OTHER_TIME_TRENDS.has(name) || (name.startsWith('browser_web_vital_') && name !== 'browser_web_vital_cls'))) return 'time';
  return 'default';
}

function bad(message: string): StampedeError {
  return new StampedeError('STAMPEDE_ERR_VALIDATION', `Malformed metrics push: ${message}`, { target: 'body' });
}

/** google.protobuf.Timestamp → epoch ms of its whole second (k6 sends whole seconds). */
function readTime(bytes: Uint8Array): number {
  let seconds = 0;
  readFields(bytes, (f, v) => {
    if (f === 1) seconds = asUint(v);
  });
  if (!Number.isSafeInteger(seconds) || seconds > 32503680000) throw bad('a sample time is out of range');
  return seconds * 1000;
}

interface Sample {
  time: number;
  aggregate: Omit<StoredSeriesAggregate, 'metric' | 'tags'>;
}

function readValues(bytes: Uint8Array, parse: (value: Uint8Array) => Sample, into: Sample[]): void {
  readFields(bytes, (f, v) => {
    if (f === 1) into.push(parse(asBytes(v)));
  });
}

function counterValue(bytes: Uint8Array): Sample {
  let time = NaN;
  let sum = 0;
  readFields(bytes, (f, v) => {
    if (f === 1) time = readTime(asBytes(v));
    else if (f === 2) sum = asDouble(v);
  });
  return checked({ time, aggregate: { counter: { sum } } });
}

function gaugeValue(bytes: Uint8Array): Sample {
  let time = NaN;
  const g = { last: 0, min: 0, max: 0 };
  readFields(bytes, (f, v) => {
    if (f === 1) time = readTime(asBytes(v));
    else if (f === 2) g.last = asDouble(v);
    else if (f === 4) g.min = asDouble(v);
    else if (f === 5) g.max = asDouble(v);
  });
  return checked({ time, aggregate: { gauge: g } });
}

function rateValue(bytes: Uint8Array): Sample {
  let time = NaN;
  const r = { nonzero: 0, total: 0 };
  readFields(bytes, (f, v) => {
    if (f === 1) time = readTime(asBytes(v));
    else if (f === 2) r.nonzero = asUint(v);
    else if (f === 3) r.total = asUint(v);
  });
  if (r.nonzero > r.total) throw bad('a rate has more non-zero samples than samples');
  return checked({ time, aggregate: { rate: r } });
}

/** The value range a k6 histogram bucket covers, in multiples of the resolution (internal/ds/histogram). */
function bucketMidpoint(index: number): number {
  if (index < 256) return index === 0 ? 0 : index - 0.5;
  const shift = Math.floor(index / 128) - 1;
  const m = index - shift * 128;
  const lo = m * 2 ** shift - 1;
  const hi = (m + 1) * 2 ** shift - 1;
  return (lo + hi) / 2;
}

const histogram: { pos: JsHistogram | null; neg: JsHistogram | null } = { pos: null, neg: null };

function freshHistogram(which: 'pos' | 'neg'): JsHistogram {
  let h = histogram[which];
  if (h === null) {
    h = new hdr.Int32Histogram(1, 2, 3) as JsHistogram;
    h.autoResize = true;
    histogram[which] = h;
  }
  h.reset();
  return h;
}

function trendValue(bytes: Uint8Array): Sample {
  let time = NaN;
  const counters: number[] = [];
  const spans: { offset: number; length: number }[] = [];
  let sum = 0;
  let count = 0;
  let min = 0;
  let max = 0;
  let extraLow = 0;
  let extraHigh = 0;
  let resolution = 1;
  readFields(bytes, (f, v: WireValue) => {
    switch (f) {
      case 1: time = readTime(asBytes(v)); break;
      case 2: pushUints(v, counters); break;
      case 3: {
        const span = { offset: 0, length: 0 };
        readFields(asBytes(v), (sf, sv) => {
          if (sf === 1) span.offset = asUint(sv);
          else if (sf === 2) span.length = asUint(sv);
        });
        spans.push(span);
        break;
      }
      case 5: sum = asDouble(v); break;
      case 6: count = asUint(v); break;
      case 7: min = asDouble(v); break;
      case 8: max = asDouble(v); break;
      case 9: extraLow = asUint(v); break;
      case 10: extraHigh = asUint(v); break;
      case 11: resolution = asDouble(v); break;
      default: break;
    }
  });
  if (!(resolution > 0) || !Number.isFinite(resolution)) resolution = 1;
  const pos = freshHistogram('pos');
  const neg = freshHistogram('neg');
  let seen = 0;
  let next = 0;
  let c = 0;
  spans.forEach((span, j) => {
    const start = j === 0 ? span.offset : next + span.offset;
    for (let k = 0; k < span.length; k++) {
      const n = counters[c++];
      if (n === undefined) throw bad('a trend has fewer counters than its spans announce');
      if (n === 0) continue;
      const value = Math.min(Math.max(bucketMidpoint(start + k) * resolution, min), max);
      (value < 0 ? neg : pos).recordValueWithCount(toRecorded(value), n);
      seen += n;
    }
    next = start + span.length;
  });
  if (c !== counters.length) throw bad('a trend has more counters than its spans announce');
  // Values below zero (k6's extra-low bucket) and beyond its range (extra-high) are kept at the
  // series' exact minimum and maximum.
  if (extraLow > 0) (min < 0 ? neg : pos).recordValueWithCount(toRecorded(min), extraLow);
  if (extraHigh > 0) pos.recordValueWithCount(toRecorded(max), extraHigh);
  seen += extraLow + extraHigh;
  if (seen !== count) throw bad(`a trend counts ${count} samples but its buckets hold ${seen}`);
  // As the engine's wire form: `hdr` only when there are values ≥ 0, `hdrNeg` only for negative ones.
  const trend: { count: number; sum: number; min: number; max: number; hdr?: string; hdrNeg?: string } = { count, sum, min, max };
  if (pos.totalCount > 0) trend.hdr = hdr.encodeIntoCompressedBase64(pos);
  if (neg.totalCount > 0) trend.hdrNeg = hdr.encodeIntoCompressedBase64(neg);
  return checked({ time, aggregate: { trend: trend as NonNullable<StoredSeriesAggregate['trend']> } });
}

function checked(sample: Sample): Sample {
  if (!Number.isFinite(sample.time)) throw bad('a sample has no time');
  return sample;
}

const PARSERS = [counterValue, gaugeValue, rateValue, trendValue] as const;

function readTimeSeries(bytes: Uint8Array, type: number): { tags: Record<string, string>; samples: Sample[] } {
  const tags: Record<string, string> = {};
  const samples: Sample[] = [];
  readFields(bytes, (f, v) => {
    if (f === 1) {
      let name = '';
      let value = '';
      readFields(asBytes(v), (lf, lv) => {
        if (lf === 1) name = asString(lv);
        else if (lf === 2) value = asString(lv);
      });
      if (name !== '') tags[name] = value;
    } else if (f >= 2 && f <= 5) {
      if (f - 1 !== type) throw bad(`a ${TYPES[type]} series carries ${TYPES[f - 1]} samples`);
      readValues(asBytes(v), PARSERS[f - 2] as (b: Uint8Array) => Sample, samples);
    }
  });
  return { tags, samples };
}

/**
 * Decodes one push body (`encoding`: the Content-Encoding header; `snappy` or none). VALIDATION
 * (target `body`) for anything malformed, so a bad push is a 400 and nothing of it is stored.
 */
export function decodeK6MetricsPush(body: Uint8Array, opts: { encoding: string | undefined; maxLength: number }): K6MetricsPush {
  const encoding = (opts.encoding ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity' && encoding !== 'snappy') {
    throw new StampedeError('STAMPEDE_ERR_VALIDATION', `Unsupported Content-Encoding "${encoding}"; k6 sends snappy`, { target: 'Content-Encoding' });
  }
  try {
    const raw = encoding === 'snappy' ? decodeSnappyBlock(body, opts.maxLength) : body;
    let testRunId = '';
    let aggregationPeriodS = 0;
    const defs = new Map<string, StoredMetricDef>();
    const byTime = new Map<number, StoredSeriesAggregate[]>();
    readFields(raw, (f, v) => {
      if (f === 1) testRunId = asString(v);
      else if (f === 2) aggregationPeriodS = asUint(v);
      else if (f === 3) {
        let name = '';
        let type = 0;
        const series: Uint8Array[] = [];
        readFields(asBytes(v), (mf, mv) => {
          if (mf === 1) name = asString(mv);
          else if (mf === 2) type = asUint(mv);
          else if (mf === 3) series.push(asBytes(mv));
        });
        const typeName = TYPES[type];
        if (name === '') throw bad('a metric has no name');
        if (typeName === undefined || typeName === '') throw bad(`metric ${name} has no valid type`);
        const known = defs.get(name);
        if (known !== undefined && known.type !== typeName) throw bad(`metric ${name} is sent as both ${known.type} and ${typeName}`);
        defs.set(name, { name, type: typeName, contains: containsOf(name, typeName) });
        for (const s of series) {
          const { tags, samples } = readTimeSeries(s, type);
          for (const sample of samples) {
            let list = byTime.get(sample.time);
            if (list === undefined) byTime.set(sample.time, (list = []));
            list.push({ metric: name, tags, ...sample.aggregate });
          }
        }
      }
    });
    const batches = [...byTime.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([time, series]) => ({ time, metrics: [...new Set(series.map((s) => s.metric))].map((m) => defs.get(m) as StoredMetricDef), series }));
    return { testRunId, aggregationPeriodS, batches };
  } catch (err) {
    if (err instanceof ProtobufError || err instanceof SnappyError) throw bad(err.message);
    throw err;
  }
}
