// Synthesises the per-second batches of a long run as the engine would have sent them: `names` URL
// names, `requestsPerSecond` requests spread over them, each request adding k6's HTTP samples (the
// seven http_req_* trends, http_reqs, http_req_failed, data_sent/received), plus iterations,
// iteration_duration and vus. The samples go through the engine's MetricsAggregator (so trends are the
// engine's own HDR encodings) and then through capSeries, as the orchestrator stores them.
// To keep seeding fast, `distinctSeconds` seconds are generated and repeated over the run.
import { MetricsAggregator } from '../../src/engine/metrics/metrics-aggregator.ts';
import { BUILTIN_METRICS } from '../../src/engine/metrics/builtin-metrics.ts';
import type { MetricDef, MetricsBatch } from '../../src/engine/index.ts';

/** A deterministic pseudo-random source (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticRun {
  names: number;
  requestsPerSecond: number;
  distinctSeconds?: number;
}

/** `distinctSeconds` per-second batches (times 0, 1000, …), to be re-timed and repeated. */
export function syntheticSeconds(spec: SyntheticRun): MetricsBatch[] {
  const defs = new Map<string, MetricDef>(BUILTIN_METRICS.map((d) => [d.name, d]));
  let now = 0;
  const agg = new MetricsAggregator({ get: (n) => defs.get(n) }, () => now);
  const rnd = random(42);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const tagSets = Array.from({ length: spec.names }, (_, i) => {
    const url = `http://127.0.0.1:8080/api/endpoint-${i}`;
    return Object.freeze({ proto: 'HTTP/1.1', method: 'GET', url, name: url, status: '200', expected_response: 'true', group: '', scenario: 'default' });
  });
  const scenarioTags = Object.freeze({ group: '', scenario: 'default' });
  const out: MetricsBatch[] = [];
  const seconds = spec.distinctSeconds ?? 60;
  for (let s = 0; s < seconds; s++) {
    for (let r = 0; r < spec.requestsPerSecond; r++) {
      now = s * 1000 + Math.floor((r * 1000) / spec.requestsPerSecond);
      const i = r % spec.names;
      const base = 5 + i * 5; // endpoint i answers in ~(5 + 5i) ms
      const waiting = base * Math.exp(0.4 * normal());
      const sending = 0.02 + rnd() * 0.05;
      const receiving = 0.05 + rnd() * 0.2;
      const failed = rnd() < 0.001 ? 1 : 0;
      agg.addMany(tagSets[i] as Record<string, string>, [
        ['http_reqs', 1],
        ['http_req_duration', sending + waiting + receiving],
        ['http_req_blocked', rnd() < 0.01 ? 0.5 : 0.002],
        ['http_req_connecting', 0],
        ['http_req_tls_handshaking', 0],
        ['http_req_sending', sending],
        ['http_req_waiting', waiting],
        ['http_req_receiving', receiving],
        ['http_req_failed', failed],
        ['data_sent', 120],
        ['data_received', 250],
      ]);
      agg.addMany(scenarioTags, [
        ['iterations', 1],
        ['iteration_duration', sending + waiting + receiving + 0.1],
      ]);
    }
    now = s * 1000 + 999;
    agg.add('vus', scenarioTags, Math.round(spec.requestsPerSecond / 10));
    out.push(...agg.flush((s + 1) * 1000));
  }
  out.push(...agg.flushAll());
  return out;
}
