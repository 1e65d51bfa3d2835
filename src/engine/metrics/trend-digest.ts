// Bounded-memory trend storage with k6's percentile definition (the exact part and the percentile are
// BinnedTrend's, shared with the results part's query-time digests).
//
// A digest keeps the samples themselves while they are few (so small runs get k6's exact numbers) and
// switches to HdrHistograms beyond EXACT_LIMIT. Histograms hold integers, so a sample v is recorded as
// round(|v|·TREND_SCALE) in `pos` (v ≥ 0) or `neg` (v < 0, by magnitude). With 3 significant digits each
// recorded value is within 0.05% of the sample; count, sum, min and max stay exact.
import hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { BinnedTrend } from './binned-trend.ts';
import type { TrendAggregate } from './metrics-batch.ts';

/** Samples are recorded in millionths of their unit (ns for ms-valued time trends). */
export const TREND_SCALE = 1e6;
const MAX_RECORDABLE = 2 ** 52;
/** A one-second aggregate with more samples than this is sent as histograms rather than values. */
const WIRE_EXACT_LIMIT = 64;

// Packed histograms cost memory in proportion to the buckets in use but merge several times slower
// than plain Int32 ones, whose arrays span the whole recorded range (~75 kB for ms values at ns
// resolution). Many-per-run digests (one per series) are compact; the few merged ones are fast.
function newHistogram(compact: boolean): JsHistogram {
  const h = compact ? new hdr.PackedHistogram(1, 2, 3) : new hdr.Int32Histogram(1, 2, 3);
  h.autoResize = true;
  return h;
}

/** The integer a sample is recorded as in a histogram (negative samples by magnitude). */
export function toRecorded(v: number): number {
  const r = Math.round(Math.abs(v) * TREND_SCALE);
  return r > MAX_RECORDABLE ? MAX_RECORDABLE : r;
}

// One aggregate is folded into several states (the metric, its series, matching submetrics): decode once.
const decoded = new WeakMap<TrendAggregate, { pos?: JsHistogram; neg?: JsHistogram }>();

function decodeOnce(t: TrendAggregate): { pos?: JsHistogram; neg?: JsHistogram } {
  let d = decoded.get(t);
  if (!d) {
    d = {};
    if (t.hdr) d.pos = hdr.decodeFromCompressedBase64(t.hdr, 32) as JsHistogram;
    if (t.hdrNeg) d.neg = hdr.decodeFromCompressedBase64(t.hdrNeg, 32) as JsHistogram;
    decoded.set(t, d);
  }
  return d;
}

/**
 * Count, sum, sum of squares, min and max of the first `count` values. A function of its own: its loop
 * is optimized on stack (OSR) while it runs, and code after the loop with no type feedback yet made
 * that optimized code bail out at every call when the loop sat inside encodeTrendSamples (a deopt
 * and a fresh TurboFan compile per trend series per second, ~10 % of the core in compiler threads).
 * Indexed rather than for-of: an unoptimized for-of allocates an iterator result per value.
 */
function trendStats(values: ArrayLike<number>, count: number): TrendAggregate {
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = values[i] as number;
    sum += v;
    sumSq += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { count, sum, sumSq, min, max };
}

/** Builds the wire form of one second of trend samples. `scratch` histograms are reset and reused. */
export function encodeTrendSamples(
  values: ArrayLike<number>,
  scratch: TrendScratch,
  /** How many of `values` (from the first) belong to the second. */
  count: number = values.length,
): TrendAggregate {
  const agg = trendStats(values, count);
  if (count <= WIRE_EXACT_LIMIT) {
    agg.values = Array.prototype.slice.call(values, 0, count) as number[];
    return agg;
  }
  const { pos, neg } = scratch;
  pos.reset();
  neg.reset();
  // Count per histogram bucket first, then record each used bucket once with its count: a second holds
  // thousands of values but few distinct buckets, and JsHistogram.recordValue costs ~140 ns a call.
  // The histograms end up with exactly the counts that recording every value would give.
  const negatives = scratch.countBuckets(values, count);
  scratch.drainInto(pos, neg);
  if (negatives < count) agg.hdr = hdr.encodeIntoCompressedBase64(pos);
  if (negatives > 0) agg.hdrNeg = hdr.encodeIntoCompressedBase64(neg);
  return agg;
}

// The bucket layout of a histogram made with (1, 2, 3): lowest discernible value 1 (unit magnitude 0)
// and 3 significant digits give 2048 sub-buckets (half count 1024, magnitude 10). Same arithmetic as
// JsHistogram.countsArrayIndex, so a value lands in the bucket the histogram would put it in.
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 10;
const SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
/** Buckets up to MAX_RECORDABLE (2^52): bucket index ≤ 42, so indexes stay below 44 · 1024. */
const BUCKET_SLOTS = 44 * SUB_BUCKET_HALF_COUNT;
const POW2: readonly number[] = Array.from({ length: 64 }, (_, i) => 2 ** i);

function bucketSlot(recorded: number): number {
  const bucketIndex = Math.max(Math.floor(Math.log2(recorded)) - SUB_BUCKET_HALF_COUNT_MAGNITUDE, 0);
  const subBucketIndex = Math.floor(recorded / (POW2[bucketIndex] as number));
  return (bucketIndex + 1) * SUB_BUCKET_HALF_COUNT + subBucketIndex - SUB_BUCKET_HALF_COUNT;
}

/** Reusable histograms and bucket counters for encoding; one per aggregator. */
export class TrendScratch {
  readonly pos: JsHistogram;
  readonly neg: JsHistogram;
  /** Per bucket slot: the count, and one recorded value of the bucket (positive values, then negative). */
  #counts: Int32Array | undefined;
  #reps: Float64Array | undefined;
  readonly #used: number[] = [];

  constructor() {
    this.pos = new hdr.Int32Histogram(1, 2, 3) as JsHistogram;
    this.pos.autoResize = true;
    this.neg = new hdr.Int32Histogram(1, 2, 3) as JsHistogram;
    this.neg.autoResize = true;
  }

  /** Counts `values` per bucket (negatives by magnitude, in slots of their own); returns how many were negative. */
  countBuckets(values: ArrayLike<number>, count: number = values.length): number {
    const counts = (this.#counts ??= new Int32Array(2 * BUCKET_SLOTS));
    const reps = (this.#reps ??= new Float64Array(2 * BUCKET_SLOTS));
    const used = this.#used;
    let negatives = 0;
    for (let i = 0; i < count; i++) {
      const v = values[i] as number;
      const r = toRecorded(v);
      let slot = bucketSlot(r);
      if (v < 0) {
        slot += BUCKET_SLOTS;
        negatives++;
      }
      if (counts[slot] === 0) {
        used.push(slot);
        reps[slot] = r;
      }
      counts[slot] = (counts[slot] as number) + 1;
    }
    return negatives;
  }

  /** Records the counted buckets into `pos`/`neg` and clears the counters. */
  drainInto(pos: JsHistogram, neg: JsHistogram): void {
    const counts = this.#counts;
    const reps = this.#reps;
    if (counts === undefined || reps === undefined) return;
    const used = this.#used;
    for (let i = 0; i < used.length; i++) {
      const slot = used[i] as number;
      (slot < BUCKET_SLOTS ? pos : neg).recordValueWithCount(reps[slot] as number, counts[slot] as number);
      counts[slot] = 0;
    }
    used.length = 0;
  }
}

/** Value at 0-based rank `r` (ascending) among the recorded magnitudes of `h`. */
function magnitudeAtRank(h: JsHistogram, r: number): number {
  let seen = 0;
  const n = h.countsArrayLength;
  for (let i = 0; i < n; i++) {
    const c = h.getCountAtIndex(i);
    if (c === 0) continue;
    seen += c;
    if (seen > r) return h.medianEquivalentValue(h.valueFromIndex(i)) / TREND_SCALE;
  }
  return h.maxValue / TREND_SCALE;
}

export class TrendDigest extends BinnedTrend {
  #pos: JsHistogram | null = null;
  #neg: JsHistogram | null = null;
  readonly #compact: boolean;

  /** `compact`: smaller but slower to merge into (for digests that exist in large numbers). */
  constructor(options: { compact?: boolean } = {}) {
    super();
    this.#compact = options.compact ?? false;
  }

  add(v: number): void {
    this.addStats(1, v, v * v, v, v);
    this.addSamples([v]);
  }

  merge(other: TrendDigest): void {
    if (other.count === 0) return;
    this.addStats(other.count, other.sum, other.sumSq, other.min, other.max);
    if (other.exact) {
      this.addSamples(other.exact);
      return;
    }
    this.toBins();
    if (other.#pos) this.#histogram('pos').add(other.#pos);
    if (other.#neg) this.#histogram('neg').add(other.#neg);
  }

  /** The wire form of everything held, e.g. to store a rolled-up window; merges back exactly. */
  toAggregate(): TrendAggregate {
    const agg: TrendAggregate = { count: this.count, sum: this.sum, sumSq: this.sumSq, min: this.min, max: this.max };
    if (this.count === 0) return { count: 0, sum: 0, sumSq: 0, min: 0, max: 0, values: [] };
    if (this.exact) {
      agg.values = this.exact.slice();
      return agg;
    }
    if (this.#pos && this.#pos.totalCount > 0) agg.hdr = hdr.encodeIntoCompressedBase64(this.#pos);
    if (this.#neg && this.#neg.totalCount > 0) agg.hdrNeg = hdr.encodeIntoCompressedBase64(this.#neg);
    return agg;
  }

  protected binSamples(values: readonly number[]): void {
    for (const v of values) this.#histogram(v < 0 ? 'neg' : 'pos').recordValue(toRecorded(v));
  }

  protected binAggregate(t: TrendAggregate): void {
    const d = decodeOnce(t);
    if (d.pos) this.#histogram('pos').add(d.pos);
    if (d.neg) this.#histogram('neg').add(d.neg);
  }

  protected binnedValueAt(rank: number): number {
    const negCount = this.#neg ? this.#neg.totalCount : 0;
    if (rank < negCount && this.#neg) return -magnitudeAtRank(this.#neg, negCount - 1 - rank);
    if (this.#pos) return magnitudeAtRank(this.#pos, rank - negCount);
    return this.max;
  }

  #histogram(which: 'pos' | 'neg'): JsHistogram {
    if (which === 'pos') return (this.#pos ??= newHistogram(this.#compact));
    return (this.#neg ??= newHistogram(this.#compact));
  }
}
