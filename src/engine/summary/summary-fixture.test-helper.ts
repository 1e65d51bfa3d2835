// A small deterministic run shared by the summary tests: 10 HTTP requests, two checks (one in a group,
// failing 4 of 10 times), a custom counter, thresholds on a metric, a submetric and a counter rate.
import { MetricRegistry } from '../metrics/metric-registry.ts';
import { MetricsAggregator } from '../metrics/metrics-aggregator.ts';
import { RunMetrics } from '../metrics/run-metrics.ts';
import { ThresholdEvaluator } from '../thresholds/evaluate-thresholds.ts';
import { parseThresholds } from '../thresholds/parse-thresholds.ts';
import { type SummaryData, buildSummaryData } from './summary-data.ts';

export const FIXTURE_THRESHOLDS = {
  http_req_duration: ['p(95)<500', 'p(99)<1000'],
  'http_req_duration{status:200}': ['avg<100'],
  checks: ['rate>0.9'],
  http_reqs: ['count>5', { threshold: 'rate>100', abortOnFail: true }],
};

export function fixtureRun(): { data: SummaryData; evaluator: ThresholdEvaluator; registry: MetricRegistry; metrics: RunMetrics } {
  const registry = new MetricRegistry();
  registry.define('my_counter', 'counter', 'default');
  const agg = new MetricsAggregator(registry, () => 1_700_000_000_000);
  const metrics = new RunMetrics(registry.all());
  const parsed = parseThresholds(FIXTURE_THRESHOLDS, (n) => registry.get(n));
  const evaluator = new ThresholdEvaluator(parsed.thresholds);
  evaluator.track(metrics);
  for (let i = 0; i < 10; i++) {
    const t = { status: '200', expected_response: 'true', group: '' };
    agg.addMany(t, [['http_reqs', 1], ['http_req_duration', 100 + i * 13.37], ['http_req_failed', 0], ['http_req_waiting', 90]]);
    agg.add('checks', { check: 'status is 200', group: '' }, 1);
    agg.add('checks', { check: 'body ok', group: '::g1' }, i % 3 ? 1 : 0);
    agg.add('group_duration', { group: '::g1' }, 5);
    agg.add('iterations', {}, 1);
    agg.add('iteration_duration', {}, 1012.3 + i);
    agg.add('data_received', {}, 17_000 + i);
    agg.add('data_sent', {}, 900);
    agg.add('my_counter', {}, 2);
  }
  agg.add('vus', {}, 1);
  agg.add('vus_max', {}, 1);
  for (const b of agg.flushAll()) metrics.ingest(b);
  evaluator.evaluate(metrics, 10_123, { final: true });
  const data = buildSummaryData({
    metrics,
    thresholds: evaluator.results(),
    testRunDurationMs: 10_123,
    options: {},
    state: { isStdOutTTY: false, isStdErrTTY: true },
    setupData: { token: 'abc' },
  });
  return { data, evaluator, registry, metrics };
}
