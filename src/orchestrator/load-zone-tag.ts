// Grafana Cloud k6 labels a run's samples with the load zone whose load generators produced them
// (`load_zone`: the v5 metrics API lists it among a metric's labels and answers
// `label/load_zone/values`, and selectors such as `http_reqs{load_zone="…"}` filter on it). Each runner's
// batches get their zone's tag before the batches of a second merge across runners, so a run split over
// zones keeps one series per zone. The engine's VU gauges stay untagged, as their run-wide value is the
// sum over the runners (run-wide-gauges.ts); a `load_zone` tag the script set itself is kept.
import type { StoredMetricsBatch } from '../store/index.ts';
import { RUN_WIDE_GAUGES } from './run-wide-gauges.ts';

export function tagLoadZone(batch: StoredMetricsBatch, loadZone: string): StoredMetricsBatch {
  return {
    ...batch,
    series: batch.series.map((agg) => (RUN_WIDE_GAUGES.has(agg.metric) || agg.tags['load_zone'] !== undefined ? agg : { ...agg, tags: { ...agg.tags, load_zone: loadZone } })),
  };
}
