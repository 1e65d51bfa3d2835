import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../metrics/metric-registry.ts';
import { MetricsAggregator } from '../metrics/metrics-aggregator.ts';
import { RunMetrics } from '../metrics/run-metrics.ts';
import { ThresholdEvaluator } from './evaluate-thresholds.ts';
import { parseThresholds } from './parse-thresholds.ts';

const T0 = 1_700_000_000_000;

function setup(thresholds: Record<string, unknown>) {
  const registry = new MetricRegistry();
  registry.define('my_trend', 'trend', 'default');
  const parsed = parseThresholds(thresholds, (n) => registry.get(n));
  expect(parsed.errors).toEqual([]);
  const metrics = new RunMetrics(registry.all());
  const evaluator = new ThresholdEvaluator(parsed.thresholds);
  evaluator.track(metrics);
  const agg = new MetricsAggregator(registry, () => T0);
  const push = (fn: (a: MetricsAggregator) => void) => {
    fn(agg);
    for (const b of agg.flushAll()) metrics.ingest(b);
  };
  return { metrics, evaluator, push };
}

describe('ThresholdEvaluator', () => {
  it('evaluates each aggregation against the merged values', () => {
    const { metrics, evaluator, push } = setup({
      http_req_duration: ['p(50)<=25', 'avg<20', 'max==40', 'min>=10'],
      http_reqs: ['count==4', 'rate>1'],
      http_req_failed: ['rate<0.3'],
      'http_req_duration{status:500}': ['max<35'],
    });
    push((a) => {
      [10, 20, 30, 40].forEach((v, i) =>
        a.addMany({ status: i === 3 ? '500' : '200' }, [['http_req_duration', v], ['http_reqs', 1], ['http_req_failed', i === 3 ? 1 : 0]]),
      );
    });
    const r = evaluator.evaluate(metrics, 2000, { final: true });
    expect(r.results.map((x) => [x.source, x.ok, x.observed])).toEqual([
      ['p(50)<=25', true, 25],
      ['avg<20', false, 25],
      ['max==40', true, 40],
      ['min>=10', true, 10],
      ['count==4', true, 4],
      ['rate>1', true, 2],
      ['rate<0.3', true, 0.25],
      ['max<35', false, 40],
    ]);
    expect(r.failed).toEqual(['http_req_duration', 'http_req_duration{status:500}']);
    expect(r.shouldAbort).toBe(false);
  });

  it('skips metrics without samples during the run, and applies the empty-sink rules at the end', () => {
    const { metrics, evaluator } = setup({
      my_trend: ['avg>1', 'p(95)<100'],
      checks: ['rate>0.99'],
      iterations: ['count>0'],
    });
    const during = evaluator.evaluate(metrics, 4000, { final: false });
    expect(during.results.every((r) => r.ok && r.observed === undefined)).toBe(true);
    const end = evaluator.evaluate(metrics, 4000, { final: true });
    expect(end.results.map((r) => [r.source, r.ok, r.observed])).toEqual([
      ['avg>1', false, 0],
      ['p(95)<100', true, 0],
      ['rate>0.99', true, undefined],
      ['count>0', false, 0],
    ]);
  });

  it('demands an abort for a failing abortOnFail threshold, honouring delayAbortEval', () => {
    const { metrics, evaluator, push } = setup({
      http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '10s' }],
      http_reqs: [{ threshold: 'count<100', abortOnFail: false }],
    });
    push((a) => a.add('http_req_failed', {}, 1));
    expect(evaluator.evaluate(metrics, 5000, { final: false }).shouldAbort).toBe(false);
    const late = evaluator.evaluate(metrics, 10_001, { final: false });
    expect(late.shouldAbort).toBe(true);
    expect(late.failed).toEqual(['http_req_failed']);
  });

  it('does not abort for failures of thresholds without abortOnFail', () => {
    const { metrics, evaluator, push } = setup({ http_reqs: ['count<1'] });
    push((a) => a.add('http_reqs', {}, 1));
    const r = evaluator.evaluate(metrics, 1000, { final: false });
    expect(r.failed).toEqual(['http_reqs']);
    expect(r.shouldAbort).toBe(false);
  });

  it('keeps the last result of a skipped threshold', () => {
    const { metrics, evaluator, push } = setup({ 'http_reqs{name:x}': ['count<1'] });
    push((a) => a.add('http_reqs', { name: 'x' }, 1));
    expect(evaluator.evaluate(metrics, 1000, { final: false }).results[0]?.ok).toBe(false);
    expect(evaluator.results()[0]?.ok).toBe(false);
  });

  it("reports k6's Metric.Tainted: absent until compared, then whether a threshold of the metric failed", () => {
    const { metrics, evaluator, push } = setup({ http_req_duration: ['max<35', 'avg<100'], http_reqs: ['count>0'] });
    expect(evaluator.tainted()).toEqual(new Map());
    push((a) => a.addMany({}, [['http_req_duration', 40]]));
    // Mid-run, metrics without samples are skipped (k6 ignoreEmptySinks): http_reqs stays unknown.
    evaluator.evaluate(metrics, 1000, { final: false });
    expect(evaluator.tainted()).toEqual(new Map([['http_req_duration', true]]));
    evaluator.evaluate(metrics, 1000, { final: true });
    expect(evaluator.tainted()).toEqual(new Map([['http_req_duration', true], ['http_reqs', true]]));
  });
});
