import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithOutputs, startReceiver, type Receiver } from './output-run.test-helper.ts';
import { parseLines, type Line } from './influx-lines.test-helper.ts';

const SCRIPT = (target: string): string => `
import http from 'k6/http';
export const options = { vus: 2, duration: '1s' };
export default function () { http.get('${target}/target?x=1'); }
`;

describe('--out influxdb', () => {
  let influx: Receiver;
  let target: Receiver;
  beforeAll(async () => {
    influx = await startReceiver();
    target = await startReceiver();
  });
  afterAll(async () => {
    await influx.close();
    await target.close();
  });

  it('creates the database, then writes every sample as line protocol: metric as measurement, tags, url as a field, values matching the summary', async () => {
    const before = Date.now();
    const hostPort = influx.url.replace('http://', '');
    const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'influxdb', arg: `http://me:s%40cret@${hostPort}/loadtests` }] });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual([`InfluxDBv1 (http://${hostPort})`]);
    const [create, ...writes] = influx.requests;
    expect(create?.method).toBe('POST');
    const createUrl = new URL(create?.url ?? '', influx.url);
    expect(createUrl.pathname).toBe('/query');
    expect(createUrl.searchParams.get('q')).toBe('CREATE DATABASE loadtests');
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) {
      const u = new URL(w.url, influx.url);
      expect(u.pathname).toBe('/write');
      expect(u.searchParams.get('db')).toBe('loadtests');
      expect(u.searchParams.get('precision')).toBe('ns');
      expect(w.headers.authorization).toBe(`Basic ${Buffer.from('me:s@cret').toString('base64')}`);
      expect(w.headers['user-agent']).toBe('k6');
    }
    const lines = writes.flatMap((w) => parseLines(w.body.toString()));
    const reqs = lines.filter((l) => l.measurement === 'http_reqs');
    expect(reqs.length).toBe(run.result?.summaryData.metrics.http_reqs?.values.count);
    expect(reqs.length).toBeGreaterThan(0);
    const first = reqs[0] as Line;
    expect(first.tags).toMatchObject({ method: 'GET', status: '200', scenario: 'default', name: `${target.url}/target?x=1` });
    expect(first.tags.url).toBeUndefined();
    expect(first.fields).toEqual({ value: '1', url: `"${target.url}/target?x=1"` });
    // The root group's empty tag is left out, as influxdb1-client does; vu and iter are metadata, not tags.
    expect(first.tags.group).toBeUndefined();
    expect(first.tags.vu).toBeUndefined();
    expect(first.time).toBeGreaterThanOrEqual(BigInt(before) * 1_000_000n);
    expect(first.time).toBeLessThanOrEqual(BigInt(Date.now()) * 1_000_000n);
    const iterations = lines.filter((l) => l.measurement === 'iterations');
    expect(iterations.length).toBe(run.result?.summaryData.metrics.iterations?.values.count);
    const durations = lines.filter((l) => l.measurement === 'http_req_duration').map((l) => Number(l.fields.value));
    expect(Math.max(...durations)).toBeCloseTo(run.result?.summaryData.metrics.http_req_duration?.values.max ?? NaN, 6);
    expect(lines.some((l) => l.measurement === 'vus_max')).toBe(true);
  });

  it('flushes what is left when the run ends (push interval longer than the run), with env config: db, precision, tags as typed fields', async () => {
    influx.requests.length = 0;
    const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'influxdb', arg: influx.url }] }, {
      K6_INFLUXDB_DB: 'envdb', K6_INFLUXDB_PUSH_INTERVAL: '1m', K6_INFLUXDB_PRECISION: 'ms', K6_INFLUXDB_TAGS_AS_FIELDS: 'status:int,method',
    });
    expect(run.exitCode).toBe(0);
    const writes = influx.requests.filter((r) => r.url.startsWith('/write'));
    expect(writes.length).toBe(1);
    const u = new URL(writes[0]?.url ?? '', influx.url);
    expect(u.searchParams.get('db')).toBe('envdb');
    expect(u.searchParams.get('precision')).toBe('ms');
    const lines = parseLines(writes[0]?.body.toString() ?? '');
    const req = lines.find((l) => l.measurement === 'http_reqs') as Line;
    expect(req.fields).toEqual({ value: '1', status: '200i', method: '"GET"' });
    expect(req.tags.url).toBe(`${target.url}/target?x=1`);
    // Milliseconds: 13 digits.
    expect(String(req.time)).toHaveLength(13);
    expect(lines.filter((l) => l.measurement === 'http_reqs').length).toBe(run.result?.summaryData.metrics.http_reqs?.values.count);
  });

  it('a failing write is logged as k6 logs it and the run goes on', async () => {
    const failing = await startReceiver((r) => (r.url.startsWith('/write') ? { status: 401, body: '{"error":"unauthorized access"}' } : { status: 200, body: '{}' }));
    try {
      const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'influxdb', arg: failing.url }] });
      expect(run.exitCode).toBe(0);
      expect(run.result?.summaryData.metrics.http_reqs?.values.count).toBeGreaterThan(0);
      const errors = run.log.filter((e) => e.level === 'error');
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]?.msg).toMatch(/^Couldn't write stats, InfluxDB v2.x isn't supported by this output/);
      expect(errors[0]?.fields).toEqual({ output: 'InfluxDBv1', error: 'unauthorized access' });
    } finally {
      await failing.close();
    }
  });

  it('an unreachable server: the database is not created (debug only), writes fail with Go\'s dial error, the run ends normally', async () => {
    const gone = await startReceiver();
    const url = gone.url;
    await gone.close();
    const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'influxdb', arg: url }], verbose: true });
    expect(run.exitCode).toBe(0);
    const port = url.split(':')[2];
    expect(run.log.find((e) => e.msg === 'Couldn\'t create database; most likely harmless')?.level).toBe('debug');
    const err = run.log.find((e) => e.msg === 'Couldn\'t write stats');
    expect(err?.fields.error).toMatch(new RegExp(`^Post "${url}/write\\?.*": dial tcp 127.0.0.1:${port}: connect: connection refused$`));
  });

  it('refuses bad config before the run with k6\'s error text', async () => {
    const bad = async (arg: string, env: Record<string, string> = {}): Promise<string | undefined> => {
      const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'influxdb', arg }] }, env);
      expect(influx.requests.some((r) => r.url.includes('nope'))).toBe(false);
      expect(run.exitCode).toBe(255);
      return run.error;
    };
    expect(await bad(`${influx.url}/db?nope=1`)).toBe("could not create the 'influxdb' output: unknown query parameter: nope");
    expect(await bad(`${influx.url}/db?insecure=maybe`)).toBe("could not create the 'influxdb' output: insecure must be true or false, not maybe");
    expect(await bad(influx.url, { K6_INFLUXDB_CONCURRENT_WRITES: '0' })).toBe("could not create the 'influxdb' output: influxdb's ConcurrentWrites must be a positive number");
    const statsd = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'statsd', arg: '' }] });
    expect(statsd.error).toMatch(/^could not create the 'statsd' output: the statsd output was deprecated in k6 v0.47.0 and removed in k6 v0.55.0, /);
    expect(await bad(influx.url, { K6_INFLUXDB_TAGS_AS_FIELDS: 'vu:long' })).toBe("could not create the 'influxdb' output: an invalid type (long) is specified for an InfluxDB field (vu)");
  });

  it('takes the config file\'s collectors.influxdb under the environment and the URL', async () => {
    influx.requests.length = 0;
    const config = JSON.stringify({ collectors: { influxdb: { addr: influx.url, db: 'fromfile', pushInterval: '50ms', tagsAsFields: ['method'] } } });
    const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'influxdb', arg: '' }], config: { path: '/outputs-test/config.json' } }, {}, { '/outputs-test/config.json': config });
    expect(run.exitCode).toBe(0);
    const writes = influx.requests.filter((r) => r.url.startsWith('/write'));
    expect(writes.length).toBeGreaterThan(3);
    expect(new URL(writes[0]?.url ?? '', influx.url).searchParams.get('db')).toBe('fromfile');
    const req = writes.flatMap((w) => parseLines(w.body.toString())).find((l) => l.measurement === 'http_reqs') as Line;
    expect(req.fields.method).toBe('"GET"');
    expect(req.tags.url).toBeDefined();
  });
});
