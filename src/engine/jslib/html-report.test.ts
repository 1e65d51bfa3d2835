import { describe, expect, it } from 'vitest';
import { htmlReport } from './html-report.ts';
import { builtinJslib, isJslibUrl } from './jslib-urls.ts';

const DATA = {
  options: { summaryTrendStats: ['avg', 'p(99)', 'count'], summaryTimeUnit: 'ms' },
  state: { testRunDurationMs: 12_500 },
  metrics: {
    http_reqs: { type: 'counter', contains: 'default', values: { count: 7, rate: 0.56 } },
    data_received: { type: 'counter', contains: 'data', values: { count: 20480, rate: 1638.4 } },
    http_req_failed: { type: 'rate', contains: 'default', values: { rate: 3 / 7, passes: 3, fails: 4 }, thresholds: { 'rate<0.1': { ok: false } } },
    'wait<x>': { type: 'trend', contains: 'time', values: { avg: 12.345, 'p(99)': 40, count: 7 } },
    vus: { type: 'gauge', contains: 'default', values: { value: 1, min: 1, max: 3 } },
    checks: { type: 'rate', contains: 'default', values: { rate: 0.5, passes: 1, fails: 1 } },
  },
  root_group: {
    name: '', checks: [{ name: 'root ok', passes: 1, fails: 0 }],
    groups: [{ name: 'outer', checks: [], groups: [{ name: 'in<ner>', checks: [{ name: "it's <fine>", passes: 0, fails: 1 }], groups: [] }] }],
  },
};

describe('k6-reporter htmlReport (Stampede\'s own report)', () => {
  it('summarises requests, failures, thresholds and checks, every metric with the summary trend stats, all HTML-escaped', () => {
    const html = htmlReport(DATA, { title: 'A & B' }, new Date('2026-03-04T05:06:07Z'));
    expect(html).toContain('<title>A &amp; B</title>');
    expect(html).toContain('Made 2026-03-04 05:06 UTC by Stampede · test run of 12.5 s');
    expect([...html.matchAll(/<b>(\d+)<\/b>([^<]+)</g)].map((m) => `${m[2]}=${m[1]}`))
      .toEqual(['Total requests=7', 'Failed requests=3', 'Breached thresholds=1', 'Failed checks=1']);
    expect(html).toContain('<th>Metric</th><th>avg</th><th>p(99)</th><th>count</th>');
    expect(html).toContain('<tr><td><span class="">wait&lt;x&gt;</span></td><td>12.35ms</td><td>40.00ms</td><td>7ms</td></tr>'.replace('7ms', '7.00ms'));
    expect(html).toContain('<td><span class="">data_received</span></td><td>21 kB</td><td>1.6 kB/s</td>');
    expect(html).toContain('<td><span class="bad">http_req_failed</span></td><td>42.86%</td><td>3</td><td>4</td>');
    expect(html).toContain('<td><span class="">vus</span></td><td>1</td><td>1</td><td>3</td>');
    expect(html).toContain('<h4>█ outer</h4><div class="group"><h4>█ in&lt;ner&gt;</h4>');
    expect(html).toContain('✗</span> it&#39;s &lt;fine&gt;</td><td>0</td><td>1</td><td>0.00%</td>');
    expect(html).toContain('<td>http_req_failed</td><td><code>rate&lt;0.1</code></td><td><span class="bad">✗ failed</span></td>');
    expect(html).not.toContain('<pre>');
  });

  it('defaults the title to the date; debug appends the data; empty data still renders', () => {
    const html = htmlReport({}, { debug: true }, new Date('2026-01-02T03:04:00Z'));
    expect(html).toContain('<title>Stampede test report 2026-01-02 03:04</title>');
    expect(html).toContain('<pre>{}</pre>');
    expect(html.match(/<p class="none">None\.<\/p>/g)).toHaveLength(5);
  });

  it('is served for k6-reporter\'s bundle at any ref; other files of the repository are not', () => {
    for (const ref of ['main', 'master', 'latest', '2.4.0', 'refs/heads/main', '3e3d9f2']) {
      expect(builtinJslib(`https://raw.githubusercontent.com/benc-uk/k6-reporter/${ref}/dist/bundle.js`)).toBe('k6-reporter');
    }
    expect(builtinJslib('https://raw.githubusercontent.com/benc-uk/k6-reporter/main/src/index.js')).toBeUndefined();
    expect(builtinJslib('https://raw.githubusercontent.com/someone/k6-reporter/main/dist/bundle.js')).toBeUndefined();
    expect(isJslibUrl('https://raw.githubusercontent.com/benc-uk/k6-reporter/main/src/index.js')).toBe(true);
  });
});
