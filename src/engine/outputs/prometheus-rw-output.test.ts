import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithOutputs, startReceiver, type ReceivedRequest, type Receiver } from './output-run.test-helper.ts';
import { decodeRemoteWrite, type DecodedSeries } from './prometheus-rw-decode.test-helper.ts';

const SCRIPT = (target: string): string => `
import http from 'k6/http';
import { check } from 'k6';
export const options = { vus: 2, duration: '1s' };
export default function () {
  const res = http.get('${target}/target');
  check(res, { 'is 200': (r) => r.status === 200, 'never': () => false });
}
`;

const OUT = [{ kind: 'experimental-prometheus-rw' as const, arg: '' }];

/** Every series of every push, in order; the last push's value per series key is the run's final value. */
function pushes(requests: readonly ReceivedRequest[]): DecodedSeries[][] {
  return requests.filter((r) => r.url === '/api/v1/write').map((r) => decodeRemoteWrite(r.body));
}

const seriesKey = (s: DecodedSeries): string => JSON.stringify(s.labels);

/** The last value each series had before the stale markers. */
function finalValues(all: DecodedSeries[][]): Map<string, DecodedSeries> {
  const last = new Map<string, DecodedSeries>();
  for (const push of all) for (const s of push) if (!(s.samples[0]?.stale ?? false)) last.set(seriesKey(s), s);
  return last;
}

const named = (m: Map<string, DecodedSeries>, name: string): DecodedSeries[] => [...m.values()].filter((s) => s.labels.__name__ === name);
const value = (s: DecodedSeries | undefined): number => s?.samples[0]?.value ?? NaN;

describe('--out experimental-prometheus-rw', () => {
  let prom: Receiver;
  let target: Receiver;
  beforeAll(async () => {
    prom = await startReceiver();
    target = await startReceiver();
  });
  afterAll(async () => {
    await prom.close();
    await target.close();
  });

  it('pushes snappy protobuf WriteRequests with k6\'s names and labels; final values match the summary; stale markers at the end', async () => {
    const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: OUT }, {
      K6_PROMETHEUS_RW_SERVER_URL: `${prom.url}/api/v1/write`,
      K6_PROMETHEUS_RW_PUSH_INTERVAL: '250ms',
      K6_PROMETHEUS_RW_TREND_STATS: 'p(95),max,count,avg',
      K6_PROMETHEUS_RW_STALE_MARKERS: 'true',
      K6_PROMETHEUS_RW_USERNAME: 'me',
      K6_PROMETHEUS_RW_PASSWORD: 'pw',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual([`Prometheus remote write (${prom.url}/api/v1/write)`]);
    const writes = prom.requests.filter((r) => r.url === '/api/v1/write');
    expect(writes.length).toBeGreaterThan(2);
    for (const w of writes) {
      expect(w.method).toBe('POST');
      expect(w.headers).toMatchObject({
        'content-encoding': 'snappy', 'content-type': 'application/x-protobuf', 'x-prometheus-remote-write-version': '0.1.0',
        'user-agent': 'k6-prometheus-rw-output', authorization: `Basic ${Buffer.from('me:pw').toString('base64')}`,
      });
    }
    const all = pushes(prom.requests);
    const final = finalValues(all);
    const summary = run.result?.summaryData.metrics ?? {};
    const reqs = named(final, 'k6_http_reqs_total');
    expect(reqs.length).toBe(1);
    expect(value(reqs[0])).toBe(summary.http_reqs?.values.count);
    expect(reqs[0]?.labels).toMatchObject({ method: 'GET', status: '200', scenario: 'default', url: `${target.url}/target`, expected_response: 'true' });
    // Sorted label names, no empty group label, vu/iter are metadata.
    const names = Object.keys(reqs[0]?.labels ?? {});
    expect(names).toEqual([...names].sort());
    expect(names).not.toContain('group');
    expect(names).not.toContain('vu');
    expect(value(named(final, 'k6_iterations_total')[0])).toBe(summary.iterations?.values.count);
    const checks = named(final, 'k6_checks_rate');
    expect(checks.map((s) => [s.labels.check, value(s)]).sort()).toEqual([['is 200', 1], ['never', 0]]);
    expect(named(final, 'k6_vus').length).toBe(1);
    // Trends: one gauge per stat, time metrics in seconds (count too, as k6's adaptUnit divides every stat).
    const duration = (stat: string): number => value(named(final, `k6_http_req_duration_${stat}`)[0]);
    expect(duration('max')).toBeCloseTo((summary.http_req_duration?.values.max ?? NaN) / 1000, 9);
    expect(duration('avg')).toBeCloseTo((summary.http_req_duration?.values.avg ?? NaN) / 1000, 9);
    expect(duration('count')).toBeCloseTo((summary.http_reqs?.values.count ?? NaN) / 1000, 9);
    expect(duration('p95')).toBeGreaterThan(0);
    expect(duration('p95')).toBeLessThanOrEqual(duration('max'));
    expect(named(final, 'k6_iteration_duration_p95').length).toBe(1);
    // A series' timestamps only move forward across pushes.
    const times = new Map<string, number>();
    for (const push of all) {
      for (const s of push) {
        const t = s.samples[0]?.timestamp ?? 0;
        if (!(s.samples[0]?.stale ?? false)) expect(t).toBeGreaterThan(times.get(seriesKey(s)) ?? 0);
        times.set(seriesKey(s), t);
      }
    }
    // The last push marks every series stale, after its last sample.
    const last = all[all.length - 1] ?? [];
    expect(last.every((s) => s.samples[0]?.stale === true)).toBe(true);
    expect(new Set(last.map(seriesKey))).toEqual(new Set(final.keys()));
  });

  it('a push that fails is logged as k6 logs it and the run goes on; configured headers and the bearer token are sent', async () => {
    const failing = await startReceiver((r) => (r.method === 'POST' ? { status: 500, body: 'nope' } : { status: 200 }));
    try {
      const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: OUT }, {
        K6_PROMETHEUS_RW_SERVER_URL: `${failing.url}/api/v1/write`,
        K6_PROMETHEUS_RW_PUSH_INTERVAL: '300ms',
        K6_PROMETHEUS_RW_HTTP_HEADERS: 'X-Scope-OrgID:tenant1',
        K6_PROMETHEUS_RW_BEARER_TOKEN: 'tok',
      });
      expect(run.exitCode).toBe(0);
      expect(run.result?.summaryData.metrics.http_reqs?.values.count).toBeGreaterThan(0);
      expect(failing.requests[0]?.headers).toMatchObject({ 'x-scope-orgid': 'tenant1', authorization: 'Bearer tok' });
      const err = run.log.find((e) => e.level === 'error');
      expect(err?.msg).toBe('Failed to send the time series data to the endpoint');
      expect(err?.fields).toEqual({ output: 'Prometheus remote write', error: 'got status code: 500 instead expected a 2xx successful status code' });
    } finally {
      await failing.close();
    }
  });

  it('an unreachable endpoint: Go\'s dial error is logged, the run ends normally', async () => {
    const gone = await startReceiver();
    const url = `${gone.url}/api/v1/write`;
    await gone.close();
    const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: OUT }, { K6_PROMETHEUS_RW_SERVER_URL: url });
    expect(run.exitCode).toBe(0);
    const err = run.log.find((e) => e.msg === 'Failed to send the time series data to the endpoint');
    expect(err?.fields.error).toBe(`HTTP POST request failed: Post "${url}": dial tcp 127.0.0.1:${gone.url.split(':')[2]}: connect: connection refused`);
  });

  it('refuses bad config before the run with k6\'s error text; native histograms are refused with a clear message', async () => {
    const bad = async (env: Record<string, string>): Promise<string | undefined> => {
      const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: OUT }, env);
      expect(run.exitCode).toBe(255);
      return run.error;
    };
    const prefix = "could not create the 'experimental-prometheus-rw' output: ";
    expect(await bad({ K6_PROMETHEUS_RW_TREND_STATS: 'p(99),p95' })).toBe(`${prefix}invalid trend stat 'p95', unknown format`);
    expect(await bad({ K6_PROMETHEUS_RW_HTTP_HEADERS: 'a:b,c' }))
      .toBe(`${prefix}parse environment variables options failed: the provided header (c) does not respect the expected format <header key>:<value>`);
    expect(await bad({ K6_PROMETHEUS_RW_SIGV4_REGION: 'eu-west-1' })).toMatch(/^could not create the 'experimental-prometheus-rw' output: sigv4 seems to be partially configured/);
    expect(await bad({ K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' })).toMatch(/^could not create the 'experimental-prometheus-rw' output: trends as Prometheus native histograms .* are not supported by Stampede/);
    expect(await bad({ K6_PROMETHEUS_RW_CLIENT_CERTIFICATE: 'c.pem', K6_PROMETHEUS_RW_CLIENT_CERTIFICATE_KEY: 'k.pem' }))
      .toBe(`${prefix}failed to load the TLS certificate: open c.pem: no such file or directory`);
  });
});
