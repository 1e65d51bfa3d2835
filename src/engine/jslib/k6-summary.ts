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
 * The jslib's JUnit layouts, oldest first: 0.0.1 and 0.0.2 (failures say only "failed"), 0.0.3 (one
 * value by metric type, the trend's named "mean" but its med), 0.0.4 (every value, unescaped, and a
 * stray `"` after each failed case) and 0.1.0 on (escaped, with `classname`). Each is byte for byte the
 * published version's output, which CI tools already parse.
 */
export type JUnitLayout = '0.0.2' | '0.0.3' | '0.0.4' | '0.1.0';

/** The layout of a k6-summary version ("0.0.3"); any other version (a newer one) gets the current layout. */
export function jUnitLayoutOf(version: string): JUnitLayout {
  if (version === '0.0.1' || version === '0.0.2') return '0.0.2';
  if (version === '0.0.3' || version === '0.0.4') return version;
  return '0.1.0';
}

/** The layout of the version a jslib.k6.io URL names. */
export function jUnitLayoutOfUrl(url: string): JUnitLayout {
  return jUnitLayoutOf(/\/k6-summary\/([^/]+)\//.exec(url)?.[1] ?? '');
}

/** 0.0.3's failure: one value picked by the metric's type. */
function oldFailure(metric: Record<string, unknown>): string {
  const values = record(metric['values']);
  const one: Readonly<Record<string, string>> = { counter: 'count: count', gauge: 'value: value', rate: 'number of fails: fails', trend: 'mean value: med' };
  const pick = one[String(metric['type'])];
  if (pick === undefined) return '"><failure message="failed" /></testcase>';
  const [label, key] = pick.split(': ') as [string, string];
  return `"><failure message="failed, ${label}: ${String(values[key])}"/></testcase>`;
}

/**
 * JUnit XML with one test case per threshold ("<metric> - <threshold source>") in the layout of the
 * jslib version imported (`layout`, default the current one): from 0.1.0 failed cases carry the metric's
 * values, `options.classname` names the cases (default "Unnamed folder"). `options.name` names the
 * suite (default "k6 thresholds").
 */
export function jUnit(data: unknown, options?: unknown, layout: JUnitLayout = '0.1.0'): string {
  const o = record(options);
  const name = o['name'] ? escapeXml(String(o['name'])) : 'k6 thresholds';
  const classname = o['classname'] ? escapeXml(String(o['classname'])) : 'Unnamed folder';
  const cls = layout === '0.1.0' ? ` classname="${classname}"` : '';
  let failures = 0;
  const cases: string[] = [];
  for (const [metricName, m] of Object.entries(record(record(data)['metrics']))) {
    const metric = record(m);
    if (!metric['thresholds']) continue;
    for (const [source, t] of Object.entries(record(metric['thresholds']))) {
      const caseName = `${escapeXml(metricName)} - ${escapeXml(source)}`;
      if (record(t)['ok']) {
        cases.push(`<testcase name="${caseName}"${cls} />`);
        continue;
      }
      failures++;
      const values = Object.entries(record(metric['values'])).map(([k, v]) => `${k} value: ${String(v)}`).join(', ');
      const message = `${String(metric['type'])} threshold failed: ${values}`;
      if (layout === '0.0.2') cases.push(`<testcase name="${caseName}"><failure message="failed" /></testcase>`);
      else if (layout === '0.0.3') cases.push(`<testcase name="${caseName}${oldFailure(metric)}`);
      else if (layout === '0.0.4') cases.push(`<testcase name="${caseName}"><failure message="${message}"/></testcase>"`);
      else cases.push(`<testcase name="${caseName}"${cls}><failure message="${escapeXml(message)}" /></testcase>`);
    }
  }
  const counts = `tests="${cases.length}" failures="${failures}"`;
  if (layout === '0.0.2' || layout === '0.0.3') {
    return `<?xml version="1.0"?>\n<testsuites ${counts}>\n<testsuite name="${name}" ${counts}>${cases.join('\n')}\n</testsuite >\n</testsuites >`;
  }
  const pad = layout === '0.0.4' ? '  ' : '';
  return `<?xml version="1.0"?>
    ${pad}<testsuites ${counts}>
      ${pad}<testsuite name="${name}" ${counts}>
        ${pad}${cases.join('\n')}
      ${pad}</testsuite>
    ${pad}</testsuites>`;
}

/** The module for one import URL: `jUnit` in that version's layout. */
export function createK6SummaryModule(url = ''): Record<string, unknown> {
  const layout = jUnitLayoutOfUrl(url);
  return {
    textSummary,
    jUnit: (data: unknown, options?: unknown) => jUnit(data, options, layout),
    humanizeValue: (val: number, metric: unknown, timeUnit?: unknown) => {
      const m = record(metric);
      const kind = { type: m['type'], contains: m['contains'] } as Parameters<typeof humanizeValue>[1];
      return humanizeValue(val, kind, typeof timeUnit === 'string' && timeUnit !== '' ? timeUnit : undefined);
    },
  };
}
