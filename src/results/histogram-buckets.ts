// The buckets of the engine's trend histograms (HdrHistogram, 3 significant digits, samples recorded as
// round(|v|·1e6)), worked with sparsely: decoded straight from the stored V2 encoding into their
// non-empty buckets, and counted per merge target without a dense array spanning the whole range.
import hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { decodeV2Buckets } from '../core/index.ts';
import { TREND_SCALE, toRecorded } from '../engine/index.ts';

const SIGNIFICANT_DIGITS = 3;

// Index/value arithmetic of a (1, 2, 3) histogram; these methods depend only on its resolution.
const GEOMETRY = new hdr.Int32Histogram(1, 2, SIGNIFICANT_DIGITS) as JsHistogram;
/** Indexes of values up to MAX_RECORDABLE (2^52) stay below 44 · 1024; NaN: not computed yet. */
const MEDIANS = new Float64Array(44 * 1024).fill(NaN);
const medianByIndex = new Map<number, number>();

function medianOfIndex(index: number): number {
  const cached = MEDIANS[index];
  if (cached !== undefined && cached === cached) return cached;
  let v = medianByIndex.get(index);
  if (v === undefined) {
    v = GEOMETRY.medianEquivalentValue(GEOMETRY.valueFromIndex(index)) / TREND_SCALE;
    if (index >= 0 && index < MEDIANS.length) MEDIANS[index] = v;
    else medianByIndex.set(index, v);
  }
  return v;
}

/** The bucket index of a sample, as the engine records it. */
export function indexOf(v: number): number {
  return GEOMETRY.countsArrayIndex(toRecorded(v));
}

/** Non-empty buckets as parallel arrays, ascending by index. */
export interface Buckets {
  readonly index: ArrayLike<number>;
  readonly count: ArrayLike<number>;
  /** The sum of `count`, when known. */
  readonly total?: number;
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

/** The buckets of a base64 compressed V2 histogram as the engine encodes it; the library decoder otherwise. */
export function decodeBuckets(base64: string): Buckets {
  const out = { index: [] as number[], count: [] as number[] };
  const packed = (): Buckets => ({ index: Int32Array.from(out.index), count: Float64Array.from(out.count), total: out.count.reduce((a, c) => a + c, 0) });
  const v2 = decodeV2Buckets(base64);
  if (v2 !== null) {
    out.index = v2.index;
    out.count = v2.count;
    return packed();
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

/**
 * Counts by bucket index. A merge target usually lives for one window and takes a few aggregates:
 * their decoded buckets are only referenced, and sorted together when a percentile is asked. Once it
 * holds more than DENSE_AT buckets it switches to a dense array over the index range in use, so a
 * run-long merge costs one addition per bucket.
 */
const DENSE_AT = 4096;
/** Up to this many pending lists, a rank is found by walking them together rather than merging. */
const WALK_LISTS = 8;
/** Positions in the lists of a walk (walks never overlap: they are synchronous). */
const WALK_AT = new Int32Array(WALK_LISTS);
const WALK_LEN = new Int32Array(WALK_LISTS);
const WALK_INDEX: ArrayLike<number>[] = [];
const WALK_COUNT: ArrayLike<number>[] = [];

/** First position whose running total exceeds r (the last one if none does). */
function firstAbove(cumulative: Float64Array, r: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class BucketCounts {
  #pending: Buckets[] = [];
  #pendingSize = 0;
  #sorted: { index: ArrayLike<number>; cumulative: Float64Array } | null = null;
  #dense: Float64Array | null = null;
  #offset = 0;
  total = 0;

  /** After `magnitudeAtRank(r, true)`: the magnitude at rank r + 1. */
  nextMagnitude = 0;

  add(b: Buckets): void {
    if (b.total !== undefined) this.total += b.total;
    else for (let i = 0; i < b.count.length; i++) this.total += b.count[i] as number;
    if (this.#dense) {
      for (let i = 0; i < b.index.length; i++) this.#addDense(b.index[i] as number, b.count[i] as number);
      return;
    }
    this.#pending.push(b);
    this.#pendingSize += b.index.length;
    this.#sorted = null;
    if (this.#pendingSize > DENSE_AT) this.#toDense();
  }

  /**
   * Median-equivalent value of the bucket holding the 0-based rank `r`, ascending; with `next`, the
   * one of rank r + 1 too (in `nextMagnitude`), from the same walk.
   */
  magnitudeAtRank(r: number, next = false): number {
    if (this.#dense) return this.#walkDense(r, next);
    if (this.#sorted === null && this.#pending.length <= WALK_LISTS) return this.#walkPending(r, next);
    const sorted = (this.#sorted ??= this.#sortPending());
    const n = sorted.index.length;
    if (n === 0) return (this.nextMagnitude = 0);
    const at = firstAbove(sorted.cumulative, r);
    if (next) this.nextMagnitude = medianOfIndex(sorted.index[Math.min(firstAbove(sorted.cumulative, r + 1), n - 1)] as number);
    return medianOfIndex(sorted.index[Math.min(at, n - 1)] as number);
  }

  #walkDense(r: number, next: boolean): number {
    const d = this.#dense as Float64Array;
    const down = r >= this.total / 2;
    // Walking down, rank r + 1 is met first; walking up, rank r.
    const first = down ? this.total - 1 - (next ? r + 1 : r) : r;
    const second = down ? this.total - 1 - r : r + 1;
    let seen = 0;
    let last = -1;
    let found = -1;
    const step = down ? -1 : 1;
    for (let i = down ? d.length - 1 : 0; i >= 0 && i < d.length; i += step) {
      const c = d[i] as number;
      if (c === 0) continue;
      last = i;
      seen += c;
      if (found < 0 && seen > first) {
        found = i;
        if (!next) return medianOfIndex(i + this.#offset);
      }
      if (found >= 0 && seen > second) return this.#pair(down, found + this.#offset, i + this.#offset);
    }
    const end = last < 0 ? 0 : medianOfIndex(last + this.#offset);
    if (found < 0) return (this.nextMagnitude = end);
    return this.#pair(down, found + this.#offset, last + this.#offset);
  }

  /** The answer of a walk that met `first` then `second` (rank r then r + 1 upwards, r + 1 then r downwards). */
  #pair(down: boolean, first: number, second: number): number {
    if (down) {
      this.nextMagnitude = medianOfIndex(first);
      return medianOfIndex(second);
    }
    this.nextMagnitude = medianOfIndex(second);
    return medianOfIndex(first);
  }

  /**
   * Rank `r` found by walking the few pending lists together, without merging them: upwards from the
   * lowest bucket, or downwards from the highest for ranks in the upper half (p95 reads few buckets).
   */
  #walkPending(r: number, next: boolean): number {
    const lists = this.#pending;
    const nLists = lists.length;
    const down = r >= this.total / 2;
    const first = down ? this.total - 1 - (next ? r + 1 : r) : r;
    const second = down ? this.total - 1 - r : r + 1;
    const at = WALK_AT;
    const len = WALK_LEN;
    const idxs = WALK_INDEX;
    const cnts = WALK_COUNT;
    for (let l = 0; l < nLists; l++) {
      const b = lists[l] as Buckets;
      idxs[l] = b.index;
      cnts[l] = b.count;
      len[l] = b.index.length;
      at[l] = down ? b.index.length - 1 : 0;
    }
    let seen = 0;
    let last = -1;
    let found = -1;
    for (;;) {
      // One pass: the next bucket index over all lists, the lists holding it (bit mask) and its count.
      let idx = down ? -1 : 0x7fffffff;
      let mask = 0;
      let c = 0;
      for (let l = 0; l < nLists; l++) {
        const p = at[l] as number;
        if (p < 0 || p >= (len[l] as number)) continue;
        const v = (idxs[l] as ArrayLike<number>)[p] as number;
        if (v === idx) {
          mask |= 1 << l;
          c += (cnts[l] as ArrayLike<number>)[p] as number;
        } else if (down ? v > idx : v < idx) {
          idx = v;
          mask = 1 << l;
          c = (cnts[l] as ArrayLike<number>)[p] as number;
        }
      }
      if (mask === 0) {
        const end = last < 0 ? 0 : medianOfIndex(last);
        if (found < 0) return (this.nextMagnitude = end);
        return this.#pair(down, found, last);
      }
      for (let l = 0; l < nLists; l++) if (mask & (1 << l)) at[l] = (at[l] as number) + (down ? -1 : 1);
      seen += c;
      last = idx;
      if (found < 0 && seen > first) {
        found = idx;
        if (!next) return medianOfIndex(idx);
      }
      if (found >= 0 && seen > second) return this.#pair(down, found, idx);
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
