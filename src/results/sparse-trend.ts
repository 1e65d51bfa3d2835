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
// to the exact min and max.
import { inflateSync } from 'node:zlib';
import hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import type { TrendAggregate } from '../engine/index.ts';

const TREND_SCALE = 1e6;
const MAX_RECORDABLE = 2 ** 52;
const EXACT_LIMIT = 1024;
const SIGNIFICANT_DIGITS = 3;

const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;
const V2_COOKIE_BASE = 0x1c849303;
const V2_HEADER_BYTES = 40;

// Index/value arithmetic of a (1, 2, 3) histogram; these methods depend only on its resolution.
const GEOMETRY = new hdr.Int32Histogram(1, 2, SIGNIFICANT_DIGITS) as JsHistogram;
const medianByIndex = new Map<number, number>();

function medianOfIndex(index: number): number {
  let v = medianByIndex.get(index);
  if (v === undefined) {
    v = GEOMETRY.medianEquivalentValue(GEOMETRY.valueFromIndex(index)) / TREND_SCALE;
    medianByIndex.set(index, v);
  }
  return v;
}

function indexOf(v: number): number {
  const r = Math.round(Math.abs(v) * TREND_SCALE);
  return GEOMETRY.countsArrayIndex(r > MAX_RECORDABLE ? MAX_RECORDABLE : r);
}

/** Non-empty buckets as parallel arrays, ascending by index. */
interface Buckets {
  readonly index: ArrayLike<number>;
  readonly count: ArrayLike<number>;
}

function mergeSorted(a: Buckets, b: Buckets): Buckets {
  const index = new Int32Array(a.index.length + b.index.length);
  const count = new Float64Array(index.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.index.length || j < b.index.length) {
    const ai = i < a.index.length ? (a.index[i] as number) : Infinity;
    const bj = j < b.index.length ? (b.index[j] as number) : Infinity;
    if (ai === bj) {
      index[n] = ai;
      count[n++] = (a.count[i++] as number) + (b.count[j++] as number);
    } else if (ai < bj) {
      index[n] = ai;
      count[n++] = a.count[i++] as number;
    } else {
      index[n] = bj;
      count[n++] = b.count[j++] as number;
    }
  }
  return { index: index.subarray(0, n), count: count.subarray(0, n) };
}

function readZigZag(bytes: Uint8Array, at: { pos: number }): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 9; i++) {
    const b = bytes[at.pos++] ?? 0;
    if (i === 8) {
      value += b * scale;
      break;
    }
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) break;
    scale *= 128;
  }
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

/** The buckets of a base64 compressed V2 histogram as the engine encodes it; the library decoder otherwise. */
export function decodeBuckets(base64: string): Buckets {
  const raw = Buffer.from(base64, 'base64');
  const out = { index: [] as number[], count: [] as number[] };
  const packed = (): Buckets => ({ index: Int32Array.from(out.index), count: Float64Array.from(out.count) });
  if (raw.length >= 8 && (raw.readInt32BE(0) & ~0xf0) === V2_COMPRESSED_COOKIE_BASE) {
    const payload = inflateSync(raw.subarray(8, 8 + raw.readInt32BE(4)));
    const view = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    const sameGeometry = view.length >= V2_HEADER_BYTES && (view.readInt32BE(0) & ~0xf0) === V2_COOKIE_BASE && view.readInt32BE(12) === SIGNIFICANT_DIGITS && view.readInt32BE(16) === 0 && view.readInt32BE(20) === 1;
    if (sameGeometry) {
      const end = V2_HEADER_BYTES + view.readInt32BE(4);
      const at = { pos: V2_HEADER_BYTES };
      let index = 0;
      while (at.pos < end) {
        const n = readZigZag(view, at);
        if (n < 0) {
          index += -n;
          continue;
        }
        if (n > 0) {
          out.index.push(index);
          out.count.push(n);
        }
        index++;
      }
      return packed();
    }
  }
  const h = hdr.decodeFromCompressedBase64(base64, 32) as JsHistogram;
  const n = h.countsArrayIndex(h.maxValue) + 1;
  for (let i = 0; i < n; i++) {
    const c = h.getCountAtIndex(i);
    if (c > 0) {
      out.index.push(GEOMETRY.countsArrayIndex(h.valueFromIndex(i)));
      out.count.push(c);
    }
  }
  return packed();
}

// One stored aggregate feeds several merges (a window and the run so far): decode it once.
const decoded = new WeakMap<TrendAggregate, { pos?: Buckets; neg?: Buckets }>();

function decodeOnce(t: TrendAggregate): { pos?: Buckets; neg?: Buckets } {
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
    const d = decodeOnce(t);
    if (d.pos) this.#addBuckets(d.pos, false);
    if (d.neg) this.#addBuckets(d.neg, true);
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
    const j = this.#valueAt(lo);
    const k = hi === lo ? j : this.#valueAt(hi);
    return j + (k - j) * (rank - lo);
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
    const negCount = this.#neg?.total ?? 0;
    let v: number;
    if (rank < negCount && this.#neg) v = -this.#neg.magnitudeAtRank(negCount - 1 - rank);
    else if (this.#pos) v = this.#pos.magnitudeAtRank(rank - negCount);
    else v = this.max;
    return v < this.min ? this.min : v > this.max ? this.max : v;
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

/**
 * Counts by bucket index. A merge target usually lives for one window and takes a few aggregates:
 * their decoded buckets are only referenced, and sorted together when a percentile is asked. Once it
 * holds more than DENSE_AT buckets it switches to a dense array over the index range in use, so a
 * run-long merge costs one addition per bucket.
 */
const DENSE_AT = 4096;
/** Up to this many pending lists, a rank is found by walking them together rather than merging. */
const WALK_LISTS = 8;

class BucketCounts {
  #pending: Buckets[] = [];
  #pendingSize = 0;
  #sorted: { index: ArrayLike<number>; cumulative: Float64Array } | null = null;
  #dense: Float64Array | null = null;
  #offset = 0;
  total = 0;

  add(b: Buckets): void {
    for (let i = 0; i < b.count.length; i++) this.total += b.count[i] as number;
    if (this.#dense) {
      for (let i = 0; i < b.index.length; i++) this.#addDense(b.index[i] as number, b.count[i] as number);
      return;
    }
    this.#pending.push(b);
    this.#pendingSize += b.index.length;
    this.#sorted = null;
    if (this.#pendingSize > DENSE_AT) this.#toDense();
  }

  /** Median-equivalent value of the bucket holding the 0-based rank `r`, ascending. */
  magnitudeAtRank(r: number): number {
    if (this.#dense) {
      const d = this.#dense;
      let seen = 0;
      let last = -1;
      if (r >= this.total / 2) {
        const target = this.total - 1 - r;
        for (let i = d.length - 1; i >= 0; i--) {
          const c = d[i] as number;
          if (c === 0) continue;
          last = i;
          seen += c;
          if (seen > target) return medianOfIndex(i + this.#offset);
        }
        return last < 0 ? 0 : medianOfIndex(last + this.#offset);
      }
      for (let i = 0; i < d.length; i++) {
        const c = d[i] as number;
        if (c === 0) continue;
        last = i;
        seen += c;
        if (seen > r) return medianOfIndex(i + this.#offset);
      }
      return last < 0 ? 0 : medianOfIndex(last + this.#offset);
    }
    if (this.#sorted === null && this.#pending.length <= WALK_LISTS) return this.#walkPending(r);
    const sorted = (this.#sorted ??= this.#sortPending());
    const n = sorted.index.length;
    if (n === 0) return 0;
    // First bucket whose cumulative count exceeds r.
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted.cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return medianOfIndex(sorted.index[lo] as number);
  }

  /**
   * Rank `r` found by walking the few pending lists together, without merging them: upwards from the
   * lowest bucket, or downwards from the highest for ranks in the upper half (p95 reads few buckets).
   */
  #walkPending(r: number): number {
    const lists = this.#pending;
    const down = r >= this.total / 2;
    const target = down ? this.total - 1 - r : r;
    const at = lists.map((b) => (down ? b.index.length - 1 : 0));
    let seen = 0;
    let last = -1;
    for (;;) {
      let idx = down ? -Infinity : Infinity;
      for (let l = 0; l < lists.length; l++) {
        const b = lists[l] as Buckets;
        const p = at[l] as number;
        if (p < 0 || p >= b.index.length) continue;
        const v = b.index[p] as number;
        if (down ? v > idx : v < idx) idx = v;
      }
      if (!Number.isFinite(idx)) return last < 0 ? 0 : medianOfIndex(last);
      for (let l = 0; l < lists.length; l++) {
        const b = lists[l] as Buckets;
        const p = at[l] as number;
        if (p >= 0 && p < b.index.length && b.index[p] === idx) {
          seen += b.count[p] as number;
          at[l] = down ? p - 1 : p + 1;
        }
      }
      last = idx;
      if (seen > target) return medianOfIndex(idx);
    }
  }

  /** The pending lists (each ascending by index) merged into one, with running totals. */
  #sortPending(): { index: ArrayLike<number>; cumulative: Float64Array } {
    let lists: Buckets[] = this.#pending;
    // Pairwise merges: each pass halves the number of lists.
    while (lists.length > 1) {
      const next: Buckets[] = [];
      for (let i = 0; i < lists.length; i += 2) {
        const a = lists[i] as Buckets;
        const b = lists[i + 1];
        next.push(b === undefined ? a : mergeSorted(a, b));
      }
      lists = next;
    }
    const merged = lists[0] ?? { index: [], count: [] };
    const cumulative = new Float64Array(merged.index.length);
    let run = 0;
    for (let i = 0; i < merged.count.length; i++) {
      run += merged.count[i] as number;
      cumulative[i] = run;
    }
    return { index: merged.index, cumulative };
  }

  #toDense(): void {
    let min = Infinity;
    let max = -Infinity;
    for (const b of this.#pending) {
      const first = b.index[0];
      const last = b.index[b.index.length - 1];
      if (first !== undefined && first < min) min = first;
      if (last !== undefined && last > max) max = last;
    }
    this.#offset = min === Infinity ? 0 : min;
    this.#dense = new Float64Array(max === -Infinity ? 1 : max - this.#offset + 1);
    for (const b of this.#pending) for (let i = 0; i < b.index.length; i++) this.#addDense(b.index[i] as number, b.count[i] as number);
    this.#pending = [];
    this.#pendingSize = 0;
    this.#sorted = null;
  }

  #addDense(index: number, n: number): void {
    let d = this.#dense as Float64Array;
    if (index < this.#offset || index - this.#offset >= d.length) {
      const lo = Math.min(index, this.#offset);
      const hi = Math.max(index, this.#offset + d.length - 1);
      const grown = new Float64Array(hi - lo + 1);
      grown.set(d, this.#offset - lo);
      this.#offset = lo;
      this.#dense = d = grown;
    }
    d[index - this.#offset] = (d[index - this.#offset] as number) + n;
  }
}
