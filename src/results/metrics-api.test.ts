import { describe, expect, it } from 'vitest';
import { StampedeError } from '../core/index.ts';
import { RunMetrics } from '../engine/index.ts';
import type { MetricsBatch } from '../engine/index.ts';
import type { StoredMetricsBatch } from '../store/index.ts';
import { T0, batch, exactPercentile, memoryRepo, trendAggregate } from './batches.test-helper.ts';
import { listLabels, listLabelValues, listRunMetrics, listSeries, queryAggregate, queryRange, type RunForMetrics } from './metrics-api.ts';

const RUN_ID = 7;
const NOW = new Date(T0 + 3_600_000);
const run = (endSecond: number): RunForMetrics => ({
  id: RUN_ID,
  statusHistory: [
    { type: 'created', entered: new Date(T0 - 5000).toISOString(), extra: null },
    { type: 'running', entered: new Date(T0 + 200).toISOString(), extra: null },
  ],
  ended: new Date(T0 + endSecond * 1000),
});

const counter = (tags: Record<string, string>, sum: number) => ({ metric: 'http_reqs', tags, counter: { sum } });
const rate = (metric: string, tags: Record<string, string>, nonzero: number, total: number) => ({ metric, tags, rate: { nonzero, total } });
const gauge = (value: number, at: number) => ({ metric: 'vus', tags: {}, gauge: { last: value, min: value, max: value, at } });

/** Six seconds of two endpoints; `/a` answers 200, `/b` 200 or 500. */
function sixSeconds(): StoredMetricsBatch[] {
  const out: StoredMetricsBatch[] = [];
  for (let s = 0; s < 6; s++) {
    out.push(
      batch(s, [
        counter({ name: '/a', status: '200' }, 10),
        counter({ name: '/b', status: '200' }, s),
        counter({ name: '/b', status: '500' }, 1),
        rate('checks', { check: 'ok', group: '' }, 3, 4),
        gauge(s + 1, T0 + s * 1000 + 900),
      ]),
    );
  }
  return out;
}

function values(answer: { data: { result: { metric: Record<string, string>; values: [number, number][] }[] } }): Record<string, [number, number][]> {
  return Object.fromEntries(answer.data.result.map((r) => [JSON.stringify(Object.fromEntries(Object.entries(r.metric).filter(([k]) => k !== '__name__' && k !== 'test_run_id'))), r.values]));
}

async function badRequest(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StampedeError);
    expect((err as StampedeError).status).toBe(400);
    return (err as StampedeError).message;
  }
  throw new Error('expected a 400');
}

describe('counter methods', () => {
  const repo = memoryRepo(RUN_ID, sixSeconds());

  it('increase by (name) per 2-second step, labelled like Grafana (__name__, test_run_id, by labels)', async () => {
    const answer = await queryRange(repo, run(6), "query='increase by (name)',metric='http_reqs',step=2", NOW);
    expect(answer.status).toBe('success');
    expect(answer.data.resultType).toBe('matrix');
    const a = answer.data.result.find((r) => r.metric['name'] === '/a');
    expect(a?.metric).toEqual({ __name__: 'http_reqs', name: '/a', test_run_id: '7' });
    const t = T0 / 1000;
    expect(a?.values).toEqual([[t + 2, 20], [t + 4, 20], [t + 6, 20]]);
    // /b: 200s 0+1, 2+3, 4+5 plus one 500 per second
    expect(values(answer)['{"name":"/b"}']).toEqual([[t + 2, 3], [t + 4, 7], [t + 6, 11]]);
  });

  it('rate divides by the step; value and cumrate accumulate from the run start', async () => {
    const t = T0 / 1000;
    const r = await queryRange(repo, run(6), "query='rate',metric='http_reqs{name=\"/a\"}',step=2", NOW);
    expect(r.data.result[0]?.values).toEqual([[t + 2, 10], [t + 4, 10], [t + 6, 10]]);
    const v = await queryRange(repo, run(6), "query='value',metric='http_reqs{name=\"/a\"}',step=3", NOW);
    expect(v.data.result[0]?.values).toEqual([[t + 3, 30], [t + 6, 60]]);
    // A window starting later still counts everything since the start of the run.
    const later = await queryAggregate(repo, run(6), `query='cumrate',metric='http_reqs{name="/a"}',start=${t + 4},end=${t + 6}`, NOW);
    expect(later.data.result[0]?.values).toEqual([[t + 6, 10]]);
  });

  it('max_rate(n): the peak rate over n consecutive seconds', async () => {
    // /b answers 200 0..5 times plus one 500 each second: per-second totals 1..6.
    const q = (n: number) => queryAggregate(repo, run(6), `query='max_rate(${n})',metric='http_reqs{name="/b"}'`, NOW).then((a) => a.data.result[0]?.values[0]?.[1]);
    expect(await q(1)).toBe(6);
    expect(await q(2)).toBe(5.5);
    expect(await q(6)).toBe(3.5);
    expect(await q(10)).toBe(2.1);
    expect(await badRequest(q(0))).toMatch(/whole number of seconds/);
  });

  it('aggregate increase over the whole run, and over a sub-window given as ISO dates', async () => {
    const all = await queryAggregate(repo, run(6), "query='increase',metric='http_reqs'", NOW);
    expect(all.data.resultType).toBe('vector');
    expect(all.data.result).toHaveLength(1);
    expect(all.data.result[0]?.values[0]?.[1]).toBe(60 + 15 + 6);
    const window = await queryAggregate(repo, run(6), `query='increase',metric='http_reqs{status!="500"}',start=${new Date(T0 + 1000).toISOString()},end=${new Date(T0 + 3000).toISOString()}`, NOW);
    expect(window.data.result[0]?.values).toEqual([[T0 / 1000 + 3, 20 + 1 + 2]]);
  });

  it('label matchers =, !=, =~ and !~ select series (regexes anchored)', async () => {
    const q = (m: string) => queryAggregate(repo, run(6), `query='increase by (name,status)',metric='http_reqs{${m}}'`, NOW).then((a) => Object.keys(values(a)).sort());
    expect(await q('status="500"')).toEqual(['{"name":"/b","status":"500"}']);
    expect(await q('status!="500"')).toEqual(['{"name":"/a","status":"200"}', '{"name":"/b","status":"200"}']);
    expect(await q('status=~"2\\d\\d",name=~"/(a|b)"')).toEqual(['{"name":"/a","status":"200"}', '{"name":"/b","status":"200"}']);
    expect(await q('name=~"/"')).toEqual([]);
    expect(await q('name!~"/a"')).toEqual(['{"name":"/b","status":"200"}', '{"name":"/b","status":"500"}']);
  });

  it('sum(increase by (name,status)) by (status) regroups the inner series', async () => {
    const a = await queryAggregate(repo, run(6), "query='sum(increase by (name,status)) by (status)',metric='http_reqs'", NOW);
    expect(values(a)).toEqual({ '{"status":"200"}': [[T0 / 1000 + 6, 75]], '{"status":"500"}': [[T0 / 1000 + 6, 6]] });
    const max = await queryAggregate(repo, run(6), "query='max(increase by (name))',metric='http_reqs'", NOW);
    expect(max.data.result[0]?.values[0]?.[1]).toBe(60);
  });
});

describe('gauge and rate methods', () => {
  const repo = memoryRepo(RUN_ID, sixSeconds());
  const t = T0 / 1000;

  it('gauge last, min, max and avg per window', async () => {
    const q = (m: string) => queryRange(repo, run(6), `query='${m}',metric='vus',step=3`, NOW).then((a) => a.data.result[0]?.values);
    expect(await q('last')).toEqual([[t + 3, 3], [t + 6, 6]]);
    expect(await q('min')).toEqual([[t + 3, 1], [t + 6, 4]]);
    expect(await q('max')).toEqual([[t + 3, 3], [t + 6, 6]]);
    expect(await q('avg')).toEqual([[t + 3, 2], [t + 6, 5]]);
  });

  it('ratio, non-zero and zero counts, totals and their per-second rates', async () => {
    const q = async (m: string) => (await queryAggregate(repo, run(6), `query='${m}',metric='checks'`, NOW)).data.result[0]?.values[0]?.[1];
    expect(await q('ratio')).toBe(0.75);
    expect(await q('increase_nz')).toBe(18);
    expect(await q('increase_z')).toBe(6);
    expect(await q('increase')).toBe(24);
    expect(await q('rate')).toBe(4);
    expect(await q('rate_nz')).toBe(3);
    expect(await q('value_z')).toBe(6);
    expect(await q('ratio by (check)')).toBe(0.75);
  });
});

describe('trend methods over several runners', () => {
  // Two runners report the same series each second; each second holds 200 samples per runner.
  const samples: number[][] = [];
  const batches: StoredMetricsBatch[] = [];
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let s = 0; s < 4; s++) {
    const perRunner = [0, 1].map((r) => Array.from({ length: 200 }, () => (r === 0 ? 20 + random() * 80 : 100 + random() ** 3 * 900)));
    samples.push(perRunner.flat());
    for (const values of perRunner) batches.push(batch(s, [trendAggregate('http_req_duration', { name: '/a' }, values)]));
  }
  const repo = memoryRepo(RUN_ID, batches);
  const all = samples.flat();

  it('histogram_quantile of merged histograms is within 1% of the exact percentile, per step and overall', async () => {
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const agg = await queryAggregate(repo, run(4), `query='histogram_quantile(${q})',metric='http_req_duration'`, NOW);
      const got = agg.data.result[0]?.values[0]?.[1] ?? NaN;
      const want = exactPercentile(all, q);
      expect(Math.abs(got - want) / want).toBeLessThan(0.01);
    }
    const range = await queryRange(repo, run(4), "query='histogram_quantile(0.95)',metric='http_req_duration',step=2", NOW);
    const points = range.data.result[0]?.values ?? [];
    expect(points).toHaveLength(2);
    points.forEach(([, v], i) => {
      const want = exactPercentile([...(samples[2 * i] ?? []), ...(samples[2 * i + 1] ?? [])], 0.95);
      expect(Math.abs(v - want) / want).toBeLessThan(0.01);
    });
  });

  it('min, max, avg, stddev and counts are exact', async () => {
    const q = async (m: string) => (await queryAggregate(repo, run(4), `query='${m}',metric='http_req_duration'`, NOW)).data.result[0]?.values[0]?.[1] ?? NaN;
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    expect(await q('histogram_min')).toBe(Math.min(...all));
    expect(await q('histogram_max')).toBe(Math.max(...all));
    expect(await q('histogram_avg')).toBeCloseTo(mean, 9);
    expect(await q('histogram_stddev')).toBeCloseTo(Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length), 6);
    expect(await q('histogram_count_increase')).toBe(1600);
  });

  it('cumulative variants grow from the run start; the last point equals the engine merge of every batch', async () => {
    const range = await queryRange(repo, run(4), "query='histogram_cum_quantile(0.95)',metric='http_req_duration',step=1", NOW);
    const points = range.data.result[0]?.values ?? [];
    expect(points).toHaveLength(4);
    const engine = new RunMetrics([{ name: 'http_req_duration', type: 'trend', contains: 'time' }], { submetrics: [] });
    for (const b of batches) engine.ingest(b as unknown as MetricsBatch);
    expect(points[3]?.[1]).toBe(engine.values('http_req_duration', 4000, ['p(95)'])?.['p(95)']);
    const counts = await queryRange(repo, run(4), "query='histogram_count_value',metric='http_req_duration',step=1", NOW);
    expect(counts.data.result[0]?.values.map(([, v]) => v)).toEqual([400, 800, 1200, 1600]);
  });
});

describe('bad queries are 400s with the reason', () => {
  const repo = memoryRepo(RUN_ID, sixSeconds());
  const cases: [string, RegExp][] = [
    ["query='histogram_quantile(0.95)',metric='http_reqs'", /does not apply to the counter metric "http_reqs"/],
    ["query='frobnicate',metric='http_reqs'", /unknown method "frobnicate"/],
    ["query='increase by (name',metric='http_reqs'", /expected/],
    ["metric='http_reqs'", /query parameter is required/],
    ["query='increase'", /metric parameter is required/],
    ["query='increase',metric='http_reqs{status=200}'", /quoted string/],
    ["query='increase',metric='http_reqs{status=~\"(\"}'", /invalid regular expression/],
    ["query='increase',metric='http_reqs',step=0", /step must be a whole number/],
    ["query='increase',metric='http_reqs',start=yesterday", /start must be an ISO 8601/],
    ["query='increase',metric='http_reqs',start=-1", /start must be an ISO 8601/],
    ["query='increase',metric='http_reqs',end=2023-13-45T99:00:00Z", /end must be an ISO 8601/],
    ["query='increase',metric='http_reqs',colour='red'", /unknown parameter "colour"/],
    ["query='increase',metric='http_reqs',step=1,start=2020-01-01T00:00:00Z,end=2020-01-02T00:00:00Z", /maximum resolution/],
  ];
  for (const [params, reason] of cases) {
    it(params, async () => {
      expect(await badRequest(queryRange(repo, run(6), params, NOW))).toMatch(reason);
    });
  }

  it('a quantile outside [0, 1] on a trend', async () => {
    const trend = memoryRepo(RUN_ID, [batch(0, [trendAggregate('http_req_duration', {}, [1, 2, 3])])]);
    expect(await badRequest(queryAggregate(trend, run(1), "query='histogram_quantile(1.5)',metric='http_req_duration'", NOW))).toMatch(/quantile between 0 and 1/);
  });

  it('a method argument that can never be right is a 400 even when the run lacks the metric (found by the bad-input sweep)', async () => {
    const empty = memoryRepo(RUN_ID, []);
    expect(await badRequest(queryAggregate(empty, run(1), "query='histogram_quantile(7)',metric='http_req_duration'", NOW))).toMatch(/quantile between 0 and 1/);
    expect(await badRequest(queryRange(empty, run(1), "query='max_rate(0)',metric='http_reqs'", NOW))).toMatch(/whole number of seconds/);
    expect(await badRequest(queryAggregate(empty, run(1), "query='increase(3)',metric='http_reqs'", NOW))).toMatch(/takes no argument/);
  });

  it('an unknown metric answers an empty result, as Prometheus does', async () => {
    const a = await queryRange(repo, run(6), "query='increase',metric='nope'", NOW);
    expect(a).toEqual({ status: 'success', data: { resultType: 'matrix', result: [] } });
  });
});

describe('metadata', () => {
  const repo = memoryRepo(RUN_ID, sixSeconds());

  it('lists metrics with type and origin', async () => {
    const { value } = await listRunMetrics(repo, run(6));
    expect(value.map((m) => [m.name, m.type, m.origin, m.test_run_id])).toEqual([
      ['checks', 'rate', 'builtin', 7],
      ['http_reqs', 'counter', 'builtin', 7],
      ['vus', 'gauge', 'builtin', 7],
    ]);
    expect(value[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('series, labels and label values honour match[]', async () => {
    const series = await listSeries(repo, run(6), ['http_reqs{status="500"}', 'vus']);
    expect(series).toEqual({
      status: 'success',
      data: [
        { __name__: 'http_reqs', name: '/b', status: '500', test_run_id: '7' },
        { __name__: 'vus', test_run_id: '7' },
      ],
    });
    expect((await listLabels(repo, run(6), ['http_reqs'])).data).toEqual(['__name__', 'name', 'status', 'test_run_id']);
    expect((await listLabels(repo, run(6), undefined)).data).toEqual(['__name__', 'check', 'group', 'name', 'status', 'test_run_id']);
    expect((await listLabelValues(repo, run(6), 'name', undefined)).data).toEqual(['/a', '/b']);
    expect((await listLabelValues(repo, run(6), 'status', ['http_reqs{name="/a"}'])).data).toEqual(['200']);
    expect(await badRequest(listSeries(repo, run(6), undefined))).toMatch(/no match\[\]/);
    expect(await badRequest(listSeries(repo, run(6), ['{}']))).toMatch(/must name a metric/);
  });
});
