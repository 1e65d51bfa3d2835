// One metric of a finished run, held compactly for queries (RunMetricsCache keeps these, bounded by
// bytes): built from one read of the store, it answers every later query of the metric without the
// store, and a long run's trend percentiles from merged blocks of seconds instead of every second.
//
// - Rows: each stored aggregate's numbers, in the order the store reads them (time, then position),
//   in typed columns (counter sum; gauge last, min, max, time of last; rate non-zero and total counts;
//   trend count, sum, sum of squares, min, max) with its second and series. A query folds them in that
//   order, exactly as it folds the stored aggregates, so sums come out bit for bit the same.
// - Trend samples (histogram buckets, or exact values while a second sends them) are the bulk of a
//   run's bytes and of a fold's work. They are kept merged per series over blocks of `blockSeconds`,
//   aligned on the run's start: the default step of a query over the whole run (defaultStepSeconds),
//   so a whole-run range query at the default step, or at any multiple of it, and every whole-run
//   aggregate (result_summary) merge one block per series and window instead of each second. Merged
//   bucket counts are whole numbers and extremes do not depend on order, so the percentiles are those
//   of the seconds' own merge. A query whose windows would cut a block (another start, a step that is
//   not a multiple) is answered from the stored seconds as before (`aligned` says which).
import { EXACT_LIMIT, sumOfSquares, type TrendAggregate } from '../engine/index.ts';
import type { StoredMetricDef, StoredMetricsBatch, StoredSeriesAggregate } from '../store/index.ts';
import { indexOf, type Buckets } from './histogram-buckets.ts';
import type { MergedCell } from './merged-cell.ts';
import { trendBuckets, type TrendBlock } from './sparse-trend.ts';

/** Bucket indexes of samples up to 2^52 (the engine's largest recordable value) stay below this. */
const MAX_INDEX = 44 * 1024;
/** Rough per-object overheads, for the byte bound. */
const BLOCK_BYTES = 96;
const SERIES_BYTES = 160;

const COLUMNS: Record<StoredMetricDef['type'], number> = { counter: 1, gauge: 4, rate: 2, trend: 5 };

export class FinishedMetric {
  /** Epoch ms of each row's second, ascending. */
  readonly time: Float64Array;
  /** Index into `series` of each row. */
  readonly sid: Int32Array;
  /** COLUMNS[def.type] numbers a row, row after row. */
  readonly values: Float64Array;
  readonly series: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Trends: per series, per block (by its index from `origin`), the block's samples. */
  readonly blocks: ReadonlyArray<ReadonlyArray<TrendBlock | undefined>>;
  /** Trends: per series, all its samples (for folds over the whole run: result_summary, aggregates). */
  readonly whole: ReadonlyArray<TrendBlock | undefined>;
  /** Block 0 starts here (epoch ms); blocks are `blockMs` long. */
  readonly origin: number;
  readonly blockMs: number;
  /** Estimated bytes held. */
  readonly bytes: number;
  /**
   * Whether queries over this object may keep their folds for the next query with another method
   * (metrics-query.ts): only over a view made for one answer (`forOneAnswer`), so folds live as long
   * as the answer does and the copies held stay within their byte bound.
   */
  readonly keepsFolds: boolean;
  readonly #parts: ConstructorParameters<typeof FinishedMetric>[1];

  constructor(readonly def: Readonly<StoredMetricDef>, parts: { time: Float64Array; sid: Int32Array; values: Float64Array; series: Readonly<Record<string, string>>[]; blocks: (TrendBlock | undefined)[][]; whole: (TrendBlock | undefined)[]; origin: number; blockMs: number; bytes: number }, keepsFolds = false) {
    this.#parts = parts;
    this.time = parts.time;
    this.sid = parts.sid;
    this.values = parts.values;
    this.series = parts.series;
    this.blocks = parts.blocks;
    this.whole = parts.whole;
    this.origin = parts.origin;
    this.blockMs = parts.blockMs;
    this.bytes = parts.bytes;
    this.keepsFolds = keepsFolds;
  }

  /** The same data, for the queries of one answer (result_summary's figures), which share their folds. */
  forOneAnswer(): FinishedMetric {
    return new FinishedMetric(this.def, this.#parts, true);
  }

  get rows(): number {
    return this.time.length;
  }

  /** The first and last second held in [from, to) (epoch ms; either bound may be left out). */
  timeRange(from: number | undefined, to: number | undefined): [first: number | undefined, last: number | undefined] {
    const lo = from === undefined ? 0 : this.#firstAtOrAfter(from);
    const hi = to === undefined ? this.time.length : this.#firstAtOrAfter(to);
    return hi > lo ? [this.time[lo], this.time[hi - 1]] : [undefined, undefined];
  }

  #firstAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.time.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.time[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Whether a fold over `start`…`end` in windows of `step` (one window when undefined) takes whole
   * blocks only (or everything), so it may read them. Counters, gauges and rates keep every second: always.
   */
  aligned(start: number, end: number, step: number | undefined, needsSamples: boolean, cumulative: boolean): boolean {
    if (this.def.type !== 'trend' || !needsSamples || this.blockMs === 1000 || this.takesAll(start, end, step, cumulative)) return true;
    const b = this.blockMs;
    const last = this.time[this.time.length - 1];
    const endOk = last === undefined || end > last || (end - this.origin) % b === 0;
    return (start - this.origin) % b === 0 && (step === undefined || step % b === 0) && endOk;
  }

  /**
   * Whether a fold with these bounds takes every row in one window (or in the cumulative cell): it may
   * then take each series' samples at once (`whole`) instead of block by block.
   */
  takesAll(start: number, end: number, step: number | undefined, cumulative: boolean): boolean {
    const first = this.time[0];
    const last = this.time[this.time.length - 1];
    return step === undefined && first !== undefined && last !== undefined && end > last && (cumulative || start <= first);
  }

  /**
   * Folds row `i` into the cells; with `blockSeen` (the last block folded, by series), also the
   * samples of its block the first time its series meets it; with `wholeSeen` instead, the samples of
   * its whole series the first time.
   */
  fold(i: number, window: MergedCell | undefined, cumulative: MergedCell | undefined, blockSeen: Float64Array | null, wholeSeen: Uint8Array | null = null): void {
    const v = this.values;
    switch (this.def.type) {
      case 'counter': {
        SCRATCH_COUNTER.counter.sum = v[i] as number;
        window?.add(this.time[i] as number, SCRATCH_COUNTER);
        cumulative?.add(this.time[i] as number, SCRATCH_COUNTER);
        return;
      }
      case 'rate': {
        SCRATCH_RATE.rate.nonzero = v[2 * i] as number;
        SCRATCH_RATE.rate.total = v[2 * i + 1] as number;
        window?.add(this.time[i] as number, SCRATCH_RATE);
        cumulative?.add(this.time[i] as number, SCRATCH_RATE);
        return;
      }
      case 'gauge': {
        const g = SCRATCH_GAUGE.gauge;
        g.last = v[4 * i] as number;
        g.min = v[4 * i + 1] as number;
        g.max = v[4 * i + 2] as number;
        g.at = v[4 * i + 3] as number;
        window?.add(this.time[i] as number, SCRATCH_GAUGE);
        cumulative?.add(this.time[i] as number, SCRATCH_GAUGE);
        return;
      }
      case 'trend': {
        const o = 5 * i;
        const count = v[o] as number;
        window?.addTrendStats(count, v[o + 1] as number, v[o + 2] as number, v[o + 3] as number, v[o + 4] as number);
        cumulative?.addTrendStats(count, v[o + 1] as number, v[o + 2] as number, v[o + 3] as number, v[o + 4] as number);
        const s = this.sid[i] as number;
        if (wholeSeen !== null) {
          if (wholeSeen[s] === 1) return;
          wholeSeen[s] = 1;
          const all = this.whole[s];
          if (all === undefined) return;
          window?.addTrendBlock(all);
          cumulative?.addTrendBlock(all);
          return;
        }
        if (blockSeen === null) return;
        const b = Math.floor(((this.time[i] as number) - this.origin) / this.blockMs);
        if ((blockSeen[s] as number) >= b) return;
        blockSeen[s] = b;
        const block = this.blocks[s]?.[b];
        if (block === undefined) return;
        window?.addTrendBlock(block);
        cumulative?.addTrendBlock(block);
      }
    }
  }
}

// Rows are folded through MergedCell.add, as stored aggregates are (its rules in one place); these
// carry one row's numbers at a time and are not kept by the cell.
const SCRATCH_COUNTER = { metric: '', tags: {}, counter: { sum: 0 } } as StoredSeriesAggregate & { counter: { sum: number } };
const SCRATCH_RATE = { metric: '', tags: {}, rate: { nonzero: 0, total: 0 } } as StoredSeriesAggregate & { rate: { nonzero: number; total: number } };
const SCRATCH_GAUGE = { metric: '', tags: {}, gauge: { last: 0, min: 0, max: 0, at: 0 } } as StoredSeriesAggregate & { gauge: { last: number; min: number; max: number; at: number } };

/** Per-sign bucket counts of the block being merged (dense over the index range, cleared after each block). */
class BlockMerge {
  readonly #dense = [new Float64Array(MAX_INDEX), new Float64Array(MAX_INDEX)];
  /** The indexes in use, per sign (a block holds a few hundred of the range's thousands). */
  readonly #touched: [number[], number[]] = [[], []];
  values: number[] | null = [];
  binned = false;
  total = 0;

  addBuckets(b: Buckets, sign: 0 | 1): boolean {
    const d = this.#dense[sign] as Float64Array;
    const touched = this.#touched[sign];
    for (let k = 0; k < b.index.length; k++) {
      const idx = b.index[k] as number;
      const n = b.count[k] as number;
      if (n === 0) continue;
      if (!(idx >= 0 && idx < MAX_INDEX)) return false;
      const c = d[idx] as number;
      if (c === 0) touched.push(idx);
      d[idx] = c + n;
    }
    return true;
  }

  add(t: TrendAggregate): boolean {
    if (t.count === 0) return true;
    this.total += t.count;
    if (t.values) {
      if (this.values !== null && !this.binned) {
        for (const x of t.values) this.values.push(x);
        return true;
      }
      return this.#bin(t.values);
    }
    if (!this.#toBins()) return false;
    const d = trendBuckets(t);
    return (d.pos === undefined || this.addBuckets(d.pos, 0)) && (d.neg === undefined || this.addBuckets(d.neg, 1));
  }

  /** A block already merged (for a series' whole run). */
  addBlock(b: TrendBlock): void {
    if (b.values !== null && !this.binned && this.values !== null) {
      for (const x of b.values) this.values.push(x);
      return;
    }
    this.#toBins();
    if (b.pos) this.addBuckets(b.pos, 0);
    if (b.neg) this.addBuckets(b.neg, 1);
  }

  /** Samples into their buckets, as SparseTrend bins them (indexOf never passes MAX_INDEX: values are capped at 2^52). */
  #bin(values: readonly number[]): boolean {
    for (const x of values) {
      const sign = x < 0 ? 1 : 0;
      const idx = indexOf(x);
      if (!(idx >= 0 && idx < MAX_INDEX)) return false;
      const d = this.#dense[sign] as Float64Array;
      if (d[idx] === 0) this.#touched[sign].push(idx);
      d[idx] = (d[idx] as number) + 1;
    }
    return true;
  }

  #toBins(): boolean {
    if (this.binned) return true;
    this.binned = true;
    const values = this.values ?? [];
    this.values = null;
    return this.#bin(values);
  }

  /** The block merged so far, and a fresh start for the next. */
  take(): TrendBlock {
    // Exact samples while there are few enough of them, as BinnedTrend keeps them.
    if (!this.binned && this.values !== null && this.values.length > EXACT_LIMIT) this.#toBins();
    // A block of exact samples carries their buckets too, for windows that hold more than EXACT_LIMIT.
    const values = this.binned ? null : (this.values ?? []);
    if (values !== null) this.#bin(values);
    const block: TrendBlock = { values, pos: this.#extract(0), neg: this.#extract(1) };
    this.values = [];
    this.binned = false;
    this.total = 0;
    return block;
  }

  #extract(sign: 0 | 1): Buckets | null {
    const d = this.#dense[sign] as Float64Array;
    const touched = this.#touched[sign].sort((a, b) => a - b);
    this.#touched[sign] = [];
    if (touched.length === 0) return null;
    const index = Int32Array.from(touched);
    const count = new Float64Array(index.length);
    let total = 0;
    for (let k = 0; k < index.length; k++) {
      const i = index[k] as number;
      const c = d[i] as number;
      count[k] = c;
      total += c;
      d[i] = 0;
    }
    return { index, count, total };
  }
}

let merger: BlockMerge | null = null;

/**
 * The metric's rows from its stored batches (time order, as the store reads them), trend samples merged
 * in blocks of `blockSeconds` from `origin`; null when the copy would hold more than `maxBytes`, or the
 * batches hold an aggregate of another shape than the metric's type (those are folded from the store).
 */
export function buildFinishedMetric(def: Readonly<StoredMetricDef>, batches: readonly StoredMetricsBatch[], opts: { origin: number; blockSeconds: number; maxBytes: number }): FinishedMetric | null {
  const width = COLUMNS[def.type];
  let n = 0;
  for (const b of batches) for (const a of b.series) if (a.metric === def.name) n++;
  const time = new Float64Array(n);
  const sid = new Int32Array(n);
  const values = new Float64Array(n * width);
  const series: Readonly<Record<string, string>>[] = [];
  const byObject = new Map<object, number>();
  const byKey = new Map<string, number>();
  const blockMs = opts.blockSeconds * 1000;
  let bytes = n * (12 + 8 * width);
  if (bytes > opts.maxBytes) return null;
  /** Trends: row indexes of each series, to merge its blocks afterwards. */
  const rowsOf: number[][] = [];
  let i = 0;
  for (const b of batches) {
    for (const a of b.series) {
      if (a.metric !== def.name) continue;
      let s = byObject.get(a.tags);
      if (s === undefined) {
        const key = JSON.stringify(a.tags);
        s = byKey.get(key);
        if (s === undefined) {
          s = series.length;
          series.push(a.tags);
          rowsOf.push([]);
          byKey.set(key, s);
          bytes += SERIES_BYTES + key.length * 2;
        }
        byObject.set(a.tags, s);
      }
      time[i] = b.time;
      sid[i] = s;
      const o = i * width;
      const keys = Object.keys(a).length;
      if (def.type === 'counter') {
        if (!a.counter || keys !== 3) return null;
        values[o] = a.counter.sum;
      } else if (def.type === 'rate') {
        if (!a.rate || keys !== 3) return null;
        values[o] = a.rate.nonzero;
        values[o + 1] = a.rate.total;
      } else if (def.type === 'gauge') {
        if (!a.gauge || keys !== 3) return null;
        const g = a.gauge as { last: number; min: number; max: number; at?: number };
        values[o] = g.last;
        values[o + 1] = g.min;
        values[o + 2] = g.max;
        values[o + 3] = g.at ?? b.time;
      } else {
        if (!a.trend || keys !== 3) return null;
        const t = a.trend as unknown as TrendAggregate;
        values[o] = t.count;
        values[o + 1] = t.sum;
        values[o + 2] = t.count === 0 ? 0 : t.sumSq ?? sumOfSquares(t);
        values[o + 3] = t.min;
        values[o + 4] = t.max;
        (rowsOf[s] as number[]).push(i);
      }
      i++;
    }
  }
  const blocks: (TrendBlock | undefined)[][] = series.map(() => []);
  const whole: (TrendBlock | undefined)[] = [];
  if (def.type === 'trend') {
    const m = (merger ??= new BlockMerge());
    const trends = new Array<TrendAggregate>(n);
    let k = 0;
    for (const b of batches) for (const a of b.series) if (a.metric === def.name) trends[k++] = a.trend as unknown as TrendAggregate;
    for (let s = 0; s < series.length; s++) {
      const rows = rowsOf[s] as number[];
      const out = blocks[s] as (TrendBlock | undefined)[];
      let current = -1;
      const close = (): void => {
        if (current < 0) return;
        const block = m.take();
        out[current] = block;
        bytes += BLOCK_BYTES + (block.values?.length ?? 0) * 8 + ((block.pos?.index.length ?? 0) + (block.neg?.index.length ?? 0)) * 12 + (block.pos ? 64 : 0) + (block.neg ? 64 : 0);
      };
      for (const r of rows) {
        const blockIndex = Math.floor(((time[r] as number) - opts.origin) / blockMs);
        if (blockIndex !== current) {
          close();
          current = blockIndex;
        }
        if (!m.add(trends[r] as TrendAggregate)) {
          m.take();
          return null;
        }
      }
      close();
      for (const block of out) if (block !== undefined) m.addBlock(block);
      const all = m.take();
      whole[s] = all;
      bytes += BLOCK_BYTES + (all.values?.length ?? 0) * 8 + ((all.pos?.index.length ?? 0) + (all.neg?.index.length ?? 0)) * 12;
      if (bytes > opts.maxBytes) return null;
    }
  }
  if (bytes > opts.maxBytes) return null;
  return new FinishedMetric(def, { time, sid, values, series, blocks, whole, origin: opts.origin, blockMs, bytes });
}
