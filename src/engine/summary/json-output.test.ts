import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../metrics/metric-registry.ts';
import type { Tags } from '../vu/vu-host.ts';
import { JsonOutput, JsonOutputMerger, formatGoTime, jsonMetricDescriptions } from './json-output.ts';

describe('JsonOutput', () => {
  it('adds k6\'s "metadata" field (sorted keys) to the points of a withMetadata sink, forwarding plain samples', () => {
    const chunks: string[] = [];
    const forwarded: [string, number][] = [];
    const out = new JsonOutput({
      write: (c) => chunks.push(c),
      metrics: new MetricRegistry(),
      now: () => Date.UTC(2024, 0, 2, 3, 4, 5),
      next: { add: (m, _t, v) => forwarded.push([m, v]), addMany: (_t, s) => s.forEach(([m, v]) => forwarded.push([m, v])) },
    });
    const tags = { group: '' };
    out.withMetadata({ trace_id: 'x', a: '1' }).addMany(tags, [['http_reqs', 1]]);
    out.withMetadata({ trace_id: 'y' }).add('http_reqs', tags, 2);
    out.add('http_reqs', tags, 3);
    out.flush();
    const points = chunks.join('').trimEnd().split('\n').slice(1);
    expect(points).toEqual([
      '{"metric":"http_reqs","type":"Point","data":{"time":"2024-01-02T03:04:05Z","value":1,"tags":{"group":""},"metadata":{"a":"1","trace_id":"x"}}}',
      '{"metric":"http_reqs","type":"Point","data":{"time":"2024-01-02T03:04:05Z","value":2,"tags":{"group":""},"metadata":{"trace_id":"y"}}}',
      '{"metric":"http_reqs","type":"Point","data":{"time":"2024-01-02T03:04:05Z","value":3,"tags":{"group":""}}}',
    ]);
    expect(forwarded).toEqual([['http_reqs', 1], ['http_reqs', 2], ['http_reqs', 3]]);
  });

  it('writes a Metric line once per metric and a Point line per sample, and forwards samples', () => {
    const chunks: string[] = [];
    const forwarded: [string, Tags, number][] = [];
    const out = new JsonOutput({
      write: (c) => chunks.push(c),
      metrics: new MetricRegistry(),
      thresholds: { http_req_duration: ['p(95)<500', { threshold: 'avg<100', abortOnFail: true, delayAbortEval: '10s' }], 'http_req_duration{status:200}': ['max<1'] },
      submetrics: ['http_req_duration{expected_response:true}'],
      now: () => Date.UTC(2024, 0, 2, 3, 4, 5, 120),
      next: {
        add: (m, t, v) => forwarded.push([m, t, v]),
        addMany: (t, s) => s.forEach(([m, v]) => forwarded.push([m, t, v])),
      },
    });
    const tags = { url: 'http://127.0.0.1/', status: '200', method: 'GET' };
    out.addMany(tags, [['http_reqs', 1], ['http_req_duration', 12.5]]);
    out.add('http_reqs', tags, 1);
    expect(chunks).toEqual([]);
    out.flush();
    const lines = chunks.join('').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { type: 'Metric', data: { name: 'http_reqs', type: 'counter', contains: 'default', thresholds: [], submetrics: null }, metric: 'http_reqs' },
      { metric: 'http_reqs', type: 'Point', data: { time: '2024-01-02T03:04:05.12Z', value: 1, tags: { method: 'GET', status: '200', url: 'http://127.0.0.1/' } } },
      {
        type: 'Metric',
        data: {
          name: 'http_req_duration',
          type: 'trend',
          contains: 'time',
          thresholds: ['p(95)<500', { threshold: 'avg<100', abortOnFail: true, delayAbortEval: '10s' }],
          submetrics: [
            { name: 'http_req_duration{status:200}', suffix: 'status:200', tags: { status: '200' } },
            { name: 'http_req_duration{expected_response:true}', suffix: 'expected_response:true', tags: { expected_response: 'true' } },
          ],
        },
        metric: 'http_req_duration',
      },
      { metric: 'http_req_duration', type: 'Point', data: { time: '2024-01-02T03:04:05.12Z', value: 12.5, tags: { method: 'GET', status: '200', url: 'http://127.0.0.1/' } } },
      { metric: 'http_reqs', type: 'Point', data: { time: '2024-01-02T03:04:05.12Z', value: 1, tags: { method: 'GET', status: '200', url: 'http://127.0.0.1/' } } },
    ]);
    expect(forwarded).toHaveLength(3);
  });

  it('lists a submetric named twice with its tags in another order once, under its first name', () => {
    const chunks: string[] = [];
    const metrics = new MetricRegistry();
    metrics.define('cc', 'counter', 'default');
    const out = new JsonOutput({
      write: (c) => chunks.push(c),
      metrics,
      thresholds: { 'cc{a:1,b:2}': ['count>0'], 'cc{b:2, a:1}': ['count<100'] },
      now: () => Date.UTC(2024, 0, 2, 3, 4, 5),
    });
    out.add('cc', { a: '1', b: '2' }, 1);
    out.flush();
    const line = JSON.parse(chunks.join('').split('\n')[0] ?? '{}') as { data: { submetrics: unknown } };
    expect(line.data.submetrics).toEqual([{ name: 'cc{a:1,b:2}', suffix: 'a:1,b:2', tags: { a: '1', b: '2' } }]);
  });

  it('describes thresholds as k6 marshals them (TestThresholdsJSON): plain sources, abortOnFail objects with delayAbortEval as a Go duration or null', () => {
    const chunks: string[] = [];
    const out = new JsonOutput({
      write: (c) => chunks.push(c),
      metrics: new MetricRegistry(),
      thresholds: {
        m: [
          { threshold: 'rate<0.01' }, 'p(95)<200', { threshold: 'rate<0.02', abortOnFail: false },
          { threshold: 'rate<0.03', abortOnFail: true }, { threshold: 'rate<0.04', abortOnFail: true, delayAbortEval: '2000ms' },
          { threshold: 'rate<0.05', abortOnFail: true, delayAbortEval: 90000 },
        ],
      },
    });
    out.add('m', {}, 1);
    out.flush();
    const metric = JSON.parse(chunks.join('').split('\n')[0] ?? '') as { data: { thresholds: unknown } };
    expect(JSON.stringify(metric.data.thresholds)).toBe('["rate<0.01","p(95)<200","rate<0.02",'
      + '{"threshold":"rate<0.03","abortOnFail":true,"delayAbortEval":null},{"threshold":"rate<0.04","abortOnFail":true,"delayAbortEval":"2s"},'
      + '{"threshold":"rate<0.05","abortOnFail":true,"delayAbortEval":"1m30s"}]');
  });

  it('writes once the buffer fills', () => {
    const chunks: string[] = [];
    const out = new JsonOutput({ write: (c) => chunks.push(c), metrics: new MetricRegistry(), bufferSize: 0 });
    out.add('iterations', {}, 1);
    expect(chunks.join('')).toMatch(/"type":"Point"/);
  });

  it('formats times like Go RFC3339Nano', () => {
    expect(formatGoTime(Date.UTC(2024, 0, 1, 0, 0, 0, 0))).toBe('2024-01-01T00:00:00Z');
    expect(formatGoTime(Date.UTC(2024, 0, 1, 0, 0, 0, 5))).toBe('2024-01-01T00:00:00.005Z');
  });

  it('merges several workers\' streams keeping one Metric line per metric, before its points', () => {
    const chunks: string[] = [];
    const workers = [0, 1].map(() => new JsonOutput({ write: (c) => chunks.push(c), metrics: new MetricRegistry(), now: () => 0 }));
    workers[0]?.add('iterations', {}, 1);
    workers[1]?.add('iterations', {}, 1);
    workers[1]?.add('vus', {}, 1);
    workers.forEach((w) => w.flush());
    const merger = new JsonOutputMerger();
    const merged = chunks.map((c) => merger.accept(c)).join('');
    const lines = merged.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; metric: string });
    expect(lines.map((l) => `${l.type}:${l.metric}`)).toEqual([
      'Metric:iterations', 'Point:iterations', 'Point:iterations', 'Metric:vus', 'Point:vus',
    ]);
  });
});

describe('jsonMetricDescriptions (what the Metric lines describe, as k6\'s metrics engine leaves the registry)', () => {
  const thresholds = { http_req_duration: ['p(95)<500'], 'cc{kind:x}': ['count>0'] };
  const systemTags = ['status', 'expected_response'];

  it('lists the thresholds, and the expected_response submetric while that system tag is on', () => {
    expect(jsonMetricDescriptions({ thresholds, systemTags }, true)).toEqual({ thresholds, submetrics: ['http_req_duration{expected_response:true}'] });
    expect(jsonMetricDescriptions({ thresholds, systemTags: ['status'] }, true)).toEqual({ thresholds, submetrics: [] });
    // The summary off with thresholds on: k6 still feeds its metrics engine.
    expect(jsonMetricDescriptions({ thresholds, systemTags }, false).submetrics).toEqual(['http_req_duration{expected_response:true}']);
  });

  it('with --no-thresholds, no thresholds but the submetrics their keys name, or nothing at all without a summary', () => {
    expect(jsonMetricDescriptions({ thresholds, systemTags, noThresholds: true }, true)).toEqual({
      submetrics: ['http_req_duration', 'cc{kind:x}', 'http_req_duration{expected_response:true}'],
    });
    expect(jsonMetricDescriptions({ thresholds, systemTags, noThresholds: true }, false)).toEqual({ submetrics: [] });
  });
});
