// What every trend digest shares, whatever holds its histogram buckets: k6's percentile definition
// (metrics/sink.go TrendSink.P: rank = p·(count−1) over the sorted samples, linear interpolation between
// the two neighbours), exact count, sum, sum of squares and extremes, and the samples themselves while
// they are few (at most EXACT_LIMIT), so small runs get k6's exact numbers. Past that a subclass bins
// them: the engine's TrendDigest in HdrHistograms, the results part's SparseTrend in sparse bucket lists.
// Binned values are read back clamped to the exact extremes (a bucket's value may fall just outside).
import type { TrendAggregate } from './metrics-batch.ts';

/** A digest holding more samples than this bins them. */
export const EXACT_LIMIT = 1024;

/** For aggregates from producers that did not send sumSq: exact from values, else from the mean. */
export function sumOfSquares(t: TrendAggregate): number {
  if (t.values) return t.values.reduce((acc, v) => acc + v * v, 0);
  return t.count === 0 ? 0 : (t.sum * t.sum) / t.count;
}

export abstract class BinnedTrend {
  count = 0;
  sum = 0;
  sumSq = 0;
  min = Infinity;
  max = -Infinity;
  /** The samples while there are at most EXACT_LIMIT of them; null once they are binned. */
  protected exact: number[] | null = [];
  #sorted = true;

  get isEmpty(): boolean {
    return this.count === 0;
  }

  addAggregate(t: TrendAggregate): void {
    if (t.count === 0) return;
    this.addStats(t.count, t.sum, t.sumSq ?? sumOfSquares(t), t.min, t.max);
    if (t.values) {
      this.addSamples(t.values);
      return;
    }
    this.toBins();
    this.binAggregate(t);
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
    return this.interpolate(rank, Math.floor(rank), Math.ceil(rank));
  }

  /** The value at fractional `rank` from its neighbours' (ranks lo and hi); a subclass may read both at once. */
  protected interpolate(rank: number, lo: number, hi: number): number {
    const j = this.valueAt(lo);
    const k = hi === lo ? j : this.valueAt(hi);
    return j + (k - j) * (rank - lo);
  }

  protected addStats(count: number, sum: number, sumSq: number, min: number, max: number): void {
    this.count += count;
    this.sum += sum;
    this.sumSq += sumSq;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
  }

  /** Samples (already counted by addStats) kept exact while all fit, binned otherwise. */
  protected addSamples(values: readonly number[]): void {
    if (this.exact && this.exact.length + values.length <= EXACT_LIMIT) {
      for (const v of values) this.exact.push(v);
      this.#sorted = false;
      return;
    }
    this.toBins();
    this.binSamples(values);
  }

  /** Moves the exact samples into bins, for good. */
  protected toBins(): void {
    if (!this.exact) return;
    const values = this.exact;
    this.exact = null;
    this.binSamples(values);
  }

  protected clamp(v: number): number {
    return v < this.min ? this.min : v > this.max ? this.max : v;
  }

  /** The sample at 0-based `rank`, ascending (its bucket's value once binned). */
  protected valueAt(rank: number): number {
    if (rank <= 0) return this.min;
    if (rank >= this.count - 1) return this.max;
    if (this.exact) {
      if (!this.#sorted) {
        this.exact.sort((a, b) => a - b);
        this.#sorted = true;
      }
      return this.exact[rank] ?? this.max;
    }
    return this.clamp(this.binnedValueAt(rank));
  }

  /** Records samples in the bins (negative ones by magnitude, apart from the positive ones). */
  protected abstract binSamples(values: readonly number[]): void;
  /** Adds a histogram aggregate (`hdr`/`hdrNeg`) to the bins. */
  protected abstract binAggregate(t: TrendAggregate): void;
  /** The bucket value at 0-based `rank` among all binned samples, ascending; clamped by the caller. */
  protected abstract binnedValueAt(rank: number): number;
}
