// Stampede's own HTML report for scripts that import k6-reporter
// (`import { htmlReport } from "https://raw.githubusercontent.com/benc-uk/k6-reporter/<ref>/dist/bundle.js"`)
// and return `{ 'summary.html': htmlReport(data, { title }) }` from handleSummary. It is not
// k6-reporter's page: the same facts (requests, failures, breached thresholds, failed checks, every
// metric with its stats, checks by group, thresholds) in a self-contained document of our own making.
import { humanizeValue, type MetricKind } from '../summary/humanize.ts';
import { DEFAULT_TREND_STATS } from '../metrics/metric-state.ts';

type Rec = Record<string, unknown>;

function rec(v: unknown): Rec {
  return v !== null && typeof v === 'object' ? (v as Rec) : {};
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside HTML elements and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function shown(value: unknown, metric: Rec, timeUnit: string | undefined): string {
  if (typeof value !== 'number') return '';
  const kind = { type: metric['type'], contains: metric['contains'] } as MetricKind;
  return humanizeValue(value, kind, timeUnit);
}

function table(head: string[], rows: string[][], cls = ''): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr${cls}>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function metricName(name: string, metric: Rec): string {
  const failed = Object.values(rec(metric['thresholds'])).some((t) => rec(t)['ok'] === false);
  return `<span class="${failed ? 'bad' : ''}">${escapeHtml(name)}</span>`;
}

function groupHtml(g: Rec, depth: number): string {
  const checks = Array.isArray(g['checks']) ? g['checks'].map(rec) : [];
  const groups = Array.isArray(g['groups']) ? g['groups'].map(rec) : [];
  const rows = checks.map((c) => {
    const passes = num(c['passes']);
    const fails = num(c['fails']);
    const pct = passes + fails === 0 ? 0 : (passes / (passes + fails)) * 100;
    return [`<span class="${fails > 0 ? 'bad' : 'good'}">${fails > 0 ? '✗' : '✓'}</span> ${escapeHtml(String(c['name'] ?? ''))}`, String(passes), String(fails), `${pct.toFixed(2)}%`];
  });
  const title = depth === 0 ? '' : `<h4>█ ${escapeHtml(String(g['name'] ?? ''))}</h4>`;
  const own = checks.length === 0 ? '' : table(['Check', 'Passes', 'Failures', 'Pass rate'], rows);
  const inner = groups.map((c) => groupHtml(c, depth + 1)).join('\n');
  return `<div class="group">${title}${own}${inner}</div>`;
}

const STYLE = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#27304a;color:#fff;padding:1.2rem 2rem}header h1{margin:0;font-size:1.6rem}header p{margin:.3rem 0 0;opacity:.8}
main{padding:1rem 2rem}section{background:#fff;border-radius:6px;padding:1rem 1.4rem;margin:1rem 0;box-shadow:0 1px 2px #0002}
h2{margin:0 0 .6rem;font-size:1.2rem}h4{margin:.8rem 0 .3rem}.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{flex:1 1 12rem;background:#fff;border-radius:6px;padding:1rem;box-shadow:0 1px 2px #0002;border-top:4px solid #3b8c5a}
.card.bad{border-top-color:#c0392b}.card b{display:block;font-size:2rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #e3e5ea}th{background:#eef0f4}td:not(:first-child){font-variant-numeric:tabular-nums}
.good{color:#2e7d4f}.bad{color:#c0392b;font-weight:600}.group .group{margin-left:1.4rem}.none{color:#777}pre{overflow:auto;font-size:.8rem}
footer{padding:1rem 2rem;color:#777;font-size:.8rem}`;

/**
 * The report for handleSummary's `data`. `options.title` heads it (default: the date and time it was
 * made); `options.debug` appends the data as JSON.
 */
export function htmlReport(data: unknown, options?: unknown, now: Date = new Date()): string {
  const d = rec(data);
  const opts = rec(options);
  const metrics = rec(d['metrics']);
  const dataOptions = rec(d['options']);
  const trendStats = Array.isArray(dataOptions['summaryTrendStats']) ? dataOptions['summaryTrendStats'].map(String) : [...DEFAULT_TREND_STATS];
  const timeUnit = typeof dataOptions['summaryTimeUnit'] === 'string' && dataOptions['summaryTimeUnit'] !== '' ? dataOptions['summaryTimeUnit'] : undefined;
  const stamp = now.toISOString().slice(0, 16).replace('T', ' ');
  const title = typeof opts['title'] === 'string' && opts['title'] !== '' ? opts['title'] : `Stampede test report ${stamp}`;

  const requests = num(rec(rec(metrics['http_reqs'])['values'])['count']);
  const failedRequests = num(rec(rec(metrics['http_req_failed'])['values'])['passes']);
  const checkValues = rec(rec(metrics['checks'])['values']);
  const failedChecks = num(checkValues['fails']);
  const thresholdRows: string[][] = [];
  let breached = 0;
  const names = Object.keys(metrics).sort();
  for (const name of names) {
    for (const [source, t] of Object.entries(rec(rec(metrics[name])['thresholds']))) {
      const ok = rec(t)['ok'] !== false;
      if (!ok) breached++;
      thresholdRows.push([escapeHtml(name), `<code>${escapeHtml(source)}</code>`, ok ? '<span class="good">✓ passed</span>' : '<span class="bad">✗ failed</span>']);
    }
  }

  const card = (label: string, value: number, bad: boolean) => `<div class="card${bad ? ' bad' : ''}"><b>${value}</b>${escapeHtml(label)}</div>`;
  const byType = (type: string) => names.filter((n) => rec(metrics[n])['type'] === type);
  const trendRows = byType('trend').map((n) => {
    const m = rec(metrics[n]);
    const v = rec(m['values']);
    return [metricName(n, m), ...trendStats.map((s) => escapeHtml(shown(v[s], m, timeUnit)))];
  });
  const counterRows = byType('counter').map((n) => {
    const m = rec(metrics[n]);
    const v = rec(m['values']);
    return [metricName(n, m), escapeHtml(shown(v['count'], m, timeUnit)), `${escapeHtml(shown(v['rate'], { type: 'counter', contains: m['contains'] === 'data' ? 'data' : 'default' }, undefined))}/s`];
  });
  const rateRows = byType('rate').map((n) => {
    const m = rec(metrics[n]);
    const v = rec(m['values']);
    return [metricName(n, m), `${(num(v['rate']) * 100).toFixed(2)}%`, String(num(v['passes'])), String(num(v['fails']))];
  });
  const gaugeRows = byType('gauge').map((n) => {
    const m = rec(metrics[n]);
    const v = rec(m['values']);
    return [metricName(n, m), escapeHtml(shown(v['value'], m, timeUnit)), escapeHtml(shown(v['min'], m, timeUnit)), escapeHtml(shown(v['max'], m, timeUnit))];
  });
  const durationMs = num(rec(d['state'])['testRunDurationMs']);
  const debug = opts['debug'] === true ? `<section><h2>Data</h2><pre>${escapeHtml(JSON.stringify(data, null, 2))}</pre></section>` : '';

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>Made ${escapeHtml(stamp)} UTC by Stampede · test run of ${(durationMs / 1000).toFixed(1)} s</p></header>
<main>
<div class="cards">
${card('Total requests', requests, false)}
${card('Failed requests', failedRequests, failedRequests > 0)}
${card('Breached thresholds', breached, breached > 0)}
${card('Failed checks', failedChecks, failedChecks > 0)}
</div>
<section><h2>Trends</h2>${table(['Metric', ...trendStats], trendRows)}</section>
<section><h2>Counters</h2>${table(['Metric', 'Count', 'Rate'], counterRows)}</section>
<section><h2>Rates</h2>${table(['Metric', 'Rate', 'Passes', 'Failures'], rateRows)}</section>
<section><h2>Gauges</h2>${table(['Metric', 'Value', 'Min', 'Max'], gaugeRows)}</section>
<section><h2>Checks and groups</h2>${groupHtml(rec(d['root_group']), 0)}</section>
<section><h2>Thresholds</h2>${table(['Metric', 'Threshold', 'Result'], thresholdRows)}</section>
${debug}
</main>
<footer>Stampede's HTML report for k6-reporter's <code>htmlReport</code>.</footer>
</body>
</html>
`;
}

export function createHtmlReportModule(now: () => number): Record<string, unknown> {
  const report = (data: unknown, options?: unknown) => htmlReport(data, options, new Date(now()));
  return { htmlReport: report, default: { htmlReport: report } };
}
