// Validation of `options.thresholds` against the metrics the script can emit (metrics/thresholds.go
// Validate, internal/metrics/engine/engine.go). Every problem is reported, not just the first: the
// engine prints them all and exits 104.
import { parseDuration } from '../../core/index.ts';
import type { MetricSelector } from '../metrics/metric-selector.ts';
import { metricNameError, parseMetricSelector, selectorIdentity } from '../metrics/metric-selector.ts';
import type { MetricDef } from '../metrics/metrics-batch.ts';
import { AGGREGATIONS_BY_TYPE, type ThresholdExpression, parseThresholdExpression } from './threshold-expression.ts';

export interface ThresholdDefinition {
  /** `metric` or `metric{criteria}` (k6's submetric name): the key results are reported under. */
  readonly key: string;
  readonly selector: MetricSelector;
  readonly metric: Readonly<MetricDef>;
  /** The expression text as written. */
  readonly source: string;
  readonly expression: ThresholdExpression;
  readonly abortOnFail: boolean;
  /** Minimum test run time before a failure may abort; undefined = abort at once. */
  readonly delayAbortEvalMs?: number;
}

export interface ParsedThresholds {
  readonly thresholds: ThresholdDefinition[];
  readonly errors: string[];
  /** Not errors, but thresholds that cannot work as written (k6 logs these as warnings). */
  readonly warnings: string[];
}

export type MetricLookup = (name: string) => Readonly<MetricDef> | undefined;

interface RawConfig {
  source: string;
  abortOnFail: boolean;
  delay?: unknown;
}

function readConfig(entry: unknown, key: string, errors: string[]): RawConfig | undefined {
  if (typeof entry === 'string') return { source: entry, abortOnFail: false };
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const o = entry as Record<string, unknown>;
    if (typeof o.threshold !== 'string') {
      errors.push(`invalid threshold on ${key}: an object threshold needs a "threshold" string, got ${JSON.stringify(entry)}`);
      return undefined;
    }
    if (o.abortOnFail !== undefined && typeof o.abortOnFail !== 'boolean') {
      errors.push(`invalid threshold "${o.threshold}" on ${key}: abortOnFail must be a boolean`);
      return undefined;
    }
    return { source: o.threshold, abortOnFail: o.abortOnFail === true, delay: o.delayAbortEval ?? undefined };
  }
  errors.push(`invalid threshold on ${key}: expected a string or an object, got ${JSON.stringify(entry)}`);
  return undefined;
}

/** `raw` is the consolidated `options.thresholds`: { "<metric>[{tags}]": [expr | {threshold, abortOnFail, delayAbortEval}] }. */
export function parseThresholds(raw: unknown, lookup: MetricLookup): ParsedThresholds {
  const thresholds: ThresholdDefinition[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  if (raw === undefined || raw === null) return { thresholds, errors, warnings };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { thresholds, errors: [`thresholds must be an object mapping metric names to lists of thresholds`], warnings };
  }
  /** Submetric names by their metric and tag set: k6's AddSubmetric reuses a submetric with equal tags. */
  const namesByTagSet = new Map<string, string>();
  for (const [key, list] of Object.entries(raw as Record<string, unknown>)) {
    // k6 Thresholds.Validate: ParseMetricName on the key as written comes first.
    const nameError = metricNameError(key);
    if (nameError !== undefined) {
      errors.push(`unable to validate threshold expressions; reason: ${nameError}`);
      continue;
    }
    let selector: MetricSelector;
    try {
      selector = parseMetricSelector(key);
    } catch (e) {
      errors.push(`invalid metric '${key}' in threshold definitions: ${(e as Error).message}`);
      continue;
    }
    // k6 looks the name up as written before the brace: " http_reqs" names no metric.
    const metric = key.split('{', 1)[0] === selector.metric ? lookup(selector.metric) : undefined;
    if (!metric) {
      errors.push(`invalid threshold defined on ${key}; reason: no metric name "${key}" found`);
      continue;
    }
    for (const tag of ['vu', 'iter']) {
      if (selector.tags.some(([k]) => k === tag)) {
        warnings.push(
          `The high-cardinality '${tag}' metric tag was made non-indexable in k6 v0.41.0, so thresholds like '${key}' that are based on it won't work correctly.`,
        );
      }
    }
    // `cc{b:2,a:1}` after `cc{a:1,b:2}` is the same submetric, reported under the first name.
    if (selector.tags.length > 0) {
      const identity = selectorIdentity(selector);
      const first = namesByTagSet.get(identity);
      if (first === undefined) namesByTagSet.set(identity, selector.name);
      else selector = { ...selector, name: first };
    }
    // k6 unmarshals the value into a list; a bare string is a config error there too.
    if (!Array.isArray(list)) {
      errors.push(`invalid thresholds on ${key}: expected a list of thresholds, got ${JSON.stringify(list)}`);
      continue;
    }
    for (const entry of list as unknown[]) {
      const config = readConfig(entry, key, errors);
      if (!config) continue;
      let expression: ThresholdExpression;
      try {
        expression = parseThresholdExpression(config.source);
      } catch (e) {
        errors.push(`invalid threshold on ${key}: ${(e as Error).message}`);
        continue;
      }
      const allowed = AGGREGATIONS_BY_TYPE[metric.type];
      if (!allowed.includes(expression.aggregation)) {
        errors.push(
          `invalid threshold "${config.source}" applied on metric ${key}; reason: unsupported aggregation method ` +
            `${expression.aggregation} on metric of type ${metric.type}. supported aggregation methods for this metric are: ${allowed.join(', ')}`,
        );
        continue;
      }
      let delayAbortEvalMs: number | undefined;
      if (config.delay !== undefined && config.delay !== '') {
        try {
          delayAbortEvalMs = parseDuration(config.delay);
        } catch (e) {
          errors.push(`invalid delayAbortEval of threshold "${config.source}" on ${key}: ${(e as Error).message}`);
          continue;
        }
      }
      thresholds.push({
        key: selector.name,
        selector,
        metric,
        source: config.source,
        expression,
        abortOnFail: config.abortOnFail,
        ...(delayAbortEvalMs === undefined ? {} : { delayAbortEvalMs }),
      });
    }
  }
  return { thresholds, errors, warnings };
}
