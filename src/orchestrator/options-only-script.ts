// Checking options without their script (POST /validate_options): a script that only declares them.
// The script is absent, so every metric a threshold names might be one of its custom metrics: each
// one is declared as the metric type its thresholds' aggregation methods fit, as the script's own
// init code would have. A built-in name keeps its metric (declaring it again is caught), and a
// threshold no one type fits, or a malformed one, is still reported by the options check.

type MetricKind = 'Counter' | 'Gauge' | 'Rate' | 'Trend';

// k6 metrics/metric_type.go supportedAggregationMethods, in the order a kind is preferred.
const METHODS: ReadonlyArray<readonly [MetricKind, readonly string[]]> = [
  ['Counter', ['count', 'rate']],
  ['Rate', ['rate']],
  ['Gauge', ['value']],
  ['Trend', ['avg', 'min', 'max', 'med', 'p']],
];

/** A script whose only content is the given options (and the metrics its thresholds name). */
export function optionsOnlyScript(options: Record<string, unknown>): Uint8Array {
  const declared = thresholdMetrics(options.thresholds);
  const lines = [`export const options = ${JSON.stringify(options)};`, 'export default function () {}'];
  if (declared.length > 0) {
    lines.unshift(
      `import { Counter, Gauge, Rate, Trend } from 'k6/metrics';`,
      `for (const [name, kind] of ${JSON.stringify(declared)}) {`,
      '  try { new ({ Counter, Gauge, Rate, Trend })[kind](name); } catch { /* a built-in metric or no valid name */ }',
      '}',
    );
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

/** Each metric name a threshold key names (tags stripped), with the kind its aggregation methods fit. */
function thresholdMetrics(thresholds: unknown): [string, MetricKind][] {
  if (thresholds === null || typeof thresholds !== 'object' || Array.isArray(thresholds)) return [];
  const byName = new Map<string, Set<string>>();
  for (const [key, list] of Object.entries(thresholds as Record<string, unknown>)) {
    const name = key.split('{', 1)[0] ?? '';
    if (name === '') continue;
    const methods = byName.get(name) ?? new Set<string>();
    byName.set(name, methods);
    for (const entry of Array.isArray(list) ? list : [list]) {
      const method = aggregationMethod(entry);
      if (method !== undefined) methods.add(method);
    }
  }
  const declared: [string, MetricKind][] = [];
  for (const [name, methods] of byName) {
    if (methods.size === 0) continue;
    const used = [...methods];
    const fits = METHODS.find(([, supported]) => used.every((m) => supported.includes(m)));
    // No kind takes them all: the first method's kind, so the check names the method that does not fit.
    const kind = fits?.[0] ?? METHODS.find(([, supported]) => supported.includes(used[0] ?? ''))?.[0];
    if (kind !== undefined) declared.push([name, kind]);
  }
  return declared;
}

function aggregationMethod(entry: unknown): string | undefined {
  const expression = typeof entry === 'string'
    ? entry
    : entry !== null && typeof entry === 'object' && typeof (entry as { threshold?: unknown }).threshold === 'string'
      ? (entry as { threshold: string }).threshold
      : undefined;
  const method = expression?.trim().match(/^(count|rate|value|avg|min|max|med|p)\b/)?.[1];
  return method;
}
