import { describe, expect, it } from 'vitest';
import { otelConfig, otelDescription, parseOtelHeaders } from './otel-config.ts';
import { OtelAggregation } from './otel-metrics.ts';
import type { PointSample } from './sample-output.ts';

describe('opentelemetry config (k6 internal/output/opentelemetry/config.go)', () => {
  it('defaults: grpc to localhost:4317, 1s flushes, 10s exports, service k6', () => {
    const c = otelConfig({}, undefined);
    expect(c).toMatchObject({ exporterProtocol: 'grpc', grpcExporterEndpoint: 'localhost:4317', flushIntervalMs: 1000, exportIntervalMs: 10_000, serviceName: 'k6', metricPrefix: '' });
    expect(otelDescription(c)).toBe('opentelemetry (grpc, localhost:4317)');
    expect(otelDescription(otelConfig({ K6_OTEL_EXPORTER_PROTOCOL: 'http/protobuf' }, undefined))).toBe('opentelemetry (http/protobuf, https://localhost:4318/v1/metrics)');
  });

  it('tiers: collectors JSON < OTEL_SERVICE_NAME < K6_OTEL_*', () => {
    const json = { serviceName: 'file', exportInterval: '3s', exporterProtocol: 'http/protobuf', httpExporterURLPath: '/otlp/v1/metrics' };
    expect(otelConfig({ OTEL_SERVICE_NAME: 'otel' }, json)).toMatchObject({ serviceName: 'otel', exportIntervalMs: 3000, httpExporterURLPath: '/otlp/v1/metrics' });
    expect(otelConfig({ OTEL_SERVICE_NAME: 'otel', K6_OTEL_SERVICE_NAME: 'k6env' }, json).serviceName).toBe('k6env');
    expect(() => otelConfig({}, { exportInterval: true })).toThrow('parse JSON options failed: json: cannot unmarshal boolean into Go struct field Config.exportInterval of type types.NullDuration');
    expect(() => otelConfig({ K6_OTEL_GRPC_EXPORTER_ENDPOINT: 'x', K6_OTEL_EXPORTER_PROTOCOL: 'grpc', K6_OTEL_SERVICE_VERSION: '' }, { serviceVersion: '' }))
      .toThrow('error validating OpenTelemetry output config: providing service version is required');
  });

  it('headers: k=v pairs, path-unescaped (parseHeaders)', () => {
    expect(parseOtelHeaders('a=1,b%20c=d%2Ce')).toEqual({ a: '1', 'b c': 'd,e' });
    expect(() => parseOtelHeaders('a=1,b')).toThrow('invalid header "b", expected format key=value');
  });
});

describe('OtelAggregation', () => {
  const s = (metric: string, type: PointSample['type'], value: number, tags: Record<string, string> = {}): PointSample =>
    ({ metric, type, contains: type === 'trend' ? 'time' : 'default', time: 0, value, tags, metadata: undefined });

  it('histogram buckets have inclusive upper bounds; sums, gauges and rate conditions are cumulative', () => {
    const a = new OtelAggregation('');
    a.record([s('d', 'trend', 0), s('d', 'trend', 5), s('d', 'trend', 5.5), s('d', 'trend', 20000), s('c', 'counter', 2, { b: '1', a: '' }), s('g', 'gauge', 3), s('r', 'rate', 1), s('r', 'rate', 0)], 1);
    a.record([s('c', 'counter', 3, { b: '1' }), s('g', 'gauge', 7), s('r', 'rate', 2)], 2);
    const [d, c, g, r] = a.collect();
    expect(d).toMatchObject({ name: 'd', unit: 'ms', kind: 'histogram', start: 1 });
    expect(d?.points[0]).toMatchObject({ count: 4, sum: 20010.5, min: 0, max: 20000, buckets: [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] });
    expect(c?.points).toEqual([{ kind: 'sum', attributes: [['b', '1']], value: 5, int: false }]);
    expect(g?.points).toEqual([{ kind: 'gauge', attributes: [], value: 7 }]);
    expect(r?.name).toBe('r.total');
    expect(r?.points.map((p) => [p.attributes, p.kind === 'sum' ? p.value : NaN])).toEqual([[[['condition', 'nonzero']], 2], [[['condition', 'zero']], 1]]);
  });
});
