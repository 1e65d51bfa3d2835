// Trend merging for queries, with the engine's numbers (engine/metrics/trend-digest.ts) at a fraction of
// its cost. The engine merges dense HdrHistograms whose arrays span the whole recorded range (~18k
// buckets for millisecond samples at nanosecond resolution): cheap for one run-long digest, ruinous for
// thousands of per-window merges. Here a stored histogram is decoded straight from its V2 encoding into
// its non-empty buckets (index → count) and merged as such, so a merge costs what the histogram holds.
//
// Invariants shared with TrendDigest, so both give the same percentiles: samples stay exact while a
// merge holds at most EXACT_LIMIT of them; otherwise every sample is bucketed as round(|v|·1e6) (capped
// at 2^52) into `pos` (v ≥ 0) or `neg` (by magnitude), with 3 significant digits; a bucket reads as
// its median-equivalent value; k6's percentile is rank p·(count−1) with linear interpolation, clamped
// to the exact min and max. (Trends read from the store hold their histograms at 1/8 of the engine's
// resolution, as engine buckets: see store/run-metrics-repo.ts; percentiles stay within 0.45%.)
import type { TrendAggregate } from '../engine/index.ts';
import { BucketCounts, decodeBuckets, indexOf, type Buckets } from './histogram-buckets.ts';

const EXACT_LIMIT = 1024;

// A trend read from the store carries its decoded buckets under this (registered) symbol: see
// STORED_TREND_BUCKETS in store/run-metrics-repo.ts. Others are decoded from their `hdr` strings.
const STORED_TREND_BUCKETS = Symbol.for('stampede.storedTrendBuckets');

// One stored aggregate feeds several merges (a window and the run so far): decode it once.
const decoded = new WeakMap<TrendAggregate, { pos?: Buckets; neg?: Buckets }>();

function decodeOnce(t: TrendAggregate): { pos?: Buckets; neg?: Buckets } {
  const stored = (t as unknown as Record<symbol, { pos?: Buckets; neg?: Buckets } | undefined>)[STORED_TREND_BUCKETS];
  if (stored !== undefined) return stored;
  let d = decoded.get(t);
  if (!d) {
    d = {};
    if (t.hdr) d.pos = decodeBuckets(t.hdr);
    if (t.hdrNeg) d.neg = decodeBuckets(t.hdrNeg);
    decoded.set(t, d);
  }
  return d;
}

function sumOfSquares(t: TrendAggregate): number {
  if (t.values) return t.values.reduce((acc, v) => acc + v * v, 0);
  return t.count === 0 ? 0 : (t.sum * t.sum) / t.count;
}

export class SparseTrend {
  count = 0;
  sum = 0;
  sumSq = 0;
  min = Infinity;
  max = -Infinity;
  #exact: number[] | null = [];
  #sorted = true;
  #pos: BucketCounts | null = null;
  #neg: BucketCounts | null = null;
  /** Histogram aggregates not decoded yet: only percentiles need their buckets. */
  #undecoded: TrendAggregate[] = [];

  addAggregate(t: TrendAggregate): void {
    if (t.count === 0) return;
    this.count += t.count;
    this.sum += t.sum;
    this.sumSq += t.sumSq ?? sumOfSquares(t);
    if (t.min < this.min) this.min = t.min;
    if (t.max > this.max) this.max = t.max;
    if (t.values) {
      if (this.#exact && this.#exact.length + t.values.length <= EXACT_LIMIT) {
        for (const v of t.values) this.#exact.push(v);
        this.#sorted = false;
        return;
      }
      this.#toBuckets();
      this.#recordAll(t.values);
      return;
    }
    this.#toBuckets();
    this.#undecoded.push(t);
  }

  avg(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** Population standard deviation; 0 when empty. */
  stddev(): number {
    if (this.count === 0) return 0;
    const mean = this.sum / this.count;
    return Math.sqrt(Math.max(0, this.sumSq / this.count - mean * mean));
  }

  /** k6's percentile for `pct` in [0, 100]; 0 when empty. */
  percentile(pct: number): number {
    if (this.count === 0) return 0;
    if (this.count === 1) return this.min;
    const rank = (pct / 100) * (this.count - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    if (this.#exact) {
      const j = this.#valueAt(lo);
      const k = hi === lo ? j : this.#valueAt(hi);
      return j + (k - j) * (rank - lo);
    }
    this.#decodePending();
    // Both neighbours from one walk when they lie on the same side of zero (the usual case).
    const negCount = this.#neg?.total ?? 0;
    if (hi !== lo && lo > 0 && hi < this.count - 1 && lo >= negCount && this.#pos) {
      const j = this.#clamp(this.#pos.magnitudeAtRank(lo - negCount, true));
      const k = this.#clamp(this.#pos.nextMagnitude);
      return j + (k - j) * (rank - lo);
    }
    const j = this.#valueAt(lo);
    const k = hi === lo ? j : this.#valueAt(hi);
    return j + (k - j) * (rank - lo);
  }

  #clamp(v: number): number {
    return v < this.min ? this.min : v > this.max ? this.max : v;
  }

  #decodePending(): void {
    const pending = this.#undecoded;
    if (pending.length === 0) return;
    for (let i = 0; i < pending.length; i++) {
      const d = decodeOnce(pending[i] as TrendAggregate);
      if (d.pos) this.#addBuckets(d.pos, false);
      if (d.neg) this.#addBuckets(d.neg, true);
    }
    this.#undecoded = [];
  }

  #valueAt(rank: number): number {
    if (rank <= 0) return this.min;
    if (rank >= this.count - 1) return this.max;
    if (this.#exact) {
      if (!this.#sorted) {
        this.#exact.sort((a, b) => a - b);
        this.#sorted = true;
      }
      return this.#exact[rank] ?? this.max;
    }
    this.#decodePending();
    const negCount = this.#neg?.total ?? 0;
    let v: number;
    if (rank < negCount && this.#neg) v = -this.#neg.magnitudeAtRank(negCount - 1 - rank);
    else if (this.#pos) v = this.#pos.magnitudeAtRank(rank - negCount);
    else v = this.max;
    return this.#clamp(v);
  }

  #addBuckets(b: Buckets, negative: boolean): void {
    (negative ? (this.#neg ??= new BucketCounts()) : (this.#pos ??= new BucketCounts())).add(b);
  }

  /** Exact samples moved to buckets, each sign's in index order. */
  #recordAll(values: readonly number[]): void {
    for (const negative of [false, true]) {
      const indices = values.filter((v) => (v < 0) === negative).map(indexOf).sort((a, b) => a - b);
      if (indices.length === 0) continue;
      const index: number[] = [];
      const count: number[] = [];
      for (const idx of indices) {
        if (index[index.length - 1] === idx) count[count.length - 1] = (count[count.length - 1] as number) + 1;
        else {
          index.push(idx);
          count.push(1);
        }
      }
      this.#addBuckets({ index: Int32Array.from(index), count: Float64Array.from(count) }, negative);
    }
  }

  #toBuckets(): void {
    if (!this.#exact) return;
    const values = this.#exact;
    this.#exact = null;
    this.#recordAll(values);
  }
}
