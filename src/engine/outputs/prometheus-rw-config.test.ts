import { describe, expect, it } from 'vitest';
import { prometheusRwConfig, trendStatSuffix } from './prometheus-rw-config.ts';
import { PrometheusSeriesStore } from './prometheus-rw-series.ts';
import type { PointSample } from './sample-output.ts';

describe('prometheus remote-write config (k6 remotewrite/config.go)', () => {
  it('defaults: localhost:9090/api/v1/write, 5s, p(99), no stale markers, no basic auth', () => {
    expect(prometheusRwConfig({}, undefined, false)).toMatchObject({
      url: 'http://localhost:9090/api/v1/write', pushIntervalMs: 5000, trendStats: ['p(99)'], staleMarkers: false, username: undefined, headers: {},
    });
  });

  it('tiers: collectors JSON < env; headers merge from JSON, K6_PROMETHEUS_RW_HEADERS_* and K6_PROMETHEUS_RW_HTTP_HEADERS', () => {
    const json = { url: 'http://file/w', pushInterval: '2s', headers: { 'X-A': '1', 'X-B': 'file' }, trendStats: ['max'], staleMarkers: true };
    const c = prometheusRwConfig({ K6_PROMETHEUS_RW_SERVER_URL: 'http://env/w', K6_PROMETHEUS_RW_HEADERS_X_B: 'env', K6_PROMETHEUS_RW_HTTP_HEADERS: 'X-C:3' }, json, false);
    expect(c).toMatchObject({ url: 'http://env/w', pushIntervalMs: 2000, trendStats: ['max'], staleMarkers: true });
    expect(c.headers).toEqual({ 'X-A': '1', 'X-B': 'file', X_B: 'env', 'X-C': '3' });
    expect(prometheusRwConfig({ K6_PROMETHEUS_RW_TREND_STATS: 'p(90),sum' }, json, false).trendStats).toEqual(['p(90)', 'sum']);
  });

  it('refuses what k6 refuses, with its texts', () => {
    expect(() => prometheusRwConfig({ K6_PROMETHEUS_RW_STALE_MARKERS: 'yes' }, undefined, false))
      .toThrow("parse environment variables options failed: envconfig.Process: assigning K6_PROMETHEUS_RW_STALE_MARKERS to StaleMarkers: converting 'yes' to type null.Bool. details: invalid input:yes");
    expect(() => prometheusRwConfig({}, { url: 3 }, false)).toThrow('parse JSON options failed: json: cannot unmarshal number into Go struct field Config.url of type string');
    expect(() => prometheusRwConfig({ K6_PROMETHEUS_RW_TREND_STATS: 'p(101)' }, undefined, false))
      .toThrow("invalid percentile trend stat value 'p(101)', provide a number between 0 and 100");
    expect(() => prometheusRwConfig({}, undefined, true)).toThrow(/native histograms .* not supported by Stampede/);
  });

  it('trend stat suffixes as k6 names the series', () => {
    expect(['p(99)', 'p(99.9)', 'p(0.95)', 'avg', 'med'].map(trendStatSuffix)).toEqual(['p99', 'p999', 'p095', 'avg', 'med']);
  });
});

describe('remote-write series (k6 convertToPbSeries)', () => {
  const s = (metric: string, type: PointSample['type'], time: number, value: number, tags: Record<string, string> = {}): PointSample =>
    ({ metric, type, contains: type === 'trend' ? 'time' : 'default', time, value, tags, metadata: undefined });

  it('cumulative sinks per series; a flush sends only the series that moved to a later millisecond', () => {
    const store = new PrometheusSeriesStore(['p(50)', 'min']);
    const first = store.add([s('reqs', 'counter', 1000, 1, { a: 'x', empty: '' }), s('reqs', 'counter', 1000.4, 1, { a: 'x', empty: '' }), s('dur', 'trend', 1000, 100), s('dur', 'trend', 1001, 300)]);
    expect(first).toEqual([
      { labels: [{ name: '__name__', value: 'k6_reqs_total' }, { name: 'a', value: 'x' }], value: 2, timestamp: 1000 },
      { labels: [{ name: '__name__', value: 'k6_dur_p50' }], value: 0.2, timestamp: 1001 },
      { labels: [{ name: '__name__', value: 'k6_dur_min' }], value: 0.1, timestamp: 1001 },
    ]);
    // Same millisecond: aggregated but not sent again; a later one: sent with the total so far.
    expect(store.add([s('reqs', 'counter', 1000.9, 1, { a: 'x', empty: '' })])).toEqual([]);
    expect(store.add([s('reqs', 'counter', 1005, 1, { a: 'x', empty: '' }), s('ok', 'rate', 1005, 1), s('ok', 'rate', 1005, 0), s('ok', 'rate', 1005, 1), s('ok', 'rate', 1005, 1)]).map((x) => [x.labels[0]?.value, x.value]))
      .toEqual([['k6_reqs_total', 4], ['k6_ok_rate', 0.75]]);
    const stale = store.staleMarkers(2000.5);
    expect(stale.length).toBe(4);
    expect(stale.every((x) => x.stale === true && x.timestamp === 2001)).toBe(true);
  });
});
