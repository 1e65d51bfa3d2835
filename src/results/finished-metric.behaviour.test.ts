// A finished run longer than RunMetricsCache keeps as batches: its queries are answered from
// FinishedMetric copies (one store read per metric), with the very numbers the stored seconds give.
// Runs once per store, as the store behaviour suite does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSeconds } from '../../bench/results/seed-hour.ts';
import { DEFAULT_TEST_DATABASE_URL, openTestStore, postgresReachable, type RunMetricsRepo, type Store, type StoredMetricsBatch, type TestRunRecord, type TestStore, type TestTarget } from '../store/index.ts';
import { trendAggregate } from './batches.test-helper.ts';
import { grafanaChecks, grafanaResultSummary } from './grafana-result-summary.ts';
import { listLabels, listLabelValues, listSeries, queryAggregate, queryRange } from './metrics-api.ts';
import { RunMetricsCache } from './run-metrics-cache.ts';
import { capSeries, createSeriesCapState } from './series-cap.ts';

const pgUrl = process.env['STAMPEDE_TEST_DATABASE_URL'] ?? DEFAULT_TEST_DATABASE_URL;
const pgUp = await postgresReachable(pgUrl);
const TARGETS: { name: string; target: TestTarget; skip: boolean }[] = [
  { name: 'sqlite', target: { dialect: 'sqlite' }, skip: false },
  { name: pgUp ? 'postgres' : `postgres (SKIPPED: PostgreSQL unreachable at ${pgUrl})`, target: { dialect: 'postgres', url: pgUrl }, skip: !pgUp },
];

/** 1,500 s: the default step over the whole run is 2 s, so trend samples are kept in 2 s blocks. */
const SECONDS = 1500;
const START = Date.parse('2026-11-01T10:00:00Z');
const s = START / 1000;

/**
 * The bench's synthetic run (4 URL names at 200 requests/s: 50 samples a second per name, sent as exact
 * values; iteration_duration over all of them, as histograms), plus what it lacks: a check, a counter
 * with fractional sums (sums must add in the same order), a trend with negative values and one with
 * seconds of no samples, and a gauge.
 */
function seconds(): StoredMetricsBatch[] {
  const pattern = syntheticSeconds({ names: 4, requestsPerSecond: 200, distinctSeconds: 30 });
  const cap = createSeriesCapState();
  const out: StoredMetricsBatch[] = [];
  for (let i = 0; i < SECONDS; i++) {
    const src = pattern[i % pattern.length] as StoredMetricsBatch;
    const { batch } = capSeries({ ...src, time: START + i * 1000 }, cap);
    const extra = [
      { metric: 'checks', tags: { group: '', check: i % 3 === 0 ? 'a' : 'b' }, rate: { nonzero: 10 - (i % 4), total: 10 } },
      { metric: 'money', tags: { kind: String(i % 2) }, counter: { sum: 0.1 * ((i % 7) + 1) } },
      { metric: 'my_gauge', tags: {}, gauge: { last: i % 13, min: 0, max: i % 17 } },
      trendAggregate('delta', { side: i % 2 === 0 ? 'l' : 'r' }, Array.from({ length: i % 5 === 0 ? 90 : 20 }, (_, k) => ((k * 7 + i) % 19) - 9.5 + k / 100)),
      trendAggregate('sparse', {}, i % 50 === 0 ? [i / 10, i / 20] : []),
    ] as never[];
    batch.series.push(...extra);
    batch.metrics.push(
      { name: 'checks', type: 'rate', contains: 'default' },
      { name: 'money', type: 'counter', contains: 'default' },
      { name: 'my_gauge', type: 'gauge', contains: 'default' },
      { name: 'delta', type: 'trend', contains: 'default' },
      { name: 'sparse', type: 'trend', contains: 'default' },
    );
    out.push(batch);
  }
  return out;
}

function counting(repo: RunMetricsRepo): { repo: RunMetricsRepo; reads: string[] } {
  const reads: string[] = [];
  return { reads, repo: { ...repo, read: (id, opts = {}) => (reads.push(opts.metric ?? '(all)'), repo.read(id, opts)) } };
}

const range = (q: string, m: string, extra = ''): string => `query='${q}',metric='${m}'${extra}`;

// Range and aggregate queries over the whole run at the default step and at multiples of it (from
// the blocks), and at steps and starts that cut blocks (from the stored seconds).
const RANGE: [string, string, string?][] = [
  ['histogram_quantile(0.95) by (name)', 'http_req_duration{expected_response="true"}'],
  ['histogram_quantile(0.95) by (name)', 'http_req_duration', ',step=6'],
  ['histogram_quantile(0.5)', 'http_req_duration', ',step=3'],
  ['histogram_quantile(0.99)', 'iteration_duration', `,step=4,start=${s + 2},end=${s + 1200}`],
  ['histogram_quantile(0.9)', 'iteration_duration', `,step=4,start=${s + 1},end=${s + 1200}`],
  ['histogram_cum_quantile(0.95)', 'http_req_waiting', ',step=60'],
  ['histogram_avg by (name)', 'http_req_duration', ',step=1'],
  ['histogram_stddev', 'http_req_duration'],
  ['histogram_quantile(0.25) by (side)', 'delta', ',step=10'],
  ['histogram_quantile(0.5)', 'sparse', ',step=100'],
  ['histogram_cum_avg', 'delta', ',step=30'],
  ['increase by (name)', 'http_reqs'],
  ['rate', 'money', ',step=7'],
  ['max_rate(5)', 'money', ',step=120'],
  ['cumrate by (kind)', 'money', ',step=50'],
  ['ratio by (check)', 'checks', ',step=30'],
  ['value_z', 'checks', ',step=90'],
  ['avg', 'my_gauge', ',step=9'],
  ['last', 'my_gauge'],
  ['sum(increase by (name, status)) by (status)', 'http_reqs', ',step=20'],
  ['max(histogram_quantile(0.99) by (name))', 'http_req_duration', ',step=10'],
];
const AGGREGATE: [string, string, string?][] = [
  ['histogram_count_increase', 'http_req_duration'],
  ['histogram_min', 'http_req_duration'],
  ['histogram_max by (name)', 'http_req_duration'],
  ['histogram_avg', 'http_req_duration'],
  ['histogram_stddev', 'iteration_duration'],
  ['histogram_sum_increase', 'delta'],
  ['histogram_quantile(0.95)', 'http_req_duration'],
  ['histogram_quantile(0.99) by (name)', 'http_req_duration{name=~".*endpoint-[12]"}'],
  ['histogram_quantile(0.5)', 'delta'],
  ['histogram_quantile(0.95)', 'http_req_duration', `,start=${s + 100},end=${s + 700}`],
  ['histogram_quantile(0.95)', 'http_req_duration', `,start=${s + 101}`],
  // Everything in one window: each series' whole-run samples at once, whatever the start's alignment.
  ['histogram_quantile(0.95) by (name)', 'http_req_duration', `,start=${s - 3}`],
  ['histogram_cum_quantile(0.9)', 'http_req_duration', `,start=${s + 101}`],
  ['histogram_quantile(0.75)', 'delta', `,start=${s - 1},end=${s + SECONDS + 5}`],
  ['histogram_quantile(0.1)', 'sparse'],
  ['increase', 'money'],
  ['max_rate(1)', 'http_reqs'],
  ['increase_nz by (group, check)', 'checks'],
  ['min', 'my_gauge'],
  ['max', 'my_gauge'],
];

for (const { name, target, skip } of TARGETS) {
  describe.skipIf(skip)(`finished run queries: ${name}`, () => {
    let t: TestStore;
    let store: Store;
    let run: TestRunRecord;
    const now = new Date(START + 10 * SECONDS * 1000);

    beforeAll(async () => {
      t = await openTestStore(target);
      store = t.store;
      const seeded = await store.seedFirstStart();
      const lt = await store.loadTests.create(seeded.stackId, { projectId: seeded.projectId, name: 'long', script: null });
      const created = await store.testRuns.create({ stackId: seeded.stackId, loadTestId: lt.id, startedBy: null });
      const id = created.run.id;
      await store.testRuns.transition(id, 'queued', { at: new Date(START - 800) });
      await store.testRuns.transition(id, 'initializing', { at: new Date(START - 600) });
      await store.testRuns.transition(id, 'running', { at: new Date(START + 300) });
      for (const b of seconds()) await store.runMetrics.append(id, b);
      await store.testRuns.transition(id, 'processing_metrics', { at: new Date(START + SECONDS * 1000) });
      run = await store.testRuns.transition(id, 'completed', { at: new Date(START + SECONDS * 1000 + 400), fields: { resultDetails: { type: 'passed', message: null, code: null } } });
    }, 120_000);
    afterAll(async () => {
      await t?.dispose();
    });

    it('answers every query with the numbers the stored seconds give, reading each metric from the store once', async () => {
      // Smaller than the run's metrics, as RunMetricsCache's bound is for a long run.
      const { repo, reads } = counting(store.runMetrics);
      const cache = new RunMetricsCache(repo, { maxAggregates: 1000, buildDelayMs: 0 });
      const direct = store.runMetrics;
      for (const [q, m, extra] of RANGE) {
        const expected = await queryRange(direct, run, range(q, m, extra), now);
        expect(expected.data.result.length, `${q} ${m}${extra ?? ''}`).toBeGreaterThan(0);
        for (let i = 0; i < 3; i++) {
          expect(await queryRange(cache.forRun(run), run, range(q, m, extra), now), `${q} ${m}${extra ?? ''}`).toEqual(expected);
          // The first answer from the stored batches, the next from the copy built from them.
          await cache.settled();
        }
      }
      for (const [q, m, extra] of AGGREGATE) {
        const expected = await queryAggregate(direct, run, range(q, m, extra), now);
        expect(expected.data.result.length, `${q} ${m}${extra ?? ''}`).toBeGreaterThan(0);
        for (let i = 0; i < 3; i++) {
          expect(await queryAggregate(cache.forRun(run), run, range(q, m, extra), now), `${q} ${m}${extra ?? ''}`).toEqual(expected);
          await cache.settled();
        }
      }
      for (const match of [['http_req_duration'], ['http_req_duration{name=~".*-[03]"}', 'checks'], ['delta', 'sparse']]) {
        expect(await listSeries(cache.forRun(run), run, match)).toEqual(await listSeries(direct, run, match));
        expect(await listLabels(cache.forRun(run), run, match)).toEqual(await listLabels(direct, run, match));
        expect(await listLabelValues(cache.forRun(run), run, 'name', match)).toEqual(await listLabelValues(direct, run, 'name', match));
      }
      await cache.settled();
      expect(await grafanaResultSummary(cache.forRun(run), run, null, now)).toEqual(await grafanaResultSummary(direct, run, null, now));
      expect(await grafanaChecks(cache.forRun(run), run, { rootGroupOnly: false }, now)).toEqual(await grafanaChecks(direct, run, { rootGroupOnly: false }, now));
      // Without the copies every query above read its metric again (over 100 reads).
      const perMetric = new Map<string, number>();
      for (const m of reads) perMetric.set(m, (perMetric.get(m) ?? 0) + 1);
      // Once for its first query (and its copy); each later query whose windows cut the 2 s blocks of a
      // trend's samples once more (the cache's bound here is too small to keep that metric's batches):
      // http_req_duration's two (step 3, start at an odd second) and iteration_duration's one (start at
      // an odd second), three times each.
      expect(Object.fromEntries(perMetric)).toEqual({
        http_req_duration: 7, iteration_duration: 4, http_req_waiting: 1, delta: 1, sparse: 1, http_reqs: 1, money: 1, checks: 1, my_gauge: 1, http_req_failed: 1,
      });
      expect(cache.finishedBytes).toBeGreaterThan(0);
    }, 120_000);
  });
}
