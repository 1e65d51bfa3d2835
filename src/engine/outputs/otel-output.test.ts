import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithOutputs, startReceiver, type Receiver } from './output-run.test-helper.ts';
import { decodeExport, startGrpcCollector, type DecodedExport, type DecodedMetric } from './otel-decode.test-helper.ts';

const SCRIPT = (target: string): string => `
import http from 'k6/http';
import { check } from 'k6';
export const options = { vus: 2, duration: '1s' };
export default function () {
  const res = http.get('${target}/target');
  check(res, { 'is 200': (r) => r.status === 200 });
}
`;

const metricOf = (e: DecodedExport, name: string): DecodedMetric | undefined => e.metrics.find((m) => m.name === name);

describe('--out opentelemetry', () => {
  let target: Receiver;
  beforeAll(async () => {
    target = await startReceiver();
  });
  afterAll(async () => {
    await target.close();
  });

  it('OTLP/HTTP protobuf: cumulative sums, gauges, histograms and rate counters whose final export matches the summary', async () => {
    const collector = await startReceiver((r) => (r.method === 'POST' ? { status: 200 } : { status: 404 }));
    try {
      const endpoint = collector.url.replace('http://', '');
      const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'opentelemetry', arg: '' }] }, {
        K6_OTEL_EXPORTER_PROTOCOL: 'http/protobuf', K6_OTEL_HTTP_EXPORTER_ENDPOINT: endpoint, K6_OTEL_HTTP_EXPORTER_INSECURE: 'true',
        K6_OTEL_EXPORT_INTERVAL: '300ms', K6_OTEL_FLUSH_INTERVAL: '100ms', K6_OTEL_METRIC_PREFIX: 'k6_', K6_OTEL_HEADERS: 'X-Tenant=a%20b',
        K6_OTEL_SERVICE_NAME: 'checkout', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=ci',
      });
      expect(run.exitCode).toBe(0);
      expect(run.outputs).toEqual([`opentelemetry (http/protobuf, http://${endpoint}/v1/metrics)`]);
      const posts = collector.requests.filter((r) => r.method === 'POST');
      expect(posts.length).toBeGreaterThan(1);
      for (const p of posts) {
        expect(p.url).toBe('/v1/metrics');
        expect(p.headers).toMatchObject({ 'content-type': 'application/x-protobuf', 'x-tenant': 'a b' });
      }
      const last = decodeExport(posts[posts.length - 1]?.body ?? new Uint8Array());
      expect(last.scope).toBe('k6');
      expect(last.resource).toMatchObject({ 'service.name': 'checkout', 'service.version': '2.2.0', 'deployment.environment': 'ci' });
      const summary = run.result?.summaryData.metrics ?? {};
      const reqs = metricOf(last, 'k6_http_reqs');
      expect(reqs).toMatchObject({ kind: 'sum', temporality: 2, monotonic: true, unit: '' });
      expect(reqs?.points.reduce((n, p) => n + (p.value ?? 0), 0)).toBe(summary.http_reqs?.values.count);
      expect(reqs?.points[0]?.attributes).toMatchObject({ method: 'GET', status: '200', url: `${target.url}/target`, scenario: 'default' });
      expect(reqs?.points[0]?.attributes.group).toBeUndefined();
      expect(reqs?.points[0]?.attributes.vu).toBeUndefined();
      const duration = metricOf(last, 'k6_http_req_duration');
      expect(duration).toMatchObject({ kind: 'histogram', temporality: 2, unit: 'ms' });
      const h = duration?.points[0];
      expect(h?.count).toBe(summary.http_reqs?.values.count);
      expect(h?.max).toBeCloseTo(summary.http_req_duration?.values.max ?? NaN, 9);
      expect(h?.min).toBeCloseTo(summary.http_req_duration?.values.min ?? NaN, 9);
      expect(h?.bounds).toEqual([0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]);
      expect(h?.buckets?.reduce((a, b) => a + b, 0)).toBe(h?.count);
      expect(metricOf(last, 'k6_data_received')?.unit).toBe('By');
      expect(metricOf(last, 'k6_vus')?.kind).toBe('gauge');
      const checks = metricOf(last, 'k6_checks.total');
      expect(checks?.points.map((p) => [p.attributes.check, p.attributes.condition, p.int])).toEqual([['is 200', 'nonzero', summary.checks?.values.passes]]);
      // Cumulative: a later export never has a smaller count; the start time stays.
      const counts = posts.map((p) => metricOf(decodeExport(p.body), 'k6_http_reqs')?.points.reduce((n, x) => n + (x.value ?? 0), 0) ?? 0);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(reqs?.points[0]?.time).toBeGreaterThan(reqs?.points[0]?.start ?? 0n);
    } finally {
      await collector.close();
    }
  });

  it('OTLP/gRPC (the default protocol): the final export reaches the collector with the headers as metadata', async () => {
    const collector = await startGrpcCollector();
    try {
      const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'opentelemetry', arg: '' }] }, {
        K6_OTEL_GRPC_EXPORTER_ENDPOINT: collector.endpoint, K6_OTEL_GRPC_EXPORTER_INSECURE: 'true', K6_OTEL_HEADERS: 'x-tenant=t1',
      });
      expect(run.exitCode).toBe(0);
      expect(run.outputs).toEqual([`opentelemetry (grpc (insecure), ${collector.endpoint})`]);
      // The default export interval (10 s) is longer than the run: one export, at shutdown.
      expect(collector.requests.length).toBe(1);
      expect(collector.requests[0]?.metadata['x-tenant']).toBe('t1');
      const e = decodeExport(collector.requests[0]?.body ?? new Uint8Array());
      expect(metricOf(e, 'http_reqs')?.points.reduce((n, p) => n + (p.value ?? 0), 0)).toBe(run.result?.summaryData.metrics.http_reqs?.values.count);
      expect(metricOf(e, 'iterations')?.points[0]?.value).toBe(run.result?.summaryData.metrics.iterations?.values.count);
    } finally {
      await collector.close();
    }
  });

  it('a collector that is down (HTTP: refused, not retried; gRPC: Unavailable, retried until the exporter timeout): the failed export is logged, the run ends normally', async () => {
    const gone = await startReceiver();
    const endpoint = gone.url.replace('http://', '');
    await gone.close();
    const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'opentelemetry', arg: '' }] }, {
      K6_OTEL_EXPORTER_PROTOCOL: 'http/protobuf', K6_OTEL_HTTP_EXPORTER_ENDPOINT: endpoint, K6_OTEL_HTTP_EXPORTER_INSECURE: 'true',
    });
    expect(run.exitCode).toBe(0);
    const err = run.log.find((e) => e.level === 'error');
    expect(err?.msg).toBe(`failed to upload metrics: Post "http://${endpoint}/v1/metrics": dial tcp ${endpoint}: connect: connection refused`);
    const grpc = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'opentelemetry', arg: '' }] }, {
      // Unavailable is retried (otel-retry.test.ts) until the exporter's timeout, here short.
      K6_OTEL_GRPC_EXPORTER_ENDPOINT: endpoint, K6_OTEL_GRPC_EXPORTER_INSECURE: 'true', OTEL_EXPORTER_OTLP_TIMEOUT: '300',
    });
    expect(grpc.exitCode).toBe(0);
    expect(grpc.log.find((e) => e.level === 'error')?.msg)
      .toBe(`failed to upload metrics: exporter export timeout: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp ${endpoint}: connect: connection refused"`);
  });

  it('refuses bad config before the run with k6\'s texts; experimental-opentelemetry warns it graduated', async () => {
    const bad = async (env: Record<string, string>): Promise<string | undefined> => {
      const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'opentelemetry', arg: '' }] }, env);
      expect(run.exitCode).toBe(255);
      return run.error;
    };
    const prefix = "could not create the 'opentelemetry' output: ";
    expect(await bad({ K6_OTEL_EXPORTER_PROTOCOL: 'http/json' }))
      .toBe(`${prefix}error validating OpenTelemetry output config: unsupported exporter protocol "http/json", only "grpc" and "http/protobuf" are supported`);
    expect(await bad({ K6_OTEL_EXPORTER_PROTOCOL: 'http/protobuf', K6_OTEL_HTTP_EXPORTER_ENDPOINT: 'http://localhost:4318' }))
      .toBe(`${prefix}error validating OpenTelemetry output config: HTTP exporter endpoint must only be host and port, no scheme`);
    expect(await bad({ OTEL_SERVICE_NAME: '' })).toBe(`${prefix}error validating OpenTelemetry output config: providing service name is required`);
    expect(await bad({ K6_OTEL_HEADERS: 'novalue' })).toBe(`${prefix}failed to create OpenTelemetry exporter: failed to parse headers: invalid header "novalue", expected format key=value`);
    expect(await bad({ K6_OTEL_TLS_CERTIFICATE: 'ca.pem' })).toBe(`${prefix}failed to create OpenTelemetry exporter: failed to read root certificate from "ca.pem": open ca.pem: no such file or directory`);
    const collector = await startGrpcCollector();
    try {
      const run = await runWithOutputs(SCRIPT(target.url), { networkOuts: [{ kind: 'experimental-opentelemetry', arg: '' }] }, {
        K6_OTEL_GRPC_EXPORTER_ENDPOINT: collector.endpoint, K6_OTEL_GRPC_EXPORTER_INSECURE: 'true',
      });
      expect(run.exitCode).toBe(0);
      expect(run.log.find((e) => e.level === 'warn')?.msg).toMatch(/^OpenTelemetry output has been graduated as a stable output/);
    } finally {
      await collector.close();
    }
  });
});
