// Per-second metric aggregates of a run (migration 0002):
//
// - Each series (metric + tag set; tags as JSON with sorted keys, so one series has one spelling) is
//   stored once in `run_series` with a per-run number; each second's aggregate of it is a row of
//   `run_metric_points` holding that number and the aggregate in a small binary encoding (below).
// - Runs stored before migration 0002 keep their rows in `run_metrics` (tags and JSON per row); they
//   are read as before.
//
// The binary encoding of an aggregate (`encodeAggregate`): a kind byte, then numbers as varints
// (integers below 2^40, zigzag, shifted left one bit) or a 1 followed by the float64 (little endian).
//   counter: sum · gauge: flags (1: `at`), last, min, max[, at] · rate: nonzero, total
//   trend: flags, count, sum[, sumSq], min, max, then `values` (n, values) or the histograms'
//          buckets (n, the n key deltas, the n counts; raw-deflated when that is smaller) for `hdr`
//          and `hdrNeg`.
//   Anything else (an aggregate of a shape this code does not know, a histogram it cannot read) is
//   stored as JSON behind kind 0, unchanged.
//
// Trend histograms: the engine sends HdrHistograms with 3 significant digits (1024 buckets per power
// of two from 1024 up, values recorded as round(|v|·1e6); below 1024 one bucket per integer). They
// are stored at 1/8 of that resolution from recorded value 1024 (1 µs for ms trends) up: 128 buckets
// per power of two, each read back as the engine bucket in its middle. A stored value is thus within
// 0.45% of the recorded one (percentiles stay well within the 1% the API promises); merges stay
// exact, since a stored bucket is a whole number of engine buckets. The bytes of a 1,000-sample
// second drop from ~400 (base64 V2) to ~110.
// On read, `hdr`/`hdrNeg` are V2 base64 strings made on first access (most readers never ask): the
// decoded buckets ride along under STORED_TREND_BUCKETS for `results`, which merges them directly.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import type { Kysely } from 'kysely';
import { StampedeError, decodeV2Buckets } from '../core/index.ts';
import type { Database } from './schema.ts';
import { isForeignKeyViolation } from './sql-errors.ts';
import type { RunMetricsRepo, StoredMetricDef, StoredMetricsBatch, StoredSeriesAggregate } from './store.ts';
import { storeWork } from './query-bounds.ts';

// Keeps multi-row inserts under SQLite's bound-parameter limit (5 columns per row).
const ROWS_PER_INSERT = 500;
/** Runs whose series numbers are kept in memory for appends (least recently appended go first). */
const CACHED_RUNS = 64;
/** A metric filter with more series than this reads all the run's points and filters here. */
const MAX_SERIES_IN_FILTER = 500;

/**
 * Non-enumerable property of a trend read from the store: its histograms' non-empty buckets
 * (engine bucket indexes ascending, counts), so readers that work with buckets need not decode `hdr`.
 */
export const STORED_TREND_BUCKETS: unique symbol = Symbol.for('stampede.storedTrendBuckets');

export interface StoredBuckets {
  readonly index: Int32Array;
  readonly count: Float64Array;
  readonly total: number;
}

function canonicalTags(tags: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

type Aggregate = Omit<StoredSeriesAggregate, 'metric' | 'tags'>;

// ---- histogram geometry: an HdrHistogram (1, 2, 3), as the engine records trends ----

const GEOMETRY = new hdr.Int32Histogram(1, 2, 3) as JsHistogram;
/** Engine buckets below this hold one integer each (values below 1024·1e-6); kept as they are. */
const EXACT_BELOW = 1024;

/**
 * Engine buckets per stored key above EXACT_BELOW, as a shift: 16 (rows written since session 2; rows
 * of the first layout hold 8 and say so by their bucket mode byte). A magnitude of the engine's
 * histogram is 1,024 buckets of equal width, so a key spans at most 16/1,024 of its value: read back
 * as its middle bucket, a value is off by at most 0.78 % (+ the engine's 0.05 %), inside the 1 %
 * percentiles are promised to; the keys of a second take ~40 % fewer bytes than with 8.
 */
const KEY_SHIFT = 4;
const FIRST_LAYOUT_SHIFT = 3;

/** Stored key of an engine bucket index: exact below EXACT_BELOW, 2^shift engine buckets a key above. */
const keyOf = (index: number, shift: number): number => (index < EXACT_BELOW ? index : EXACT_BELOW + ((index - EXACT_BELOW) >> shift));
/** The engine bucket a key reads back as: its own, or the middle one of its 2^shift. */
const indexOfKey = (key: number, shift: number): number =>
  key < EXACT_BELOW ? key : EXACT_BELOW + ((key - EXACT_BELOW) << shift) + (1 << (shift - 1));

function toV2Base64(b: StoredBuckets): string {
  const h = new hdr.Int32Histogram(1, 2, 3) as JsHistogram;
  h.autoResize = true;
  for (let i = 0; i < b.index.length; i++) h.recordValueWithCount(GEOMETRY.valueFromIndex(b.index[i] as number), b.count[i] as number);
  const out = hdr.encodeIntoCompressedBase64(h);
  h.destroy();
  return out;
}

// ---- bytes ----

const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

class Writer {
  buf = new Uint8Array(64);
  len = 0;

  #room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  byte(b: number): void {
    this.#room(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Unsigned integer below 2^53. */
  varint(v: number): void {
    this.#room(8);
    while (v >= 128) {
      this.buf[this.len++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }

  num(v: number): void {
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 40 && !Object.is(v, -0)) {
      this.varint((v >= 0 ? v * 2 : -v * 2 - 1) * 2);
      return;
    }
    this.varint(1);
    this.#room(8);
    F64[0] = v;
    // Little endian on disk, whatever the machine.
    for (let i = 0; i < 8; i++) this.buf[this.len++] = F64_BYTES[LITTLE_ENDIAN ? i : 7 - i] as number;
  }

  /** A Buffer: what both database drivers bind as a blob. */
  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

class Reader {
  pos = 0;
  readonly #view: DataView;
  constructor(readonly buf: Uint8Array) {
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  byte(): number {
    return this.buf[this.pos++] ?? 0;
  }

  varint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new Error('truncated metrics row');
      v += (b & 0x7f) * scale;
      if (b < 128) return v;
      scale *= 128;
    }
  }

  num(): number {
    const u = this.varint();
    if (u === 1) {
      const v = this.#view.getFloat64(this.pos, true);
      this.pos += 8;
      return v;
    }
    const z = u / 2;
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}

const KIND_JSON = 0;
const KIND_COUNTER = 1;
const KIND_GAUGE = 2;
const KIND_RATE = 3;
const KIND_TREND = 4;

const T_SUMSQ = 1;
const T_VALUES = 2;
const T_HDR = 4;
const T_HDR_NEG = 8;

/** Bucket modes: how the keys are grouped (8 or 16 engine buckets) and whether the body is deflated. */
const BUCKETS_PLAIN = 0;
const BUCKETS_DEFLATED = 1;
const BUCKETS16_PLAIN = 2;
const BUCKETS16_DEFLATED = 3;

function isNum(v: unknown): v is number {
  return typeof v === 'number';
}

function only(o: object, keys: readonly string[]): boolean {
  return Object.keys(o).every((k) => keys.includes(k));
}

function writeBuckets(w: Writer, b: { index: number[]; count: number[] }, shift: number): void {
  const body = new Writer();
  const keys: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < b.index.length; i++) {
    const k = keyOf(b.index[i] as number, shift);
    if (keys[keys.length - 1] === k) counts[counts.length - 1] = (counts[counts.length - 1] as number) + (b.count[i] as number);
    else {
      keys.push(k);
      counts.push(b.count[i] as number);
    }
  }
  // Columns (all key deltas, then all counts) deflate better than pairs.
  body.varint(keys.length);
  let prev = 0;
  for (let i = 0; i < keys.length; i++) {
    body.varint((keys[i] as number) - prev);
    prev = keys[i] as number;
  }
  for (let i = 0; i < counts.length; i++) body.varint(counts[i] as number);
  const plain = body.done();
  const deflated = plain.length > 64 ? deflateRawSync(plain) : null;
  if (deflated !== null && deflated.length + 2 < plain.length) {
    w.byte(shift === FIRST_LAYOUT_SHIFT ? BUCKETS_DEFLATED : BUCKETS16_DEFLATED);
    w.varint(deflated.length);
    w.bytes(deflated);
  } else {
    w.byte(shift === FIRST_LAYOUT_SHIFT ? BUCKETS_PLAIN : BUCKETS16_PLAIN);
    w.varint(plain.length);
    w.bytes(plain);
  }
}

function readBuckets(r: Reader): StoredBuckets {
  const mode = r.byte();
  const n = r.varint();
  const chunk = r.buf.subarray(r.pos, r.pos + n);
  r.pos += n;
  const deflated = mode === BUCKETS_DEFLATED || mode === BUCKETS16_DEFLATED;
  const shift = mode === BUCKETS16_PLAIN || mode === BUCKETS16_DEFLATED ? KEY_SHIFT : FIRST_LAYOUT_SHIFT;
  const body = new Reader(deflated ? inflateRawSync(chunk) : chunk);
  const size = body.varint();
  const index = new Int32Array(size);
  const count = new Float64Array(size);
  let key = 0;
  let total = 0;
  for (let i = 0; i < size; i++) {
    key += body.varint();
    index[i] = indexOfKey(key, shift);
  }
  for (let i = 0; i < size; i++) {
    const c = body.varint();
    count[i] = c;
    total += c;
  }
  return { index, count, total };
}

function jsonRow(agg: Aggregate): Uint8Array {
  return Buffer.concat([Buffer.of(KIND_JSON), Buffer.from(JSON.stringify(agg), 'utf8')]);
}

/** The stored bytes of one aggregate (metric and tags are the series'). */
/**
 * One aggregate as a row's bytes. `layout: 'first'` writes trend buckets as rows stored before
 * session 2 have them (8 engine buckets a key), for tests that old rows still read back.
 */
export function encodeAggregate(agg: Aggregate, layout: 'current' | 'first' = 'current'): Uint8Array {
  const shift = layout === 'first' ? FIRST_LAYOUT_SHIFT : KEY_SHIFT;
  const w = new Writer();
  const a = agg as Record<string, unknown>;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  if (keys.length !== 1) return jsonRow(agg);
  if (agg.counter && only(agg.counter, ['sum']) && isNum(agg.counter.sum)) {
    w.byte(KIND_COUNTER);
    w.num(agg.counter.sum);
    return w.done();
  }
  if (agg.gauge) {
    const g = agg.gauge as { last: number; min: number; max: number; at?: number };
    if (!only(g, ['last', 'min', 'max', 'at']) || !isNum(g.last) || !isNum(g.min) || !isNum(g.max) || (g.at !== undefined && !isNum(g.at))) return jsonRow(agg);
    w.byte(KIND_GAUGE);
    w.byte(g.at === undefined ? 0 : 1);
    w.num(g.last);
    w.num(g.min);
    w.num(g.max);
    if (g.at !== undefined) w.num(g.at);
    return w.done();
  }
  if (agg.rate) {
    if (!only(agg.rate, ['nonzero', 'total']) || !isNum(agg.rate.nonzero) || !isNum(agg.rate.total)) return jsonRow(agg);
    w.byte(KIND_RATE);
    w.num(agg.rate.nonzero);
    w.num(agg.rate.total);
    return w.done();
  }
  if (agg.trend) {
    const t = agg.trend as { count: number; sum: number; sumSq?: number; min: number; max: number; values?: number[]; hdr?: string; hdrNeg?: string };
    if (!only(t, ['count', 'sum', 'sumSq', 'min', 'max', 'values', 'hdr', 'hdrNeg'])) return jsonRow(agg);
    if (![t.count, t.sum, t.min, t.max].every(isNum) || (t.sumSq !== undefined && !isNum(t.sumSq))) return jsonRow(agg);
    if (t.values !== undefined && (!Array.isArray(t.values) || !t.values.every(isNum) || t.hdr !== undefined || t.hdrNeg !== undefined)) return jsonRow(agg);
    const pos = t.hdr === undefined ? null : decodeV2Buckets(t.hdr);
    const neg = t.hdrNeg === undefined ? null : decodeV2Buckets(t.hdrNeg);
    if ((t.hdr !== undefined && pos === null) || (t.hdrNeg !== undefined && neg === null)) return jsonRow(agg);
    const flags = (t.sumSq === undefined ? 0 : T_SUMSQ) | (t.values === undefined ? 0 : T_VALUES) | (pos === null ? 0 : T_HDR) | (neg === null ? 0 : T_HDR_NEG);
    w.byte(KIND_TREND);
    w.byte(flags);
    w.num(t.count);
    w.num(t.sum);
    if (t.sumSq !== undefined) w.num(t.sumSq);
    w.num(t.min);
    w.num(t.max);
    if (t.values !== undefined) {
      w.varint(t.values.length);
      for (const v of t.values) w.num(v);
    }
    if (pos !== null) writeBuckets(w, pos, shift);
    if (neg !== null) writeBuckets(w, neg, shift);
    return w.done();
  }
  return jsonRow(agg);
}

// `hdr`/`hdrNeg` of a stored trend: V2 base64 made from its buckets on first read, then kept (and
// assignable like any other property). One getter/setter pair for all objects, so that they share one
// hidden class (distinct closures would give each object its own and make every reader megamorphic).
type WithBuckets = { [STORED_TREND_BUCKETS]?: { pos?: StoredBuckets; neg?: StoredBuckets } };
const hdrValues = { hdr: new WeakMap<object, string>(), hdrNeg: new WeakMap<object, string>() };

function hdrAccessor(key: 'hdr' | 'hdrNeg'): PropertyDescriptor {
  const values = hdrValues[key];
  return {
    enumerable: true,
    configurable: true,
    get(this: WithBuckets): string | undefined {
      let v = values.get(this);
      if (v === undefined) {
        const b = this[STORED_TREND_BUCKETS]?.[key === 'hdr' ? 'pos' : 'neg'];
        if (b === undefined) return undefined;
        v = toV2Base64(b);
        values.set(this, v);
      }
      return v;
    },
    set(this: WithBuckets, v: string): void {
      values.set(this, v);
    },
  };
}
const HDR_ACCESSOR = hdrAccessor('hdr');
const HDR_NEG_ACCESSOR = hdrAccessor('hdrNeg');

export function decodeAggregate(data: Uint8Array): Aggregate {
  const r = new Reader(data);
  const kind = r.byte();
  switch (kind) {
    case KIND_COUNTER:
      return { counter: { sum: r.num() } };
    case KIND_GAUGE: {
      const hasAt = r.byte() === 1;
      const g: { last: number; min: number; max: number; at?: number } = { last: r.num(), min: r.num(), max: r.num() };
      if (hasAt) g.at = r.num();
      return { gauge: g };
    }
    case KIND_RATE:
      return { rate: { nonzero: r.num(), total: r.num() } };
    case KIND_TREND: {
      const flags = r.byte();
      const count = r.num();
      const sum = r.num();
      const sumSq = flags & T_SUMSQ ? r.num() : undefined;
      const min = r.num();
      const max = r.num();
      // Objects of one shape (fields in one order) for the readers' sake.
      const t: Record<string, unknown> = sumSq === undefined ? { count, sum, min, max } : { count, sum, sumSq, min, max };
      if (flags & T_VALUES) {
        const n = r.varint();
        const values = new Array<number>(n);
        for (let i = 0; i < n; i++) values[i] = r.num();
        t['values'] = values;
      }
      if (flags & (T_HDR | T_HDR_NEG)) {
        const buckets: { pos?: StoredBuckets; neg?: StoredBuckets } = {};
        if (flags & T_HDR) buckets.pos = readBuckets(r);
        if (flags & T_HDR_NEG) buckets.neg = readBuckets(r);
        Object.defineProperty(t, STORED_TREND_BUCKETS, { value: buckets, enumerable: false });
        if (flags & T_HDR) Object.defineProperty(t, 'hdr', HDR_ACCESSOR);
        if (flags & T_HDR_NEG) Object.defineProperty(t, 'hdrNeg', HDR_NEG_ACCESSOR);
      }
      return { trend: t as unknown as StoredSeriesAggregate['trend'] };
    }
    default:
      return JSON.parse(Buffer.from(data.buffer, data.byteOffset + 1, data.byteLength - 1).toString('utf8')) as Aggregate;
  }
}

// ---- the repository ----

interface RunSeries {
  /** `${metric}\u0000${canonical tags}` → series number. */
  readonly ids: Map<string, number>;
  next: number;
  /** The second of the latest append through this repo and the next free position in it. */
  lastTime: number;
  nextPos: number;
}

interface SeriesRow {
  metric: string;
  tags: Record<string, string>;
}

export function runMetricsRepo(db: Kysely<Database>): RunMetricsRepo {
  const runs = new Map<number, RunSeries>();
  /** Appends of one run, one after the other (series numbers are handed out in order). */
  const chains = new Map<number, Promise<unknown>>();

  async function seriesOf(runId: number): Promise<RunSeries> {
    let s = runs.get(runId);
    if (s) {
      runs.delete(runId);
      runs.set(runId, s);
      return s;
    }
    const rows = await db.selectFrom('run_series').select(['series_id', 'metric', 'tags']).where('run_id', '=', runId).execute();
    s = { ids: new Map(), next: 0, lastTime: NaN, nextPos: 0 };
    for (const row of rows) {
      s.ids.set(`${row.metric}\u0000${row.tags}`, Number(row.series_id));
      s.next = Math.max(s.next, Number(row.series_id) + 1);
    }
    runs.set(runId, s);
    for (const key of runs.keys()) {
      if (runs.size <= CACHED_RUNS) break;
      runs.delete(key);
    }
    return s;
  }

  async function appendNow(runId: number, batch: StoredMetricsBatch): Promise<void> {
    const known = await seriesOf(runId);
    const newSeries: { run_id: number; series_id: number; metric: string; tags: string }[] = [];
    const points = batch.series.map((s, pos) => {
      const { metric, tags, ...aggregate } = s;
      const canonical = canonicalTags(tags);
      const key = `${metric}\u0000${canonical}`;
      let id = known.ids.get(key);
      if (id === undefined) {
        id = known.next++;
        known.ids.set(key, id);
        newSeries.push({ run_id: runId, series_id: id, metric, tags: canonical });
      }
      return { run_id: runId, time: batch.time, pos, series_id: id, data: encodeAggregate(aggregate) };
    });
    try {
      await db.transaction().execute(async (trx) => {
        if (batch.metrics.length > 0) {
          await trx
            .insertInto('run_metric_defs')
            .values(batch.metrics.map((m) => ({ run_id: runId, name: m.name, type: m.type, contains: m.contains })))
            .onConflict((oc) => oc.columns(['run_id', 'name']).doNothing())
            .execute();
        }
        for (let i = 0; i < newSeries.length; i += ROWS_PER_INSERT) {
          await trx.insertInto('run_series').values(newSeries.slice(i, i + ROWS_PER_INSERT)).execute();
        }
        // Several batches of one second (one per engine thread or runner) follow each other's positions.
        // Appends come in time order: only a second older than the latest, or the first append through
        // this repo, needs to look up what is stored.
        let base = 0;
        if (batch.time === known.lastTime) base = known.nextPos;
        else if (!(batch.time > known.lastTime)) {
          const last = await trx.selectFrom('run_metric_points').select((eb) => eb.fn.max('pos').as('pos')).where('run_id', '=', runId).where('time', '=', batch.time).executeTakeFirst();
          base = last?.pos === null || last?.pos === undefined ? 0 : Number(last.pos) + 1;
        }
        if (!(batch.time < known.lastTime)) {
          known.lastTime = batch.time;
          known.nextPos = base + points.length;
        }
        for (let i = 0; i < points.length; i += ROWS_PER_INSERT) {
          await trx
            .insertInto('run_metric_points')
            .values(points.slice(i, i + ROWS_PER_INSERT).map((p) => ({ ...p, pos: p.pos + base })))
            .execute();
        }
      });
    } catch (err) {
      // Numbers handed out above were not stored: read them afresh next time.
      runs.delete(runId);
      // The run was deleted by a concurrent request.
      if (isForeignKeyViolation(err)) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Test run not found');
      throw err;
    }
  }

  async function readLegacy(runId: number, opts: { metric?: string; from?: number; to?: number }): Promise<{ time: number; metric: string; tags: Record<string, string>; aggregate: Aggregate }[]> {
    let q = db.selectFrom('run_metrics').select(['time', 'metric', 'tags', 'aggregate']).where('run_id', '=', runId);
    if (opts.metric !== undefined) q = q.where('metric', '=', opts.metric);
    if (opts.from !== undefined) q = q.where('time', '>=', opts.from);
    if (opts.to !== undefined) q = q.where('time', '<', opts.to);
    const rows = await q.orderBy('time').orderBy('id').execute();
    return rows.map((row) => ({ time: Number(row.time), metric: row.metric, tags: JSON.parse(row.tags) as Record<string, string>, aggregate: JSON.parse(row.aggregate) as Aggregate }));
  }

  async function listMetrics(runId: number): Promise<StoredMetricDef[]> {
    const rows = await db.selectFrom('run_metric_defs').select(['name', 'type', 'contains']).where('run_id', '=', runId).orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, type: r.type, contains: r.contains }) as StoredMetricDef);
  }

  async function readNow(runId: number, opts: { metric?: string; from?: number; to?: number }): Promise<StoredMetricsBatch[]> {
    let sq = db.selectFrom('run_series').select(['series_id', 'metric', 'tags']).where('run_id', '=', runId);
    if (opts.metric !== undefined) sq = sq.where('metric', '=', opts.metric);
    const [seriesRows, defs, legacy] = await Promise.all([sq.execute(), listMetrics(runId), readLegacy(runId, opts)]);
    const series = new Map<number, SeriesRow>();
    // One tag object per series, shared by all its seconds.
    for (const row of seriesRows) series.set(Number(row.series_id), { metric: row.metric, tags: JSON.parse(row.tags) as Record<string, string> });
    let points: { time: number; series_id: number; data: Uint8Array }[] = [];
    if (series.size > 0) {
      let pq = db.selectFrom('run_metric_points').select(['time', 'series_id', 'data']).where('run_id', '=', runId);
      if (opts.metric !== undefined && series.size <= MAX_SERIES_IN_FILTER) pq = pq.where('series_id', 'in', [...series.keys()]);
      if (opts.from !== undefined) pq = pq.where('time', '>=', opts.from);
      if (opts.to !== undefined) pq = pq.where('time', '<', opts.to);
      points = await pq.orderBy('time').orderBy('pos').execute();
    }
    const defByName = new Map(defs.map((d) => [d.name, d]));
    const batches: StoredMetricsBatch[] = [];
    let current: StoredMetricsBatch | undefined;
    let seen = new Set<string>();
    const push = (time: number, metric: string, s: StoredSeriesAggregate): void => {
      if (current === undefined || current.time !== time) {
        current = { time, metrics: [], series: [] };
        seen = new Set();
        batches.push(current);
      }
      const def = defByName.get(metric);
      if (def !== undefined && !seen.has(metric)) {
        seen.add(metric);
        current.metrics.push(def);
      }
      current.series.push(s);
    };
    // Old rows first within a second (a run stored across the upgrade), both in time order.
    let li = 0;
    for (const p of points) {
      const time = Number(p.time);
      for (; li < legacy.length && (legacy[li]?.time as number) <= time; li++) {
        const l = legacy[li] as (typeof legacy)[number];
        push(l.time, l.metric, { metric: l.metric, tags: l.tags, ...l.aggregate });
      }
      const s = series.get(Number(p.series_id));
      if (s === undefined) continue;
      push(time, s.metric, { metric: s.metric, tags: s.tags, ...decodeAggregate(p.data) });
    }
    for (; li < legacy.length; li++) {
      const l = legacy[li] as (typeof legacy)[number];
      push(l.time, l.metric, { metric: l.metric, tags: l.tags, ...l.aggregate });
    }
    return batches;
  }

  return {
    append(runId, batch) {
      const prev = chains.get(runId) ?? Promise.resolve();
      const next = prev.catch(() => undefined).then(() => appendNow(runId, batch));
      const settled = next.catch(() => undefined);
      chains.set(runId, settled);
      void settled.then(() => {
        if (chains.get(runId) === settled) chains.delete(runId);
      });
      return next;
    },
    read(runId, opts = {}) {
      // Long: a long run has millions of points.
      return storeWork('long', () => readNow(runId, opts));
    },
    listMetrics,
  };
}
