// The compact metrics storage of migration 0002 (run-metrics-repo.ts), on both stores: series stored
// once, binary aggregates, trend histograms at the documented resolution, old rows still read.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAggregate, encodeAggregate, STORED_TREND_BUCKETS } from './run-metrics-repo.ts';
import type { Store, StoredMetricsBatch } from './store.ts';
import { DEFAULT_TEST_DATABASE_URL, openTestStore, postgresReachable, type TestStore, type TestTarget } from './test-stores.ts';

const pgUrl = process.env['STAMPEDE_TEST_DATABASE_URL'] ?? DEFAULT_TEST_DATABASE_URL;
const pgUp = await postgresReachable(pgUrl);
const TARGETS: { name: string; target: TestTarget; skip: boolean }[] = [
  { name: 'sqlite', target: { dialect: 'sqlite' }, skip: false },
  { name: 'postgres', target: { dialect: 'postgres', url: pgUrl }, skip: !pgUp },
];

/** The engine's encoding of these samples (TREND_SCALE 1e6, HdrHistogram (1, 2, 3)). */
function engineHdr(values: readonly number[]): string {
  const h = new hdr.Int32Histogram(1, 2, 3) as JsHistogram;
  h.autoResize = true;
  for (const v of values) h.recordValue(Math.round(v * 1e6));
  return hdr.encodeIntoCompressedBase64(h);
}

function decodeHdr(base64: string): JsHistogram {
  return hdr.decodeFromCompressedBase64(base64, 32) as JsHistogram;
}

async function newRun(store: Store, name: string): Promise<number> {
  const stack = await store.stacks.create(name);
  const lt = await store.loadTests.create(stack.id, { projectId: stack.defaultProjectId, name: 'lt', script: null });
  return (await store.testRuns.create({ stackId: stack.id, loadTestId: lt.id, startedBy: null })).run.id;
}

const samples = Array.from({ length: 2000 }, (_, i) => 1 + ((i * 7919) % 1000) * 0.173);

describe('aggregate encoding', () => {
  it('round-trips counters, gauges, rates and exact trends exactly, and odd shapes as JSON', () => {
    const cases = [
      { counter: { sum: 7 } },
      { counter: { sum: 0.1 + 0.2 } },
      { counter: { sum: -3 } },
      { gauge: { last: 3, min: -1.5, max: 2 ** 45, at: 1_800_000_000_123 } },
      { gauge: { last: -0, min: 0, max: 1 } },
      { rate: { nonzero: 3, total: 4 } },
      { trend: { count: 3, sum: 6.5, sumSq: 15.25, min: 1, max: 3.5, values: [1, 2, 3.5] } },
      { trend: { count: 7, sum: 70, min: 5, max: 20, hdr: 'HISTFAAAA' } },
      { counter: { sum: 1 }, extra: true },
    ];
    for (const c of cases) expect(decodeAggregate(encodeAggregate(c as never))).toEqual(c);
    expect(encodeAggregate({ counter: { sum: 7 } }).length).toBe(2);
  });

  it('stores histograms at 64 buckets per power of two: counts exact, values within 1%, merges exact', () => {
    const encoded = engineHdr(samples);
    const stored = decodeAggregate(encodeAggregate({ trend: { count: samples.length, sum: 0, min: 1, max: 200, hdr: encoded } }));
    expect(encodeAggregate({ trend: { count: samples.length, sum: 0, min: 1, max: 200, hdr: encoded } }).length).toBeLessThan(encoded.length / 2);
    const back = decodeHdr(stored.trend?.hdr as string);
    const exact = decodeHdr(encoded);
    expect(back.totalCount).toBe(exact.totalCount);
    for (const p of [1, 25, 50, 90, 95, 99, 99.9]) {
      const want = exact.getValueAtPercentile(p);
      expect(Math.abs(back.getValueAtPercentile(p) - want) / want).toBeLessThan(0.01);
    }
    // The buckets ride along for readers that merge buckets.
    const buckets = (stored.trend as unknown as Record<symbol, { pos: { total: number } }>)[STORED_TREND_BUCKETS] as { pos: { total: number } };
    expect(buckets.pos.total).toBe(samples.length);
    // Merging two seconds before or after storing gives the same buckets.
    const a = samples.slice(0, 700);
    const b = samples.slice(700);
    const storedA = decodeHdr(decodeAggregate(encodeAggregate({ trend: { count: a.length, sum: 0, min: 0, max: 0, hdr: engineHdr(a) } })).trend?.hdr as string);
    const storedB = decodeHdr(decodeAggregate(encodeAggregate({ trend: { count: b.length, sum: 0, min: 0, max: 0, hdr: engineHdr(b) } })).trend?.hdr as string);
    storedA.add(storedB);
    const storedAll = decodeHdr(stored.trend?.hdr as string);
    for (let i = 0; i < storedAll.countsArrayLength; i++) expect(storedA.getCountAtIndex(i)).toBe(storedAll.getCountAtIndex(i));
  });

  it('reads trend rows of the first layout (8 engine buckets a key, values within 0.5%) beside new ones', () => {
    const encoded = engineHdr(samples);
    const agg = { trend: { count: samples.length, sum: 0, min: 1, max: 200, hdr: encoded } };
    const first = encodeAggregate(agg, 'first');
    const current = encodeAggregate(agg);
    expect(current.length).toBeLessThan(first.length);
    const exact = decodeHdr(encoded);
    for (const [bytes, bound] of [[first, 0.005], [current, 0.01]] as const) {
      const back = decodeHdr(decodeAggregate(bytes).trend?.hdr as string);
      expect(back.totalCount).toBe(exact.totalCount);
      for (const p of [1, 50, 95, 99.9]) {
        const want = exact.getValueAtPercentile(p);
        expect(Math.abs(back.getValueAtPercentile(p) - want) / want).toBeLessThan(bound);
      }
    }
  });
});

for (const { name, target, skip } of TARGETS) {
  describe.skipIf(skip)(`run metrics repo: ${name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(target);
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it('keeps batches of one second from several appends, in order, across a reopen', async () => {
      const store = t.store;
      const runId = await newRun(store, `order-${name}`);
      const defs = [{ name: 'http_reqs', type: 'counter', contains: 'default' } as const];
      const batch = (time: number, sums: number[]): StoredMetricsBatch => ({ time, metrics: defs, series: sums.map((sum, i) => ({ metric: 'http_reqs', tags: { name: `n${i}` }, counter: { sum } })) });
      await store.runMetrics.append(runId, batch(1000, [1, 2]));
      await store.runMetrics.append(runId, batch(1000, [3]));
      const reopened = await t.reopen();
      await reopened.runMetrics.append(runId, { time: 2000, metrics: defs, series: [{ metric: 'http_reqs', tags: { name: 'n9' }, counter: { sum: 9 } }, { metric: 'http_reqs', tags: { name: 'n1' }, counter: { sum: 4 } }] });
      const read = await reopened.runMetrics.read(runId);
      expect(read.map((b) => b.series.map((s) => [s.tags['name'], s.counter?.sum]))).toEqual([
        [['n0', 1], ['n1', 2], ['n0', 3]],
        [['n9', 9], ['n1', 4]],
      ]);
    });

    it('serves a trend read from the store as the engine shape, hdr made on demand', async () => {
      const store = t.store;
      const runId = await newRun(store, `trend-${name}`);
      const trend = { count: samples.length, sum: 1, sumSq: 2, min: 1, max: 173.8, hdr: engineHdr(samples) };
      await store.runMetrics.append(runId, { time: 1000, metrics: [{ name: 'http_req_duration', type: 'trend', contains: 'time' }], series: [{ metric: 'http_req_duration', tags: {}, trend }] });
      const [b] = await store.runMetrics.read(runId, { metric: 'http_req_duration' });
      const got = b?.series[0]?.trend;
      expect(got).toMatchObject({ count: samples.length, sum: 1, sumSq: 2, min: 1, max: 173.8 });
      expect(decodeHdr(got?.hdr as string).totalCount).toBe(samples.length);
      expect(JSON.parse(JSON.stringify(got)).hdr).toBe(got?.hdr);
    });
  });
}

describe('run metrics repo: rows stored before migration 0002', () => {
  it('are read together with new ones', async () => {
    const t = await openTestStore({ dialect: 'sqlite' });
    try {
      const runId = await newRun(t.store, 'legacy');
      await t.store.runMetrics.append(runId, { time: 2000, metrics: [{ name: 'vus', type: 'gauge', contains: 'default' }], series: [{ metric: 'vus', tags: { scenario: 'a' }, gauge: { last: 2, min: 2, max: 2 } }] });
      const raw = new Database(join(t.config.dataDir, 'stampede.db'));
      try {
        raw.prepare('INSERT INTO run_metrics (run_id, time, metric, tags, aggregate) VALUES (?, ?, ?, ?, ?)').run(runId, 1000, 'vus', '{"scenario":"a"}', '{"gauge":{"last":1,"min":1,"max":1}}');
        raw.prepare('INSERT INTO run_metrics (run_id, time, metric, tags, aggregate) VALUES (?, ?, ?, ?, ?)').run(runId, 3000, 'vus', '{"scenario":"a"}', '{"gauge":{"last":3,"min":3,"max":3}}');
      } finally {
        raw.close();
      }
      const read = await t.store.runMetrics.read(runId, { metric: 'vus' });
      expect(read.map((b) => [b.time, b.series[0]?.gauge?.last, b.metrics.map((m) => m.name)])).toEqual([
        [1000, 1, ['vus']],
        [2000, 2, ['vus']],
        [3000, 3, ['vus']],
      ]);
      expect((await t.store.runMetrics.read(runId, { from: 1500, to: 2500 })).map((b) => b.time)).toEqual([2000]);
    } finally {
      await t.dispose();
    }
  });
});
