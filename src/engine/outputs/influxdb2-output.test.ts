import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithOutputs, startReceiver, type Receiver } from './output-run.test-helper.ts';
import { parseLines, type Line } from './influx-lines.test-helper.ts';
import { parseInfluxdb2Url } from './influxdb2-config.ts';

const SCRIPT = (target: string): string => `
import http from 'k6/http';
export const options = { vus: 2, duration: '1s' };
export default function () { http.get('${target}/target'); }
`;

describe('--out xk6-influxdb (InfluxDB v2, grafana/xk6-output-influxdb)', () => {
  let influx: Receiver;
  let target: Receiver;
  beforeAll(async () => {
    influx = await startReceiver((r) => (r.url.startsWith('/api/v2/write') ? { status: 204 } : { status: 404 }));
    target = await startReceiver();
  });
  afterAll(async () => {
    await influx.close();
    await target.close();
  });

  it('writes line protocol to /api/v2/write with org, bucket, precision and the token; counts match the summary', async () => {
    const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'xk6-influxdb', arg: `${influx.url}/perf` }] }, {
      K6_INFLUXDB_ORGANIZATION: 'acme', K6_INFLUXDB_TOKEN: 'tok', K6_INFLUXDB_PRECISION: '1ms', K6_INFLUXDB_PUSH_INTERVAL: '200ms',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual([`InfluxDBv2 (${influx.url})`]);
    const writes = influx.requests;
    expect(writes.length).toBeGreaterThan(1);
    for (const w of writes) {
      const u = new URL(w.url, influx.url);
      expect(u.pathname).toBe('/api/v2/write');
      expect(Object.fromEntries(u.searchParams)).toEqual({ org: 'acme', bucket: 'perf', precision: 'ms' });
      expect(w.headers.authorization).toBe('Token tok');
    }
    const lines = writes.flatMap((w) => parseLines(w.body.toString()));
    const reqs = lines.filter((l) => l.measurement === 'http_reqs');
    expect(reqs.length).toBe(run.result?.summaryData.metrics.http_reqs?.values.count);
    const first = reqs[0] as Line;
    expect(first.fields).toEqual({ value: '1', url: `"${target.url}/target"` });
    expect(first.tags).toMatchObject({ method: 'GET', status: '200' });
    expect(String(first.time)).toHaveLength(13);
  });

  it('a failing write is logged with the server\'s code and message; a missing bucket is refused before the run', async () => {
    const failing = await startReceiver(() => ({ status: 401, body: '{"code":"unauthorized","message":"unauthorized access"}' }));
    try {
      const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'xk6-influxdb', arg: `${failing.url}/perf` }] });
      expect(run.exitCode).toBe(0);
      const err = run.log.find((e) => e.level === 'error');
      expect(err?.msg).toBe('Couldn\'t send metrics points');
      expect(err?.fields).toMatchObject({ output: 'InfluxDBv2', error: 'unauthorized: unauthorized access' });
    } finally {
      await failing.close();
    }
    const noBucket = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'xk6-influxdb', arg: influx.url }] });
    expect(noBucket.exitCode).toBe(255);
    expect(noBucket.error).toBe("could not create the 'xk6-influxdb' output: the Bucket option is required");
  });

  it('URL: scheme and host are the address, the path the bucket', () => {
    expect(parseInfluxdb2Url('https://h:8086/a/b')).toEqual({ addr: 'https://h:8086', bucket: 'a/b' });
    expect(parseInfluxdb2Url('bucket')).toEqual({ bucket: 'bucket' });
  });
});
