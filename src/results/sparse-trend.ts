// Trend merging for queries, with the engine's numbers at a fraction of its cost. The engine's
// TrendDigest merges dense HdrHistograms whose arrays span the whole recorded range (~18k buckets for
// millisecond samples at nanosecond resolution): cheap for one run-long digest, ruinous for thousands of
// per-window merges. Here a stored histogram is decoded straight from its V2 encoding into its non-empty
// buckets (index → count) and merged as such, so a merge costs what the histogram holds.
//
// Everything but the bins is the engine's BinnedTrend (as TrendDigest's), so both give the same
// percentiles: exact samples up to EXACT_LIMIT, then buckets of round(|v|·1e6) (capped at 2^52) in
// `pos` (v ≥ 0) or `neg` (by magnitude) with 3 significant digits, a bucket read as its
// median-equivalent value. (Trends read from the store hold their histograms at 1/8 of the engine's
// resolution, as engine buckets: see store/run-metrics-repo.ts; percentiles stay within 0.45%.)
import { BinnedTrend, EXACT_LIMIT, type TrendAggregate } from '../engine/index.ts';
import { BucketCounts, decodeBuckets, indexOf, type Buckets } from './histogram-buckets.ts';

// A trend read from the store carries its decoded buckets under this (registered) symbol: see
// STORED_TREND_BUCKETS in store/run-metrics-repo.ts. Others are decoded from their `hdr` strings.
const STORED_TREND_BUCKETS = Symbol.for('stampede.storedTrendBuckets');

// One stored aggregate feeds several merges (a window and the run so far): decode it once.
const decoded = new WeakMap<TrendAggregate, { pos?: Buckets; neg?: Buckets }>();

/** A histogram aggregate's non-empty buckets (`pos`: values ≥ 0; `neg`: negative ones by magnitude). */
export function trendBuckets(t: TrendAggregate): { pos?: Buckets; neg?: Buckets } {
  return decodeOnce(t);
}

/**
 * The samples of several seconds of one series, merged (see FinishedMetric): the buckets they fall in
 * and, while every second sent its samples and there are at most EXACT_LIMIT of them, the samples.
 */
export interface TrendBlock {
  readonly values: readonly number[] | null;
  readonly pos: Buckets | null;
  readonly neg: Buckets | null;
}

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

export class SparseTrend extends BinnedTrend {
  #pos: BucketCounts | null = null;
  #neg: BucketCounts | null = null;
  /** Histogram aggregates not decoded yet: only percentiles need their buckets. */
  #undecoded: TrendAggregate[] = [];

  /** Both neighbours from one walk when they lie among the positive buckets (the usual case). */
  protected override interpolate(rank: number, lo: number, hi: number): number {
    if (!this.exact && hi !== lo && lo > 0 && hi < this.count - 1) {
      this.#decodePending();
      const negCount = this.#neg?.total ?? 0;
      if (lo >= negCount && this.#pos) {
        const j = this.clamp(this.#pos.magnitudeAtRank(lo - negCount, true));
        const k = this.clamp(this.#pos.nextMagnitude);
        return j + (k - j) * (rank - lo);
      }
    }
    return super.interpolate(rank, lo, hi);
  }

  /**
   * An aggregate's count, sum, sum of squares and extremes only; its samples come with its block
   * (addBlock). Folding every second's stats in order, then the blocks, ends in the very state
   * addAggregate of each second would: the sums in the same order, the buckets (counts) and extremes
   * in any order.
   */
  addStatsOf(count: number, sum: number, sumSq: number, min: number, max: number): void {
    if (count !== 0) this.addStats(count, sum, sumSq, min, max);
  }

  addBlock(b: TrendBlock): void {
    if (b.values !== null && this.exact !== null && this.exact.length + b.values.length <= EXACT_LIMIT) {
      this.addSamples(b.values);
      return;
    }
    // As addSamples would bin them, without finding each sample's bucket again.
    this.toBins();
    if (b.pos) this.#addBuckets(b.pos, false);
    if (b.neg) this.#addBuckets(b.neg, true);
  }

  protected binAggregate(t: TrendAggregate): void {
    this.#undecoded.push(t);
  }

  protected binnedValueAt(rank: number): number {
    this.#decodePending();
    const negCount = this.#neg?.total ?? 0;
    if (rank < negCount && this.#neg) return -this.#neg.magnitudeAtRank(negCount - 1 - rank);
    if (this.#pos) return this.#pos.magnitudeAtRank(rank - negCount);
    return this.max;
  }

  /** Samples moved to buckets, each sign's in index order. */
  protected binSamples(values: readonly number[]): void {
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

  #addBuckets(b: Buckets, negative: boolean): void {
    (negative ? (this.#neg ??= new BucketCounts()) : (this.#pos ??= new BucketCounts())).add(b);
  }
}
