import { describe, expect, it } from 'vitest';
import { MetricRegistry } from './metric-registry.ts';
import { IDLE_FLUSHES_BEFORE_EVICTION, MetricsAggregator } from './metrics-aggregator.ts';
import type { MetricsBatch } from './metrics-batch.ts';
import { RunMetrics } from './run-metrics.ts';

function clock(start: number): { now: () => number; set: (t: number) => void } {
  let t = start;
  return { now: () => t, set: (v) => { t = v; } };
}

const T0 = 1_700_000_000_000;

describe('MetricsAggregator', () => {
  it('folds samples of one series into one aggregate per second', () => {
    const c = clock(T0 + 100);
    const agg = new MetricsAggregator(new MetricRegistry(), c.now);
    const tags = { scenario: 'default', status: '200' };
    agg.addMany(tags, [['http_reqs', 1], ['http_req_duration', 12], ['http_req_failed', 0]]);
    agg.addMany(tags, [['http_reqs', 1], ['http_req_duration', 30], ['http_req_failed', 1]]);
    agg.add('vus', {}, 3);
    agg.add('vus', {}, 5);
    agg.add('vus', {}, 4);
    expect(agg.flush(T0 + 999)).toEqual([]);
    const [batch, ...rest] = agg.flush(T0 + 1000);
    expect(rest).toEqual([]);
    expect(batch?.time).toBe(T0);
    const byMetric = new Map(batch?.series.map((s) => [s.metric, s]));
    expect(byMetric.get('http_reqs')?.counter).toEqual({ sum: 2 });
    expect(byMetric.get('http_req_failed')?.rate).toEqual({ nonzero: 1, total: 2 });
    expect(byMetric.get('vus')?.gauge).toEqual({ last: 4, min: 3, max: 5, at: T0 + 100 });
    expect(byMetric.get('http_req_duration')?.trend).toMatchObject({ count: 2, sum: 42, min: 12, max: 30 });
    expect(byMetric.get('http_reqs')?.tags).toEqual(tags);
    expect(batch?.metrics.map((m) => m.name).sort()).toEqual(['http_req_duration', 'http_req_failed', 'http_reqs', 'vus']);
  });

  it('keeps seconds apart and reports only completed ones until flushAll', () => {
    const c = clock(T0);
    const agg = new MetricsAggregator(new MetricRegistry(), c.now);
    agg.add('iterations', {}, 1);
    c.set(T0 + 1500);
    agg.add('iterations', {}, 1);
    agg.add('iterations', {}, 1);
    c.set(T0 + 2100);
    agg.add('iterations', {}, 1);
    const done = agg.flush(T0 + 2100);
    expect(done.map((b) => [b.time, b.series[0]?.counter?.sum])).toEqual([[T0, 1], [T0 + 1000, 2]]);
    const rest = agg.flushAll();
    expect(rest.map((b) => [b.time, b.series[0]?.counter?.sum])).toEqual([[T0 + 2000, 1]]);
    expect(agg.flushAll()).toEqual([]);
  });

  it('lists a second\'s series in the order they were created, whatever order they were closed in', () => {
    const c = clock(T0 + 100);
    const agg = new MetricsAggregator(new MetricRegistry(), c.now);
    const check = (name: string): void => agg.add('checks', { check: name }, 1);
    check('a'); check('b'); check('c'); // the first iteration
    c.set(T0 + 990);
    check('a'); // the second one, across the boundary: b and c are closed by their next sample, a by the flush
    c.set(T0 + 1001);
    check('b'); check('c');
    const [first] = agg.flush(T0 + 1005);
    expect(first?.series.map((s) => [s.tags.check, s.rate?.total])).toEqual([['a', 2], ['b', 1], ['c', 1]]);
    const [second] = agg.flushAll();
    expect(second?.series.map((s) => s.tags.check)).toEqual(['b', 'c']);
  });

  it('treats different tag objects with the same pairs as one series', () => {
    const c = clock(T0);
    const agg = new MetricsAggregator(new MetricRegistry(), c.now);
    agg.add('iterations', { a: '1', b: '2' }, 1);
    agg.add('iterations', { b: '2', a: '1' }, 1);
    agg.add('iterations', { a: '1' }, 1);
    const [batch] = agg.flushAll();
    expect(batch?.series.map((s) => s.counter?.sum).sort()).toEqual([1, 2]);
  });

  it('holds a bounded number of tag sets when every request has its own URL, and loses no sample', () => {
    // A run with a unique URL per request kept a tag set, series and trend buffers per URL for the
    // whole run (gigabytes over a minute); idle ones are now forgotten.
    const c = clock(T0);
    const agg = new MetricsAggregator(new MetricRegistry(), c.now);
    const run = new RunMetrics();
    const kept = { url: 'http://a/kept' };
    for (let second = 0; second < 30; second++) {
      c.set(T0 + second * 1000);
      for (let i = 0; i < 100; i++) agg.addMany({ url: `http://a/${second}/${i}` }, [['http_reqs', 1], ['http_req_duration', 5]]);
      if (second % 10 === 0) agg.add('http_reqs', kept, 1); // a tag object that comes back after being forgotten
      for (const b of agg.flush(T0 + (second + 1) * 1000)) run.ingest(b);
      expect(agg.tagSetCount).toBeLessThanOrEqual((IDLE_FLUSHES_BEFORE_EVICTION + 1) * 100 + 1);
    }
    for (const b of agg.flushAll()) run.ingest(b);
    expect(run.state('http_reqs')?.sum).toBe(30 * 100 + 3);
    expect(run.state('http_req_duration')?.trend?.count).toBe(30 * 100);
    expect(run.series('http_reqs').filter((s) => s.tags.url === 'http://a/kept').map((s) => s.state.sum)).toEqual([3]);
    expect(run.seriesCount()).toBe(2 * 30 * 100 + 1);
  });

  it('throws on samples of undefined metrics and ignores NaN', () => {
    const agg = new MetricsAggregator(new MetricRegistry(), () => T0);
    expect(() => agg.add('nope', {}, 1)).toThrow(/undefined metric/);
    agg.add('iterations', {}, Number.NaN);
    expect(agg.flushAll()).toEqual([]);
  });
});

function randomSamples(n: number, seed: number): number[] {
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  // log-normal-ish latencies between ~0.1ms and a few seconds
  return Array.from({ length: n }, () => Math.exp(rnd() * 10 - 2) * (1 + rnd()));
}

describe('merging batches of several workers', () => {
  it('gives the same values as a single aggregator', () => {
    const registry = new MetricRegistry();
    registry.define('custom_gauge', 'gauge', 'default');
    const c = clock(T0);
    const single = new MetricsAggregator(registry, c.now);
    const workers = [0, 1, 2].map(() => new MetricsAggregator(registry, c.now));
    const values = randomSamples(9000, 7);
    values.forEach((v, i) => {
      const tags = { scenario: 'default', name: i % 2 ? 'a' : 'b', expected_response: i % 5 ? 'true' : 'false' };
      c.set(T0 + Math.floor(i / 3000) * 1000 + Math.floor((i % 3000) / 3));
      const samples: [string, number][] = [['http_reqs', 1], ['http_req_duration', v], ['http_req_failed', i % 5 ? 0 : 1]];
      if (i % 3 === 0) samples.push(['custom_gauge', i]);
      single.addMany(tags, samples);
      workers[i % 3]?.addMany(tags, samples);
    });
    const one = new RunMetrics(registry.all());
    const many = new RunMetrics(registry.all());
    for (const b of single.flushAll()) one.ingest(b);
    const all: MetricsBatch[] = workers.flatMap((w) => w.flushAll());
    for (const b of all) many.ingest(b);

    const d = 3000;
    expect(many.values('http_reqs', d)).toEqual(one.values('http_reqs', d));
    expect(many.values('http_reqs', d)).toEqual({ count: 9000, rate: 3000 });
    expect(many.values('http_req_failed', d)).toEqual(one.values('http_req_failed', d));
    expect(many.values('custom_gauge', d)).toEqual({ value: 8997, min: 0, max: 8997 });
    for (const sel of ['http_req_duration', 'http_req_duration{expected_response:true}', 'http_req_duration{name:a}']) {
      const a = one.values(sel, d, ['avg', 'min', 'med', 'max', 'p(90)', 'p(99.9)', 'count']);
      const b = many.values(sel, d, ['avg', 'min', 'med', 'max', 'p(90)', 'p(99.9)', 'count']);
      expect(Object.keys(b ?? {})).toEqual(Object.keys(a ?? {}));
      for (const [k, v] of Object.entries(a ?? {})) expect(b?.[k]).toBeCloseTo(v, 6);
    }
    expect(many.series('http_reqs')).toHaveLength(4);
  });

  it('keeps one copy of a tag set for the series of every metric that has it', () => {
    // An HTTP request's tags are shared by a dozen metrics; a copy per metric took ~0.5 KB a series,
    // hundreds of MB in a run with a unique URL per request.
    const run = new RunMetrics();
    const tags = { url: 'http://a/1', method: 'GET' };
    run.ingest({
      time: T0,
      metrics: [{ name: 'http_reqs', type: 'counter', contains: 'default' }, { name: 'http_req_duration', type: 'trend', contains: 'time' }],
      series: [{ metric: 'http_reqs', tags: { ...tags }, counter: { sum: 1 } }, { metric: 'http_req_duration', tags: { ...tags }, trend: { count: 1, sum: 2, min: 2, max: 2, values: [2] } }],
    });
    const [reqs] = run.series('http_reqs');
    const [duration] = run.series('http_req_duration');
    expect(reqs?.tags).toEqual(tags);
    expect(reqs?.tags).toBe(duration?.tags);
  });

  it('tracked and on-demand submetric views agree', () => {
    const registry = new MetricRegistry();
    const agg = new MetricsAggregator(registry, () => T0);
    for (let i = 0; i < 500; i++) agg.add('http_req_duration', { status: i % 3 ? '200' : '500', group: '::api' }, i);
    const rm = new RunMetrics(registry.all());
    rm.track("http_req_duration{status:'500'}");
    for (const b of agg.flushAll()) rm.ingest(b);
    const tracked = rm.values("http_req_duration{status:'500'}", 1000, ['count', 'p(50)']);
    const adHoc = rm.values('http_req_duration{ status : 500 }', 1000, ['count', 'p(50)']);
    expect(tracked).toEqual(adHoc);
    expect(tracked?.count).toBe(167);
    expect(rm.values('http_req_duration{group:::api}', 1000, ['count'])).toEqual({ count: 500 });
    expect(rm.values('http_req_duration{group:::api,status:404}', 1000, ['count'])).toEqual({ count: 0 });
  });

  it('never matches submetric criteria on vu or iter, which k6 keeps as metadata', () => {
    const registry = new MetricRegistry();
    const agg = new MetricsAggregator(registry, () => T0);
    agg.add('iterations', { vu: '1', iter: '0' }, 1);
    const rm = new RunMetrics(registry.all());
    for (const b of agg.flushAll()) rm.ingest(b);
    expect(rm.values('iterations{vu:1}', 1000)).toEqual({ count: 0, rate: 0 });
    expect(rm.values('iterations', 1000)).toEqual({ count: 1, rate: 1 });
  });

  it('tracks http_req_duration{expected_response:true} by default, even when defined by the first batch', () => {
    const registry = new MetricRegistry();
    const agg = new MetricsAggregator(registry, () => T0);
    agg.add('http_req_duration', { expected_response: 'true' }, 10);
    agg.add('http_req_duration', { expected_response: 'false' }, 30);
    const rm = new RunMetrics();
    for (const b of agg.flushAll()) rm.ingest(b);
    expect(rm.trackedSubmetrics()).toEqual(['http_req_duration{expected_response:true}']);
    expect(rm.values('http_req_duration{expected_response:true}', 1000, ['max'])).toEqual({ max: 10 });
  });
});
