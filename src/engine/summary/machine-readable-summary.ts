// `--new-machine-readable-summary` (k6 v2.2 internal/lib/summary/machine_readable.go, schema 1.0.0):
// what handleSummary(data) gets and what `--summary-export` writes (JSON, 4-space indent) instead of
// the legacy data. k6 hands the Go struct to the script through sobek, whose field-name mapper turns
// field names into snake_case (common.FieldName), so the script (and the export, made with
// JSON.stringify in summary-wrapper.js) sees `generated_at`, `k6_version`, `p90` — not the schema's JSON
// names. Unset fields stay: a nil slice or pointer is null (trend stats not in summaryTrendStats, the
// checks of a run without any).
//
//   { config: { duration, execution: "local", script }, metadata: { generated_at, k6_version },
//     results: { checks: { metrics: [checks_total, checks_failed, checks_succeeded], results: [{ fails, name, passes }] },
//                metrics: [{ contains, name, type, values }] }, version: "1.0.0" }
import type { CheckTotal } from './summary-breakdown.ts';
import type { SummaryData, SummaryMetric } from './summary-data.ts';
import { sectionOf, type SummaryMode } from './text-summary.ts';

export const MACHINE_READABLE_SCHEMA_VERSION = '1.0.0';

export interface MachineReadableMetric {
  contains: string;
  name: string;
  type: string;
  values: Record<string, number | null>;
}

export interface MachineReadableSummary {
  config: { duration: number; execution: 'local'; script: string };
  metadata: { generated_at: string; k6_version: string };
  results: {
    checks: { metrics: MachineReadableMetric[] | null; results: Array<{ fails: number; name: string; passes: number }> | null };
    metrics: MachineReadableMetric[];
  };
  version: string;
}

export interface MachineReadableInput {
  readonly data: SummaryData;
  /** Checks in first-seen order, merged by name (what the TOTAL RESULTS section lists). */
  readonly checkTotals: readonly CheckTotal[];
  readonly mode: SummaryMode;
  /** The test's source text (k6 summary.Meta.Script: the script, or the archive's bytes). */
  readonly script: string;
  readonly k6Version: string;
  readonly now: Date;
}

// The order of k6's summary.Metrics struct; each category is a Go map (its order is random in k6).
const SECTION_ORDER = ['http', 'execution', 'network', 'browser', 'web_vitals', 'grpc', 'websocket', 'custom'];
const TREND_KEYS: ReadonlyArray<readonly [string, string]> = [['avg', 'avg'], ['max', 'max'], ['med', 'med'], ['min', 'min'], ['p90', 'p(90)'], ['p95', 'p(95)']];

function valuesOf(m: Pick<SummaryMetric, 'type' | 'values'>): Record<string, number | null> {
  const v = m.values;
  switch (m.type) {
    case 'counter':
      return { count: v.count ?? 0 };
    case 'gauge':
      return { max: v.max ?? 0, min: v.min ?? 0, value: v.value ?? 0 };
    case 'rate': {
      const passes = v.passes ?? 0;
      return { matches: Math.trunc(passes), rate: v.rate ?? 0, total: Math.trunc(passes + (v.fails ?? 0)) };
    }
    default:
      return Object.fromEntries(TREND_KEYS.map(([key, stat]) => [key, v[stat] ?? null]));
  }
}

const metric = (name: string, m: Pick<SummaryMetric, 'type' | 'contains' | 'values'>): MachineReadableMetric => ({
  contains: m.contains, name, type: m.type, values: valuesOf(m),
});

/** Go's time.RFC3339Nano in the local zone. */
function rfc3339Nano(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const offset = -d.getTimezoneOffset();
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${p(Math.floor(Math.abs(offset) / 60))}:${p(Math.abs(offset) % 60)}`;
  const fraction = d.getMilliseconds() === 0 ? '' : `.${p(d.getMilliseconds(), 3).replace(/0+$/, '')}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${fraction}${zone}`;
}

export function machineReadableSummary(i: MachineReadableInput): MachineReadableSummary {
  const { data } = i;
  const named = Object.entries(data.metrics)
    // Submetrics (thresholds on tagged series) are not metrics of their own in k6's new summary.
    .filter(([name]) => !name.includes('{'))
    .map(([name, m]) => ({ name, m, section: sectionOf(name, i.mode) }))
    .filter((e): e is { name: string; m: SummaryMetric; section: NonNullable<typeof e.section> } => e.section !== undefined)
    .sort((a, b) => SECTION_ORDER.indexOf(a.section) - SECTION_ORDER.indexOf(b.section) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const checksMetric = data.metrics.checks;
  let checks: MachineReadableSummary['results']['checks'] = { metrics: null, results: null };
  if (checksMetric !== undefined) {
    // k6 populateSummaryChecks: checks_failed counts the other way round (its "passes" are failures).
    const passes = checksMetric.values.passes ?? 0;
    const total = passes + (checksMetric.values.fails ?? 0);
    const seconds = data.state.testRunDurationMs / 1000;
    checks = {
      metrics: [
        metric('checks_total', { type: 'counter', contains: 'default', values: { count: total, rate: seconds > 0 ? total / seconds : 0 } }),
        metric('checks_failed', { type: 'rate', contains: 'default', values: { passes: total - passes, fails: passes, rate: total > 0 ? (total - passes) / total : 0 } }),
        metric('checks_succeeded', { type: 'rate', contains: checksMetric.contains, values: checksMetric.values }),
      ],
      results: i.checkTotals.length === 0 ? null : i.checkTotals.map((c) => ({ fails: c.fails, name: c.name, passes: c.passes })),
    };
  }
  return {
    config: { duration: data.state.testRunDurationMs / 1000, execution: 'local', script: i.script },
    metadata: { generated_at: rfc3339Nano(i.now), k6_version: i.k6Version },
    results: { checks, metrics: named.map((e) => metric(e.name, e.m)) },
    version: MACHINE_READABLE_SCHEMA_VERSION,
  };
}
