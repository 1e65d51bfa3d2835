import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MetricsBatch } from '../../engine/index.ts';
import { DashboardFeed, type DashboardEvent } from './dashboard-feed.ts';
import { significant } from './dashboard-meter.ts';

const T0 = 1_700_000_000_000;

function second(time: number, reqs: number, durations: number[], group = ''): MetricsBatch {
  return {
    time,
    metrics: [
      { name: 'http_reqs', type: 'counter', contains: 'default' },
      { name: 'http_req_duration', type: 'trend', contains: 'time' },
      { name: 'vus', type: 'gauge', contains: 'default' },
      { name: 'my_rate', type: 'rate', contains: 'default' },
    ],
    series: [
      { metric: 'http_reqs', tags: { group }, counter: { sum: reqs } },
      {
        metric: 'http_req_duration', tags: { group },
        trend: { count: durations.length, sum: durations.reduce((a, b) => a + b, 0), min: Math.min(...durations), max: Math.max(...durations), values: durations },
      },
      { metric: 'vus', tags: {}, gauge: { last: 3, min: 1, max: 3 } },
      { metric: 'my_rate', tags: {}, rate: { nonzero: 1, total: 4 } },
    ],
  };
}

describe('dashboard feed: xk6-dashboard events from per-second aggregates', () => {
  let now = T0;
  let events: DashboardEvent[] = [];
  let feed: DashboardFeed;
  beforeEach(() => {
    vi.useFakeTimers();
    now = T0;
    events = [];
    feed = new DashboardFeed({ periodMs: 2000, tags: ['group'], config: { title: 't' }, param: { scenarios: ['default'], endOffset: 4000 }, clock: () => now });
    feed.onEvent((e) => events.push(e));
  });
  afterEach(() => vi.useRealTimers());
  const advance = (ms: number): void => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  it('config, param, metric and start; then cumulative and snapshot per period; the last cumulative and stop', () => {
    feed.start();
    expect(events.map((e) => e.name)).toEqual(['config', 'param', 'metric', 'start']);
    expect(events[1]?.data).toMatchObject({ scenarios: ['default'], endOffset: 4000, period: 2000, aggregates: { counter: ['count', 'rate'], trend: ['avg', 'max', 'med', 'min', 'p(90)', 'p(95)', 'p(99)'] } });
    expect(events[2]?.data).toEqual({ time: { type: 'gauge', contains: 'time' } });
    expect(events[3]?.data).toEqual([[T0]]);

    feed.push(second(T0, 10, [1, 2, 3, 4]));
    feed.push(second(T0 + 1000, 20, [5, 6], '::main'));
    advance(2000);
    expect(events.slice(4).map((e) => e.name)).toEqual(['metric', 'cumulative', 'snapshot']);
    // Newly seen metrics are announced before the data carrying them; submetrics per group value.
    expect(events[4]?.data).toEqual({
      http_reqs: { type: 'counter' },
      'http_reqs{group:::main}': { type: 'counter' },
      http_req_duration: { type: 'trend', contains: 'time' },
      'http_req_duration{group:::main}': { type: 'trend', contains: 'time' },
      vus: { type: 'gauge' },
      my_rate: { type: 'rate', custom: true },
    });
    // Sorted by name: http_req_duration, …{group:::main}, http_reqs, …{group:::main}, my_rate, time, vus.
    const snapshot = events[6]?.data as number[][];
    expect(snapshot).toEqual([
      [3.5, 6, 3.5, 1, 5.5, 5.75, 5.95],
      [5.5, 6, 5.5, 5, 5.9, 5.95, 5.99],
      [30, 15],
      [20, 10],
      [0.25],
      [T0 + 2000],
      [3],
    ]);
    expect(events[5]?.data).toEqual(snapshot);

    // A period without data: the snapshot reports every known metric empty; the cumulative keeps all.
    advance(2000);
    expect(events.slice(7).map((e) => e.name)).toEqual(['cumulative', 'snapshot']);
    expect(events[8]?.data).toEqual([[], [], [], [], [], [T0 + 4000], []]);
    // Counter rates of the cumulative are per second since the start.
    expect((events[7]?.data as number[][])[2]).toEqual([30, 7.5]);

    feed.push(second(T0 + 4000, 5, [7]));
    now += 500;
    feed.stop();
    expect(events.slice(9).map((e) => e.name)).toEqual(['cumulative', 'stop']);
    expect((events[9]?.data as number[][])[2]).toEqual([35, significant(35 / 4.5)]);
    expect(events[10]?.data).toEqual([[T0 + 4500]]);
    advance(5000);
    expect(events).toHaveLength(11);
  });

  it('threshold: after a cumulative, the failing thresholds of whole metrics over its values (a submetric\'s are not evaluated)', () => {
    const t = new DashboardFeed({
      periodMs: 2000, tags: ['group'], config: {}, clock: () => now,
      param: { thresholds: { http_reqs: ['count<20', 'rate>1'], http_req_duration: ['p(50)<5', 'max<100'], 'http_reqs{group:::main}': ['count<1'], vus: ['value<3'] } },
    });
    const seen: DashboardEvent[] = [];
    t.onEvent((e) => seen.push(e));
    t.start();
    t.push(second(T0, 10, [1, 2, 3, 4]));
    t.push(second(T0 + 1000, 20, [5, 6], '::main'));
    advance(2000);
    expect(seen.slice(4).map((e) => e.name)).toEqual(['metric', 'cumulative', 'threshold', 'snapshot']);
    expect(seen[6]?.data).toEqual({ http_reqs: ['count<20'], vus: ['value<3'] });
    t.stop();
  });

  it("values keep about five significant digits, truncated (xk6-dashboard's significant)", () => {
    expect(significant(12345.678)).toBe(12345);
    expect(significant(1234.567)).toBe(1234.5);
    expect(significant(123.4567)).toBe(123.45);
    expect(significant(12.34567)).toBe(12.345);
    expect(significant(1.234567)).toBe(1.2345);
    expect(significant(0.1234567)).toBe(0.12345);
    expect(significant(42)).toBe(42);
  });
});
