// `--out json=FILE`: k6's NDJSON point format (internal/output/json). A "Metric" line the first time a
// metric is seen, then one "Point" line per sample. Used as a SampleSink tee in front of the aggregator.
import type { SampleSink, Tags } from '../vu/vu-host.ts';
import type { MetricDef } from '../metrics/metrics-batch.ts';
import { parseMetricSelector, selectorIdentity } from '../metrics/metric-selector.ts';
import { formatDuration, parseDuration } from '../../core/index.ts';
import { EXPECTED_RESPONSE_SUBMETRIC } from '../metrics/run-metrics.ts';

export interface JsonOutputOptions {
  /** Where lines go; called with whole lines, batched. */
  readonly write: (chunk: string) => void;
  readonly metrics: { get(name: string): Readonly<MetricDef> | undefined };
  /** The forwarded sink (the worker's aggregator). */
  readonly next?: SampleSink;
  /** options.thresholds as written, to describe each metric like k6 does. */
  readonly thresholds?: Readonly<Record<string, unknown>>;
  /** Submetric names to list under their parent besides threshold keys (e.g. http_req_duration{expected_response:true}). */
  readonly submetrics?: readonly string[];
  readonly now?: () => number;
  /** Buffered characters before a write; 0 writes every sample. */
  readonly bufferSize?: number;
}

/** What the JSON output's Metric lines describe: JsonOutputOptions' `thresholds` and `submetrics`. */
export interface JsonMetricDescriptions {
  readonly thresholds?: Readonly<Record<string, unknown>>;
  readonly submetrics: readonly string[];
}

/**
 * The thresholds and submetrics k6's metrics engine leaves on the registry's metrics, which its JSON
 * output prints (InitSubMetricsAndThresholds): nothing when both the thresholds and the summary are
 * off; with `--no-thresholds` and a summary, the submetrics the keys name but no thresholds; the
 * `http_req_duration{expected_response:true}` submetric while that system tag is on.
 */
export function jsonMetricDescriptions(
  options: { readonly thresholds?: unknown; readonly noThresholds?: boolean; readonly systemTags?: readonly string[] },
  summaryEnabled: boolean,
): JsonMetricDescriptions {
  const thresholds = options.thresholds as Readonly<Record<string, unknown>> | undefined;
  const noThresholds = options.noThresholds === true;
  if (noThresholds && !summaryEnabled) return { submetrics: [] };
  const expected = options.systemTags?.includes('expected_response') === true ? [EXPECTED_RESPONSE_SUBMETRIC] : [];
  if (noThresholds) return { submetrics: [...Object.keys(thresholds ?? {}), ...expected] };
  return { thresholds, submetrics: expected };
}

/** Go's RFC3339Nano in UTC: fraction without trailing zeros. */
export function formatGoTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d+)Z$/, (_, frac: string) => {
    const trimmed = frac.replace(/0+$/, '');
    return trimmed ? `.${trimmed}Z` : 'Z';
  });
}

function sortedTags(tags: Tags): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(tags).sort()) out[k] = tags[k] as string;
  return out;
}

function goDuration(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  try {
    return formatDuration(parseDuration(v));
  } catch {
    return String(v);
  }
}

function thresholdJson(entry: unknown): unknown {
  if (entry && typeof entry === 'object') {
    const o = entry as Record<string, unknown>;
    // k6's thresholdConfig: delayAbortEval is a types.NullDuration, written as Go's Duration.String().
    if (o.abortOnFail === true) return { threshold: o.threshold, abortOnFail: true, delayAbortEval: goDuration(o.delayAbortEval) };
    return o.threshold;
  }
  return entry;
}

export class JsonOutput implements SampleSink {
  readonly #o: JsonOutputOptions;
  readonly #seen = new Set<string>();
  readonly #tagJson = new WeakMap<object, string>();
  #buffer = '';

  constructor(options: JsonOutputOptions) {
    this.#o = options;
  }

  add(metric: string, tags: Tags, value: number): void {
    this.#add(metric, tags, value, '');
  }

  addMany(tags: Tags, samples: ReadonlyArray<readonly [metric: string, value: number]>): void {
    this.#addMany(tags, samples, '');
  }

  /**
   * A sink for a VU with `exec.vu.metrics.metadata` set: its Point lines carry k6's `"metadata"`
   * field (keys sorted, as Go encodes a map); the forwarded sink gets the samples as usual.
   */
  withMetadata(metadata: Readonly<Record<string, string>>): SampleSink {
    const metaJson = JSON.stringify(sortedTags(metadata));
    return {
      add: (metric, tags, value) => this.#add(metric, tags, value, metaJson),
      addMany: (tags, samples) => this.#addMany(tags, samples, metaJson),
    };
  }

  #add(metric: string, tags: Tags, value: number, metaJson: string): void {
    this.#point(metric, this.#tags(tags), value, this.#time(), metaJson);
    this.#o.next?.add(metric, tags, value);
    this.#maybeWrite();
  }

  #addMany(tags: Tags, samples: ReadonlyArray<readonly [metric: string, value: number]>, metaJson: string): void {
    const tagJson = this.#tags(tags);
    const time = this.#time();
    for (const [metric, value] of samples) this.#point(metric, tagJson, value, time, metaJson);
    this.#o.next?.addMany(tags, samples);
    this.#maybeWrite();
  }

  /** Writes whatever is buffered. Call at the end of the run. */
  flush(): void {
    if (this.#buffer === '') return;
    const chunk = this.#buffer;
    this.#buffer = '';
    this.#o.write(chunk);
  }

  #time(): string {
    return formatGoTime((this.#o.now ?? Date.now)());
  }

  #tags(tags: Tags): string {
    let json = this.#tagJson.get(tags);
    if (json === undefined) {
      json = JSON.stringify(sortedTags(tags));
      this.#tagJson.set(tags, json);
    }
    return json;
  }

  /** `metaJson` is '' for samples without metadata (k6 omits the empty field). */
  #point(metric: string, tagJson: string, value: number, time: string, metaJson: string): void {
    if (!this.#seen.has(metric)) {
      this.#seen.add(metric);
      this.#buffer += this.#metricLine(metric) + '\n';
    }
    const v = Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
    const meta = metaJson === '' ? '' : `,"metadata":${metaJson}`;
    this.#buffer += `{"metric":${JSON.stringify(metric)},"type":"Point","data":{"time":"${time}","value":${v},"tags":${tagJson}${meta}}}\n`;
  }

  #metricLine(metric: string): string {
    const def = this.#o.metrics.get(metric);
    const raw = this.#o.thresholds?.[metric];
    const thresholds = Array.isArray(raw) ? raw.map(thresholdJson) : [];
    const subNames = [...Object.keys(this.#o.thresholds ?? {}), ...(this.#o.submetrics ?? [])].filter((k) => k.startsWith(metric + '{'));
    const submetrics: { name: string; suffix: string; tags: Record<string, string> }[] = [];
    // One per tag set, under its first name (k6's AddSubmetric): `cc{b:2,a:1}` after `cc{a:1,b:2}` adds none.
    const identities = new Set<string>();
    for (const name of subNames) {
      try {
        const sel = parseMetricSelector(name);
        const identity = selectorIdentity(sel);
        if (sel.metric !== metric || identities.has(identity)) continue;
        identities.add(identity);
        submetrics.push({ name: sel.name, suffix: sel.name.slice(metric.length + 1, -1), tags: Object.fromEntries(sel.tags) });
      } catch {
        // invalid keys were reported by threshold validation
      }
    }
    return JSON.stringify({
      type: 'Metric',
      data: {
        name: metric,
        type: def?.type ?? 'counter',
        contains: def?.contains ?? 'default',
        thresholds,
        submetrics: submetrics.length > 0 ? submetrics : null,
      },
      metric,
    });
  }

  #maybeWrite(): void {
    if (this.#buffer.length >= (this.#o.bufferSize ?? 65_536)) this.flush();
  }
}

const METRIC_LINE_PREFIX = '{"type":"Metric",';

/**
 * Joins the NDJSON chunks of several workers' JsonOutputs into one file's content: each worker describes
 * a metric before its first point, so keeping only the first "Metric" line per metric keeps k6's order
 * (description before any point) in the merged stream.
 */
export class JsonOutputMerger {
  readonly #seen = new Set<string>();

  accept(chunk: string): string {
    if (!chunk.includes(METRIC_LINE_PREFIX)) return chunk;
    let out = '';
    for (const line of chunk.split('\n')) {
      if (line === '') continue;
      if (line.startsWith(METRIC_LINE_PREFIX)) {
        const metric = (JSON.parse(line) as { metric: string }).metric;
        if (this.#seen.has(metric)) continue;
        this.#seen.add(metric);
      }
      out += line + '\n';
    }
    return out;
  }
}
