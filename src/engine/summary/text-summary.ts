// The default end-of-test text summary in k6's layout (internal/js/summary.js with the report built by
// internal/output/summary): █ THRESHOLDS, then █ TOTAL RESULTS with the checks block and the metric
// blocks (CUSTOM first, then HTTP, EXECUTION, NETWORK, BROWSER, WEB_VITALS, GRPC, WEBSOCKET); the full
// mode adds █ GROUP and █ SCENARIO sections with nested ↳ GROUP subsections.
// Widths are measured without ANSI codes; trend columns and non-trend values are padded to the widest
// entry of their block, and names get dots up to the longest name plus three.
import type { ThresholdResult } from '../thresholds/evaluate-thresholds.ts';
import { humanizeValue, type MetricKind } from './humanize.ts';
import type { BreakdownNode, CheckTotal, SummaryBreakdown } from './summary-breakdown.ts';
import type { SummaryData, SummaryGroup, SummaryMetric } from './summary-data.ts';

export type SummaryMode = 'compact' | 'full';

export interface TextSummaryOptions {
  /** Default: colours unless data.options.noColor or stdout is not a terminal. */
  readonly enableColors?: boolean;
  /** Final threshold results; supply the values of thresholds on percentiles outside summaryTrendStats. */
  readonly thresholdResults?: readonly ThresholdResult[];
  /**
   * Every check's results whatever its group, in the order their first results arrived
   * (checkTotals(runMetrics)): what k6 lists. Without it they come from root_group, merged by name,
   * root checks first, then each group's, depth first (checks without a group tag are not there).
   */
  readonly checkTotals?: readonly CheckTotal[];
  /** --summary-mode: 'compact' (default) or 'full'. */
  readonly mode?: SummaryMode;
  /** Per-group and per-scenario results (buildSummaryBreakdown) for the full mode's extra sections. */
  readonly breakdown?: SummaryBreakdown;
}

interface ReportMetric extends MetricKind {
  readonly name: string;
  readonly values: Readonly<Record<string, number>>;
}

type Color = 'green' | 'red' | 'white' | 'cyan';
const COLOR_CODES: Record<Color, string> = { green: '32', red: '31', white: '37', cyan: '36' };

class Formatter {
  constructor(readonly colors: boolean) {}
  decorate(text: string, color: Color, faint = false): string {
    if (!this.colors) return text;
    return `\x1b[${faint ? '2;' : ''}${COLOR_CODES[color]}m${text}\x1b[0m`;
  }
  bold(text: string): string {
    return this.colors ? `\x1b[1m${text}\x1b[0m` : text;
  }
}

const SUCCESS = '✓';
const FAIL = '✗';

const indent = (level: number): string => ' '.repeat(level * 2);

/** Display width: code points after NFKC, ANSI escape sequences excluded. */
export function strWidth(s: string): number {
  return [...s.normalize('NFKC').replace(/\x1b\[[0-9;]*[@-~]/g, '')].length;
}

function displayName(name: string): string {
  const brace = name.indexOf('{');
  return brace >= 0 ? `  { ${name.slice(brace + 1, -1)} }` : name;
}

function parentName(name: string): string {
  return name.split('{', 1)[0] ?? name;
}

/** Parents sorted by name, each submetric right after its parent (summary.js sortMetricsByName). */
function sortByName(names: string[]): string[] {
  return names.sort((a, b) => {
    const pa = parentName(a);
    const pb = parentName(b);
    const r = pa.localeCompare(pb, 'en');
    return r !== 0 ? r : a.slice(pa.length).localeCompare(b.slice(pb.length), 'en');
  });
}

const SKIPPED_IN_FULL = ['checks', 'group_duration'];
const SKIPPED = ['checks', 'group_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_receiving', 'http_req_sending', 'http_req_tls_handshaking', 'http_req_waiting'];
const HTTP = ['http_reqs', 'http_req_failed', 'http_req_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving'];
const EXECUTION = ['vus', 'vus_max', 'iterations', 'iteration_duration', 'dropped_iterations'];
const NETWORK = ['data_sent', 'data_received'];
const SECTIONS = ['custom', 'http', 'execution', 'network', 'browser', 'web_vitals', 'grpc', 'websocket'] as const;
type Section = (typeof SECTIONS)[number];

// k6 matches these lists by prefix (internal/output/summary/data.go oneOfMetrics).
const startsWithAny = (name: string, list: readonly string[]): boolean => list.some((p) => name.startsWith(p));

/**
 * The summary section a metric is shown in (k6 internal/output/summary/data.go), undefined for the
 * metrics a mode leaves out (checks and group_duration always; the http_req_* timings but duration in
 * compact mode).
 */
export function sectionOf(name: string, mode: SummaryMode): Section | undefined {
  if (startsWithAny(name, mode === 'full' ? SKIPPED_IN_FULL : SKIPPED)) return undefined;
  if (startsWithAny(name, HTTP)) return 'http';
  if (startsWithAny(name, EXECUTION)) return 'execution';
  if (startsWithAny(name, NETWORK)) return 'network';
  if (name.startsWith('browser_web_vital_')) return 'web_vitals';
  if (name.startsWith('browser_')) return 'browser';
  if (name.startsWith('grpc_')) return 'grpc';
  if (name.startsWith('ws_')) return 'websocket';
  return 'custom';
}

interface BlockInfo {
  maxNameWidth: number;
  trendStats: readonly string[];
  trendCols: Map<string, string[]>;
  trendColWidths: number[];
  mainValues: Map<string, string>;
  extras: Map<string, string[]>;
  mainWidth: number;
  extraWidths: number[];
}

function formatValues(m: ReportMetric, timeUnit: string | undefined): string[] {
  const v = (k: string): number => m.values[k] ?? 0;
  const h = (x: number): string => humanizeValue(x, m, timeUnit);
  switch (m.type) {
    case 'counter':
      return [h(v('count')), `${h(v('rate'))}/s`];
    case 'gauge':
      return [h(v('value')), `min=${h(v('min'))}`, `max=${h(v('max'))}`];
    case 'rate':
      return [h(v('rate')), `${v('passes')} out of ${v('passes') + v('fails')}`];
    case 'trend':
      return ['[no data]'];
  }
}

function trendValue(m: ReportMetric, stat: string, timeUnit: string | undefined): string {
  const value = m.values[stat];
  if (value === undefined) return 'undefined';
  return stat === 'count' ? String(value) : humanizeValue(value, m, timeUnit);
}

function blockInfo(metrics: readonly ReportMetric[], nameIndent: number, trendStats: readonly string[], timeUnit: string | undefined): BlockInfo {
  const info: BlockInfo = {
    maxNameWidth: 0,
    trendStats,
    trendCols: new Map(),
    trendColWidths: trendStats.map(() => 0),
    mainValues: new Map(),
    extras: new Map(),
    mainWidth: 0,
    extraWidths: [],
  };
  for (const m of metrics) {
    info.maxNameWidth = Math.max(info.maxNameWidth, nameIndent + strWidth(displayName(m.name)));
    if (m.type === 'trend') {
      const cols = trendStats.map((s) => trendValue(m, s, timeUnit));
      cols.forEach((c, i) => (info.trendColWidths[i] = Math.max(info.trendColWidths[i] ?? 0, strWidth(c))));
      info.trendCols.set(m.name, cols);
    } else {
      const [main = '', ...extras] = formatValues(m, timeUnit);
      info.mainValues.set(m.name, main);
      info.mainWidth = Math.max(info.mainWidth, strWidth(main));
      info.extras.set(m.name, extras);
      extras.forEach((e, i) => (info.extraWidths[i] = Math.max(info.extraWidths[i] ?? 0, strWidth(e))));
    }
  }
  return info;
}

function metricLine(m: ReportMetric, info: BlockInfo, level: number, f: Formatter, dotsOverride?: number): string {
  const name = displayName(m.name);
  const dots = dotsOverride ?? Math.max(3, info.maxNameWidth - (strWidth(name) + level * 2) + 3);
  const dotted = name + f.decorate('.'.repeat(dots) + ':', 'white', true);
  let data: string;
  if (m.type === 'trend') {
    const cols = info.trendCols.get(m.name) ?? [];
    data = cols
      .map((c, i) => `${info.trendStats[i] ?? ''}=${f.decorate(c, 'cyan')}${' '.repeat((info.trendColWidths[i] ?? 0) - strWidth(c))}`)
      .join(' ');
  } else {
    const main = info.mainValues.get(m.name) ?? '';
    const extras = info.extras.get(m.name) ?? [];
    data = f.decorate(main, 'cyan') + ' '.repeat(info.mainWidth - strWidth(main));
    if (extras.length === 1) data += ' ' + f.decorate(extras[0] ?? '', 'cyan', true);
    else if (extras.length > 1) {
      data += ' ' + extras.map((e, i) => f.decorate(e, 'cyan', true) + ' '.repeat((info.extraWidths[i] ?? 0) - strWidth(e))).join(' ');
    }
  }
  return indent(level) + dotted + ' ' + data;
}

function reportMetric(name: string, m: SummaryMetric): ReportMetric {
  return { name, type: m.type, contains: m.contains, values: m.values };
}

// ---- thresholds -------------------------------------------------------------------------------

function thresholdLines(data: SummaryData, f: Formatter, results: readonly ThresholdResult[], trendStats: readonly string[], timeUnit: string | undefined): string[] {
  const withThresholds = Object.entries(data.metrics).filter(([, m]) => m.thresholds && Object.keys(m.thresholds).length > 0);
  if (withThresholds.length === 0) return [];
  const byName = new Map(withThresholds);
  const metrics = withThresholds.map(([n, m]) => reportMetric(n, m));
  const info = blockInfo(metrics, 4, trendStats, timeUnit);
  const lines: string[] = [];
  for (const name of sortByName(withThresholds.map(([n]) => n))) {
    const m = byName.get(name);
    if (!m) continue;
    const parent = parentName(name);
    const nested = name.length > parent.length && byName.has(parent);
    const level = nested ? 3 : 2;
    lines.push(indent(level) + (nested ? name.slice(parent.length) : name));
    for (const { source, ok, result } of metricThresholds(name, m, results)) {
      const agg = (source.split(/[=><]/)[0] ?? '').trim();
      const value = thresholdValue(reportMetric(name, m), source, agg, info, result, timeUnit);
      const status = ok ? f.decorate(SUCCESS, 'green') : f.decorate(FAIL, 'red');
      // k6 joins [agg, value] with '=': an undefined value is an empty string there, but decorating it
      // first (colours on) turns it into the text "undefined".
      const shown = value === undefined ? (f.colors ? f.decorate('undefined', 'cyan') : '') : f.decorate(value, 'cyan');
      lines.push(indent(level) + [status, f.decorate(`'${source.trim()}'`, 'white'), `${f.decorate(agg, 'white')}=${shown}`].join(' '));
    }
    lines.push('\n');
  }
  return lines;
}

/**
 * A metric's thresholds as k6's summary lists them (internal/output/summary/data.go: the metric's
 * Thresholds, in definition order): an expression given twice is two lines, though the summary data
 * (a map by source, as in handleSummary and --summary-export) holds it once. Without the results
 * (a summary made from stored data), the data's entries.
 */
function metricThresholds(
  name: string, m: SummaryMetric, results: readonly ThresholdResult[],
): Array<{ source: string; ok: boolean; result: ThresholdResult | undefined }> {
  const own = results.filter((r) => r.key === name);
  if (own.length === 0) {
    return Object.entries(m.thresholds ?? {}).map(([source, { ok }]) => ({ source, ok, result: undefined }));
  }
  return own.map((r) => ({ source: r.source, ok: m.thresholds?.[r.source]?.ok ?? r.ok, result: r }));
}

// k6 (internal/output/summary/data.go) adds to a trend's values only the percentiles of threshold
// sources matching this; other aggregations outside summaryTrendStats have no value to show.
const PERCENTILE_SOURCE = /^p\((\d+(?:\.\d+)?)\)\s*[<>=]/;

function thresholdValue(
  m: ReportMetric, source: string, agg: string, info: BlockInfo, result: ThresholdResult | undefined, timeUnit: string | undefined,
): string | undefined {
  switch (m.type) {
    case 'trend': {
      const i = info.trendStats.indexOf(agg);
      if (i !== -1) return info.trendCols.get(m.name)?.[i];
      const percentile = PERCENTILE_SOURCE.exec(source.trim());
      const v = m.values[agg] ?? (percentile && `p(${percentile[1]})` === agg ? result?.observed : undefined);
      return v === undefined ? undefined : humanizeValue(v, m, timeUnit);
    }
    case 'counter':
      return agg === 'count' ? info.mainValues.get(m.name) : info.extras.get(m.name)?.[0];
    default:
      return info.mainValues.get(m.name);
  }
}

// ---- checks -------------------------------------------------------------------------------------

/** Checks merged by name across groups (the totals section ignores groups). */
function flattenChecks(group: SummaryGroup, out: CheckTotal[] = []): CheckTotal[] {
  for (const c of group.checks) {
    const existing = out.find((x) => x.name === c.name);
    if (existing) {
      existing.passes += c.passes;
      existing.fails += c.fails;
    } else out.push({ name: c.name, passes: c.passes, fails: c.fails });
  }
  for (const g of group.groups) flattenChecks(g, out);
  return out;
}

/**
 * The checks block of a section whose content sits at `base` (0 for top-level sections): the three
 * checks_* lines, then one line per check. Empty without a `checks` metric.
 */
function checkLines(checksMetric: SummaryMetric | undefined, checks: readonly CheckTotal[], base: number, testRunDurationMs: number, f: Formatter, timeUnit: string | undefined): string[] {
  if (!checksMetric) return [];
  const passes = checksMetric.values.passes ?? 0;
  const total = passes + (checksMetric.values.fails ?? 0);
  const seconds = testRunDurationMs / 1000;
  const metrics: ReportMetric[] = [
    { name: 'checks_total', type: 'counter', contains: 'default', values: { count: total, rate: seconds > 0 ? total / seconds : 0 } },
    { name: 'checks_succeeded', type: 'rate', contains: checksMetric.contains, values: checksMetric.values },
    { name: 'checks_failed', type: 'rate', contains: 'default', values: { passes: total - passes, fails: passes, rate: total > 0 ? (total - passes) / total : 0 } },
  ];
  const level = base + 2;
  const info = blockInfo(metrics, level * 2, [], timeUnit);
  const lines = metrics.map((m) => metricLine(m, info, level, f));
  lines.push('\n');
  for (const c of checks) {
    if (c.fails === 0) {
      lines.push(indent(level) + f.decorate(`${SUCCESS} ${c.name}`, 'green'));
    } else {
      const pct = Math.floor((100 * c.passes) / (c.passes + c.fails));
      // k6 indents the detail line by its context level plus one more context level (summary.js renderCheck).
      lines.push(
        indent(level) + f.decorate(`${FAIL} ${c.name}`, 'red') + '\n' +
          indent(2 * base + 3) + f.decorate(`↳  ${pct}% — ${SUCCESS} ${c.passes} / ${FAIL} ${c.fails}`, 'red'),
      );
    }
  }
  lines.push('\n');
  return lines;
}

// ---- metrics ------------------------------------------------------------------------------------

function metricBlockLines(
  metrics: Readonly<Record<string, SummaryMetric>>, mode: SummaryMode, base: number, dotsOverride: number | undefined,
  f: Formatter, trendStats: readonly string[], timeUnit: string | undefined,
): string[] {
  const sections = new Map<Section, ReportMetric[]>();
  const all: ReportMetric[] = [];
  for (const [name, m] of Object.entries(metrics)) {
    const section = sectionOf(name, mode);
    if (!section) continue;
    const rm = reportMetric(name, m);
    all.push(rm);
    const list = sections.get(section) ?? [];
    list.push(rm);
    sections.set(section, list);
  }
  const level = base + 2;
  const info = blockInfo(all, level * 2, trendStats, timeUnit);
  const lines: string[] = [];
  for (const section of SECTIONS) {
    const list = sections.get(section);
    if (!list || list.length === 0) continue;
    lines.push(indent(level) + f.bold(section.toUpperCase()));
    const byName = new Map(list.map((m) => [m.name, m]));
    for (const name of sortByName(list.map((m) => m.name))) {
      const m = byName.get(name);
      if (m) lines.push(metricLine(m, info, level, f, dotsOverride));
    }
    lines.push('\n');
  }
  return lines;
}

// ---- groups and scenarios (full mode) -----------------------------------------------------------

interface Ctx {
  readonly f: Formatter;
  readonly trendStats: readonly string[];
  readonly timeUnit: string | undefined;
  readonly testRunDurationMs: number;
  readonly dotsOverride: number | undefined;
}

function nodeContent(node: BreakdownNode, base: number, ctx: Ctx): string[] {
  const lines = [
    ...checkLines(node.metrics.checks, node.checks, base, ctx.testRunDurationMs, ctx.f, ctx.timeUnit),
    ...metricBlockLines(node.metrics, 'full', base, ctx.dotsOverride, ctx.f, ctx.trendStats, ctx.timeUnit),
  ];
  for (const g of node.groups) {
    lines.push(indent(base + 2) + `↳ ${ctx.f.bold(`GROUP: ${g.name}`)} \n`, ...nodeContent(g, base + 1, ctx));
  }
  return lines;
}

/** The metric names k6's sections show (checks, group_duration and, compact, the HTTP timings left out). */
function distinctMetricNames(data: SummaryData, mode: SummaryMode, breakdown: SummaryBreakdown | undefined): number {
  const names = new Set(Object.keys(data.metrics).filter((k) => sectionOf(k, mode) !== undefined));
  const visit = (n: BreakdownNode): void => {
    for (const k of Object.keys(n.metrics)) if (sectionOf(k, 'full') !== undefined) names.add(k);
    n.groups.forEach(visit);
  };
  breakdown?.groups.forEach(visit);
  breakdown?.scenarios.forEach(visit);
  return names.size;
}

function title(text: string, f: Formatter): string {
  return `${indent(1)}█ ${f.bold(text)} \n`;
}

/**
 * The text k6 writes to stdout when there is no handleSummary (including its leading/trailing newlines).
 * `mode: 'full'` (--summary-mode=full) also lists the detailed HTTP timings and, given `breakdown`
 * (buildSummaryBreakdown), a section per group and per scenario.
 */
export function renderTextSummary(data: SummaryData, opts: TextSummaryOptions = {}): string {
  const f = new Formatter(opts.enableColors ?? (!data.options.noColor && data.state.isStdOutTTY));
  const mode = opts.mode ?? 'compact';
  const breakdown = mode === 'full' ? opts.breakdown : undefined;
  const ctx: Ctx = {
    f,
    trendStats: data.options.summaryTrendStats,
    timeUnit: data.options.summaryTimeUnit || undefined,
    testRunDurationMs: data.state.testRunDurationMs,
    // k6 computes a shared name width with a reduce that yields NaN for 2+ metric names (each block then
    // uses its own widest name) and the lone name for exactly one (then no dots are printed at all).
    dotsOverride: distinctMetricNames(data, mode, breakdown) === 1 ? 0 : undefined,
  };
  const sections: { title: string; content: string[] }[] = [];
  const thresholds = thresholdLines(data, f, opts.thresholdResults ?? [], ctx.trendStats, ctx.timeUnit);
  if (thresholds.length > 0) sections.push({ title: 'THRESHOLDS', content: thresholds });
  const checks = opts.checkTotals ?? flattenChecks(data.root_group);
  sections.push({
    title: 'TOTAL RESULTS',
    content: [
      ...checkLines(data.metrics.checks, checks, 0, ctx.testRunDurationMs, f, ctx.timeUnit),
      ...metricBlockLines(data.metrics, mode, 0, ctx.dotsOverride, f, ctx.trendStats, ctx.timeUnit),
    ],
  });
  for (const g of breakdown?.groups ?? []) sections.push({ title: `GROUP: ${g.name}`, content: nodeContent(g, 0, ctx) });
  for (const s of breakdown?.scenarios ?? []) sections.push({ title: `SCENARIO: ${s.name}`, content: nodeContent(s, 0, ctx) });
  let text = '';
  for (const item of sections.flatMap((s) => [title(s.title, f), ...s.content, '\n'])) {
    text += item === '\n' ? item : '\n' + item;
  }
  return '\n' + text + '\n\n';
}
