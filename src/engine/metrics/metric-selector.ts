// `name` or `name{k:v,...}` as written in threshold keys (metrics/metric.go ParseMetricName, AddSubmetric).
// A submetric holds the samples whose tags contain every listed pair. Keys and values are trimmed of
// spaces and then of quotes ('"' and "'"); the value is everything after the first ':', so group paths
// read `{group:::name}`.

export interface MetricSelector {
  /** `metric{criteria}` with the criteria trimmed (k6's submetric name): the key results are reported under. */
  readonly name: string;
  readonly metric: string;
  /** Empty for the metric itself. */
  readonly tags: ReadonlyArray<readonly [key: string, value: string]>;
}

/**
 * k6's ParseMetricName (metrics/metric.go) on a name exactly as written: its error text, or undefined
 * when k6 accepts the name. Unlike parseMetricSelector nothing is trimmed first, and a tag expression
 * is malformed when nothing follows its first ':' (the error quotes that tag expression as written).
 */
export function metricNameError(text: string): string | undefined {
  const open = text.indexOf('{');
  const close = text.lastIndexOf('}');
  if (open === -1 && close === -1) return undefined;
  const quoted = JSON.stringify(text);
  if (open === -1 || close === -1) return `parsing metric name failed, metric ${quoted} has unmatched opening/close curly brace`;
  if (close < open) return `parsing metric name failed, metric ${quoted} closing curly brace appears before opening one`;
  if (close !== text.length - 1) return `parsing metric name failed, metric ${quoted} lacks a closing curly brace in its last position`;
  for (const tag of text.slice(open + 1, close).split(',')) {
    const colon = tag.indexOf(':');
    if (colon === -1 || colon === tag.length - 1) return `parsing metric name failed, metric ${JSON.stringify(tag)} tag expression is malformed`;
  }
  return undefined;
}

export function parseMetricSelector(text: string): MetricSelector {
  const name = text.trim();
  const open = name.indexOf('{');
  const close = name.lastIndexOf('}');
  if (open === -1 && close === -1) return { name, metric: name, tags: [] };
  if (open === -1 || close === -1) {
    throw new Error(`parsing metric name failed, metric "${name}" has unmatched opening/close curly brace`);
  }
  if (close < open) {
    throw new Error(`parsing metric name failed, metric "${name}" closing curly brace appears before opening one`);
  }
  if (close !== name.length - 1) {
    throw new Error(`parsing metric name failed, metric "${name}" lacks a closing curly brace in its last position`);
  }
  const inner = name.slice(open + 1, close);
  if (inner.trim() === '') throw new Error(`submetric criteria for metric '${name.slice(0, open)}' cannot be empty`);
  const tags: [string, string][] = [];
  for (const part of inner.split(',')) {
    const colon = part.indexOf(':');
    if (colon === -1 || colon === part.length - 1) {
      throw new Error(`parsing metric name failed, metric "${part}" tag expression is malformed`);
    }
    const key = trimQuotes(part.slice(0, colon).trim());
    const value = trimQuotes(part.slice(colon + 1).trim());
    const existing = tags.findIndex(([k]) => k === key);
    if (existing >= 0) tags.splice(existing, 1);
    tags.push([key, value]);
  }
  const metric = name.slice(0, open);
  return { name: `${metric}{${inner.trim()}}`, metric, tags };
}

/**
 * What makes two selectors the same submetric: their metric and their tag set, in any order (k6's
 * AddSubmetric compares tag sets, so `cc{b:2,a:1}` finds the `cc{a:1,b:2}` made before it).
 */
export function selectorIdentity(selector: MetricSelector): string {
  const tags = [...selector.tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([selector.metric, tags]);
}

function trimQuotes(s: string): string {
  return s.replace(/^["']+|["']+$/g, '');
}

/** `vu` and `iter` are sample metadata in k6, not tags: criteria on them never match. */
const METADATA_KEYS = new Set(['vu', 'iter']);

export function selectorMatches(selector: MetricSelector, tags: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of selector.tags) {
    if (METADATA_KEYS.has(k) || !Object.hasOwn(tags, k) || tags[k] !== v) return false;
  }
  return true;
}
