// The text of the jslib's textSummary (https://jslib.k6.io/k6-summary/<version>/index.js, every version
// up to 0.1.0): the layout k6 printed before v1. Checks first, by group (`█ name` headers, nested two
// spaces deeper), then every metric of `data.metrics` in one sorted block, each marked ✓/✗ when it has
// thresholds, names dot-padded to the longest plus three. This is what k6 prints for the common
// `handleSummary(data) { return { stdout: textSummary(data, …) } }`, as it downloads the jslib.
import { humanizeValue } from './humanize.ts';
import { strWidth } from './text-summary.ts';
import type { SummaryGroup, SummaryMetric } from './summary-data.ts';

export interface LegacyTextSummaryOptions {
  readonly indent: string;
  readonly enableColors: boolean;
  readonly summaryTimeUnit: string | undefined;
  readonly summaryTrendStats: readonly string[];
}

type Decorate = (text: string, ...codes: number[]) => string;

const GREEN = 32;
const RED = 31;
const CYAN = 36;
const FAINT = 2;

function checkLine(indent: string, check: SummaryGroup['checks'][number], decorate: Decorate): string {
  if (check.fails === 0) return decorate(`${indent}✓ ${check.name}`, GREEN);
  const pct = Math.floor((100 * check.passes) / (check.passes + check.fails));
  return decorate(`${indent}✗ ${check.name}\n${indent} ↳  ${pct}% — ✓ ${check.passes} / ✗ ${check.fails}`, RED);
}

function groupLines(indent: string, group: SummaryGroup, decorate: Decorate): string[] {
  const out: string[] = [];
  let inner = indent;
  if (group.name !== '') {
    out.push(`${indent}█ ${group.name}\n`);
    inner = `${indent}  `;
  }
  for (const c of group.checks) out.push(checkLine(inner, c, decorate));
  if (group.checks.length > 0) out.push('');
  for (const g of group.groups) out.push(...groupLines(inner, g, decorate));
  return out;
}

const displayName = (name: string): string => {
  const brace = name.indexOf('{');
  return brace >= 0 ? `{ ${name.slice(brace + 1, -1)} }` : name;
};
const submetricIndent = (name: string): string => (name.includes('{') ? '  ' : '');

function nonTrendValues(m: SummaryMetric, timeUnit: string | undefined): string[] {
  const v = (k: string): number => m.values[k] as number;
  const h = (x: number): string => humanizeValue(x, m, timeUnit);
  switch (m.type) {
    case 'counter':
      return [h(v('count')), `${h(v('rate'))}/s`];
    case 'gauge':
      return [h(v('value')), `min=${h(v('min'))}`, `max=${h(v('max'))}`];
    case 'rate':
      return [h(v('rate')), `✓ ${String(m.values.passes)}`, `✗ ${String(m.values.fails)}`];
    default:
      return ['[no data]'];
  }
}

/** Parents by name, each submetric right after its parent (the jslib's 0.1.0 order). */
function sortNames(names: string[]): string[] {
  return names.sort((a, b) => {
    const pa = a.split('{', 1)[0] ?? a;
    const pb = b.split('{', 1)[0] ?? b;
    const r = pa.localeCompare(pb);
    return r !== 0 ? r : a.slice(pa.length).localeCompare(b.slice(pb.length));
  });
}

function metricLines(opts: LegacyTextSummaryOptions, metrics: Readonly<Record<string, SummaryMetric>>, decorate: Decorate): string[] {
  const indent = `${opts.indent}  `;
  const stats = opts.summaryTrendStats;
  let nameMax = 0;
  const trendCols = new Map<string, string[]>();
  const colMax = stats.map(() => 0);
  const mains = new Map<string, string>();
  let mainMax = 0;
  const extras = new Map<string, string[]>();
  const extraMax = [0, 0];
  for (const [name, m] of Object.entries(metrics)) {
    nameMax = Math.max(nameMax, strWidth(submetricIndent(name) + displayName(name)));
    if (m.type === 'trend') {
      const cols = stats.map((stat) => {
        const value = m.values[stat] as number;
        return stat === 'count' ? String(value) : humanizeValue(value, m, opts.summaryTimeUnit);
      });
      cols.forEach((c, i) => (colMax[i] = Math.max(colMax[i] ?? 0, strWidth(c))));
      trendCols.set(name, cols);
      continue;
    }
    const [main = '', ...rest] = nonTrendValues(m, opts.summaryTimeUnit);
    mains.set(name, main);
    mainMax = Math.max(mainMax, strWidth(main));
    extras.set(name, rest);
    rest.forEach((e, i) => (extraMax[i] = Math.max(extraMax[i] ?? 0, strWidth(e))));
  }
  const pad = (text: string, width: number | undefined): string => ' '.repeat(Math.max(0, (width ?? 0) - strWidth(text)));
  const dataOf = (name: string): string => {
    const cols = trendCols.get(name);
    if (cols) return cols.map((c, i) => `${stats[i] ?? ''}=${decorate(c, CYAN)}${pad(c, colMax[i])}`).join(' ');
    const main = mains.get(name) ?? '';
    const more = extras.get(name) ?? [];
    let text = decorate(main, CYAN) + pad(main, mainMax);
    if (more.length === 1) text += ` ${decorate(more[0] ?? '', CYAN, FAINT)}`;
    else if (more.length > 1) text += ` ${more.map((e, i) => decorate(e, CYAN, FAINT) + pad(e, extraMax[i])).join(' ')}`;
    return text;
  };
  return sortNames(Object.keys(metrics)).map((name) => {
    const m = metrics[name] as SummaryMetric;
    let mark = ' ';
    let color: number | undefined;
    if (m.thresholds) {
      const failed = Object.values(m.thresholds).some((t) => !t.ok);
      mark = failed ? '✗' : '✓';
      color = failed ? RED : GREEN;
    }
    const lead = submetricIndent(name);
    const shown = displayName(name);
    const dots = decorate(`${'.'.repeat(Math.max(0, nameMax - strWidth(shown) - strWidth(lead) + 3))}:`, FAINT);
    return `${indent}${lead}${color === undefined ? mark : decorate(mark, color)} ${shown}${dots} ${dataOf(name)}`;
  });
}

export function renderLegacyTextSummary(
  rootGroup: SummaryGroup, metrics: Readonly<Record<string, SummaryMetric>>, opts: LegacyTextSummaryOptions,
): string {
  const decorate: Decorate = opts.enableColors ? (text, ...codes) => `\x1b[${codes.join(';')}m${text}\x1b[0m` : (text) => text;
  return [...groupLines(`${opts.indent}    `, rootGroup, decorate), ...metricLines(opts, metrics, decorate)].join('\n');
}
