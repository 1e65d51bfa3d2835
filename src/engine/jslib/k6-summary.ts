// Built-in https://jslib.k6.io/k6-summary/<version>/index.js: `textSummary` renders handleSummary's
// data in the jslib's own layout (every published version, 0.0.1 to 0.1.0, has k6's pre-v1 layout, not
// the current end-of-test one: summary/legacy-text-summary.ts), `jUnit` gives the jslib's JUnit XML of
// the thresholds, `humanizeValue` k6's number formatting.
import { DEFAULT_TREND_STATS } from '../metrics/metric-state.ts';
import { humanizeValue } from '../summary/humanize.ts';
import type { SummaryData, SummaryGroup, SummaryMetric } from '../summary/summary-data.ts';
import { renderLegacyTextSummary } from '../summary/legacy-text-summary.ts';

export interface TextSummaryCallOptions {
  /** Prefix of every line (default one space). */
  readonly indent?: string;
  /** Default: true, as in the jslib. */
  readonly enableColors?: boolean;
  /** Override data.options.summaryTimeUnit / summaryTrendStats. */
  readonly summaryTimeUnit?: string | null;
  readonly summaryTrendStats?: readonly string[] | null;
}

type Loose<T> = { readonly [K in keyof T]?: unknown };

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

function group(v: unknown): SummaryGroup {
  const g = record(v) as Loose<SummaryGroup>;
  return {
    name: typeof g.name === 'string' ? g.name : '',
    path: typeof g.path === 'string' ? g.path : '',
    id: typeof g.id === 'string' ? g.id : '',
    groups: Array.isArray(g.groups) ? g.groups.map(group) : [],
    checks: Array.isArray(g.checks) ? (g.checks as SummaryGroup['checks']) : [],
  };
}

/** handleSummary's data (possibly edited by the script) with the options the call overrides. */
function summaryData(data: unknown, opts: TextSummaryCallOptions): SummaryData {
  const d = record(data);
  const options = record(d['options']);
  const state = record(d['state']);
  const trendStats = opts.summaryTrendStats ?? options['summaryTrendStats'];
  const timeUnit = opts.summaryTimeUnit ?? options['summaryTimeUnit'];
  return {
    root_group: group(d['root_group']),
    options: {
      summaryTrendStats: Array.isArray(trendStats) ? trendStats.map(String) : [...DEFAULT_TREND_STATS],
      summaryTimeUnit: typeof timeUnit === 'string' ? timeUnit : '',
      noColor: options['noColor'] === true,
    },
    state: {
      isStdOutTTY: state['isStdOutTTY'] === true,
      isStdErrTTY: state['isStdErrTTY'] === true,
      testRunDurationMs: typeof state['testRunDurationMs'] === 'number' ? state['testRunDurationMs'] : 0,
    },
    metrics: record(d['metrics']) as Record<string, SummaryMetric>,
    setup_data: d['setup_data'],
  };
}

/** The jslib's text: checks by group, then every metric in one block (see legacy-text-summary.ts). */
export function textSummary(data: unknown, options?: unknown): string {
  const opts = record(options) as TextSummaryCallOptions;
  const d = summaryData(data, opts);
  return renderLegacyTextSummary(d.root_group, d.metrics, {
    indent: typeof opts.indent === 'string' ? opts.indent : ' ',
    enableColors: opts.enableColors ?? true,
    summaryTimeUnit: d.options.summaryTimeUnit === '' ? undefined : d.options.summaryTimeUnit,
    summaryTrendStats: d.options.summaryTrendStats,
  });
}

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' };

function escapeXml(s: string): string {
  return s.replace(/[&<>'"]/g, (c) => XML_ESCAPES[c] ?? c);
}

/**
 * JUnit XML with one test case per threshold ("<metric> - <threshold source>"), failed ones carrying
 * the metric's values, in the jslib's exact layout. `options.name` names the suite (default
 * "k6 thresholds"), `options.classname` the cases (default "Unnamed folder").
 */
export function jUnit(data: unknown, options?: unknown): string {
  const o = record(options);
  const name = o['name'] ? escapeXml(String(o['name'])) : 'k6 thresholds';
  const classname = o['classname'] ? escapeXml(String(o['classname'])) : 'Unnamed folder';
  let failures = 0;
  const cases: string[] = [];
  for (const [metricName, m] of Object.entries(record(record(data)['metrics']))) {
    const metric = record(m);
    if (!metric['thresholds']) continue;
    for (const [source, t] of Object.entries(record(metric['thresholds']))) {
      const caseName = `${escapeXml(metricName)} - ${escapeXml(source)}`;
      if (record(t)['ok']) {
        cases.push(`<testcase name="${caseName}" classname="${classname}" />`);
        continue;
      }
      failures++;
      const values = Object.entries(record(metric['values'])).map(([k, v]) => `${k} value: ${String(v)}`).join(', ');
      const message = `${String(metric['type'])} threshold failed: ${values}`;
      cases.push(`<testcase name="${caseName}" classname="${classname}"><failure message="${escapeXml(message)}" /></testcase>`);
    }
  }
  return `<?xml version="1.0"?>
    <testsuites tests="${cases.length}" failures="${failures}">
      <testsuite name="${name}" tests="${cases.length}" failures="${failures}">
        ${cases.join('\n')}
      </testsuite>
    </testsuites>`;
}

export function createK6SummaryModule(): Record<string, unknown> {
  return {
    textSummary,
    jUnit,
    humanizeValue: (val: number, metric: unknown, timeUnit?: unknown) => {
      const m = record(metric);
      const kind = { type: m['type'], contains: m['contains'] } as Parameters<typeof humanizeValue>[1];
      return humanizeValue(val, kind, typeof timeUnit === 'string' && timeUnit !== '' ? timeUnit : undefined);
    },
  };
}
