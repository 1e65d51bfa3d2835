// Built-in jslib.k6.io modules (k6-utils, k6-summary, url, papaparse) end to end through loadTest: no archive, no network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { metricValues, runInput, runScript, startTarget, tarArchive, type Target } from './scripts/engine-harness.ts';
import { listenLocal } from './scripts/local-listen.ts';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.close();
});
const env = () => ({ env: { BASE: target.url } });

describe('built-in jslib modules', () => {
  it('k6-utils: random helpers, findBetween, normalDistributionStages, stage tags and check with promises', async () => {
    const before = target.recorded.length;
    const run = await runScript('jslib-utils.js', env());
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const rec = target.recorded.slice(before)[0] as Record<string, unknown>;
    expect(rec).toMatchObject({
      seeded: true,
      item: 'only',
      ints: [3, 5],
      one: '1',
      many: ['1', '2'],
      manyIsArray: true,
      none: null,
      stages: [
        { duration: '10s', target: 1 }, { duration: '10s', target: 6 }, { duration: '10s', target: 10 },
        { duration: '10s', target: 6 }, { duration: '10s', target: 1 }, { duration: '10s', target: 0 },
      ],
    });
    expect(rec['str']).toMatch(/^[xy]{16}$/);
    expect(rec['defaultStr']).toMatch(/^[a-z]{5}$/);
    expect(rec['uuid']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rec['secureUuid']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(target.recorded.slice(before)[1]).toEqual({ sync: true, pendingIsThenable: true, pending: true, blocking: true, failing: false });
    expect(run.result?.thresholds.every((t) => t.ok)).toBe(true);
    expect(metricValues(run, 'checks')).toMatchObject({ fails: 1 });
    for (const name of ['jslib sync', 'jslib plain value', 'jslib promise value', 'jslib async checker', 'jslib blocking checker']) {
      expect(run.result?.summaryData.root_group.checks).toContainEqual(expect.objectContaining({ name, passes: 1, fails: 0 }));
    }
    expect(run.result?.summaryData.root_group.checks).toContainEqual(expect.objectContaining({ name: 'jslib failing', passes: 0, fails: 1 }));
  });

  it('k6-summary: handleSummary returns textSummary (the jslib\'s layout) and jUnit XML of the thresholds', async () => {
    const run = await runScript('jslib-summary.js', env());
    expect(run.exitCode).toBe(99);
    expect(run.stdout).not.toContain('█ THRESHOLDS');
    expect(run.stdout).toContain('✓ answered');
    expect(run.stdout).toMatch(/\n {3}✗ http_reqs\.+: 3 /);
    expect(run.stdout).not.toContain('\x1b[');
    const xml = run.written.get('out/junit.xml') ?? '';
    // The script imports k6-summary 0.0.2, whose XML says only "failed" and has no classname.
    expect(xml).toContain('<testsuites tests="3" failures="1">\n<testsuite name="stampede &lt;jslib&gt;" tests="3" failures="1">');
    expect(xml).toContain('<testcase name="http_req_failed - rate&lt;0.01" />');
    expect(xml).toContain('<testcase name="http_reqs - count&lt;2"><failure message="failed" /></testcase>');
    expect(xml).toMatch(/\n<\/testsuite >\n<\/testsuites >$/);
  });

  it('papaparse and url: a CSV parsed into a SharedArray in init, rows sent as URLSearchParams queries and bodies', async () => {
    const before = target.recorded.length;
    const run = await runScript('jslib-url-papaparse.js', env());
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const recs = (target.recorded.slice(before) as { row: { user: string } }[]).sort((a, b) => a.row.user.localeCompare(b.row.user));
    expect(recs).toEqual([
      {
        row: { user: 'alice', query: 'red shoes', page: '1' }, query: '?user=alice&q=red+shoes', body: 'page=1&vu=1',
        rows: 3, isArray: true, rowIsObject: true, params: ['user:alice', 'q:red shoes'], pairIsArray: true,
      },
      {
        row: { user: 'bob, jr', query: 'a&b=c', page: '2' }, query: '?user=bob%2C+jr&q=a%26b%3Dc', body: 'page=2&vu=2',
        rows: 3, isArray: true, rowIsObject: true, params: ['user:bob, jr', 'q:a&b=c'], pairIsArray: true,
      },
      {
        row: { user: 'carol', query: 'ünïcode ?#', page: '3' }, query: '?user=carol&q=%C3%BCn%C3%AFcode+%3F%23', body: 'page=3&vu=3',
        rows: 3, isArray: true, rowIsObject: true, params: ['user:carol', 'q:ünïcode ?#'], pairIsArray: true,
      },
    ]);
    for (const name of ['echoed query round-trips', 'echoed body round-trips']) {
      expect(run.result?.summaryData.root_group.checks).toContainEqual(expect.objectContaining({ name, passes: 3, fails: 0 }));
    }
  });

  it('http-instrumentation-tempo: instrumentHTTP and Client send a w3c or jaeger trace context and put trace_id on the samples\' metadata', async () => {
    const seen: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
    const server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', headers: req.headers });
      res.end('ok');
    });
    const { url, close } = await listenLocal(server);
    try {
      const source = [
        "import http from 'k6/http';",
        "import tempo from 'https://jslib.k6.io/http-instrumentation-tempo/1.0.1/index.js';",
        "// A Client made before instrumentHTTP sends through the plain k6/http request; one made after through the instrumented one.",
        "const jaeger = new tempo.Client({ propagator: 'jaeger', sampling: 0 });",
        "tempo.instrumentHTTP({ propagator: 'w3c' });",
        'export const options = { iterations: 1 };',
        'export default async function () {',
        "  const params = { headers: { 'X-Mine': 'kept' } };",
        '  const res = http.get(`${__ENV.BASE}/w3c`, params);',
        "  if (res.status !== 200 || params.headers.traceparent === undefined) throw new Error('no response or params not instrumented');",
        '  http.post(`${__ENV.BASE}/post`, "body");',
        '  jaeger.del(`${__ENV.BASE}/jaeger`);',
        '  await http.asyncRequest("GET", `${__ENV.BASE}/async`);',
        "  try { new tempo.Client({ propagator: 'b3' }); } catch (e) { console.log(String(e)); }",
        "  try { new tempo.Client({ propagator: 'w3c', sampling: 2 }); } catch (e) { console.log(String(e)); }",
        '}',
      ].join('\n');
      const run = await runInput({ name: 'tempo.js', data: new TextEncoder().encode(source) }, { env: { BASE: url }, jsonOut: 'out/tempo.json' });
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toContain('unknown propagator: b3');
      expect(run.stderr).toContain('sampling rate must be between 0.0 and 1.0');
      expect(seen.map((r) => r.path)).toEqual(['/w3c', '/post', '/jaeger', '/async']);
      const w3c = /^00-(dc0718[0-9a-f]{26})-[0-9a-f]{16}-01$/;
      const traceIds = [seen[0], seen[1], seen[3]].map((r) => w3c.exec(String(r?.headers.traceparent))?.[1]);
      expect(traceIds.every((id) => id !== undefined)).toBe(true);
      expect(new Set(traceIds).size).toBe(3);
      expect(seen[0]?.headers['x-mine']).toBe('kept');
      const jaegerHeader = /^(dc0718[0-9a-f]{26}):[0-9a-f]{8}:0:0$/.exec(String(seen[2]?.headers['uber-trace-id']));
      expect(jaegerHeader).not.toBeNull();
      expect(seen[2]?.headers.traceparent).toBeUndefined();
      type Point = { type: string; metric: string; data: { tags: Record<string, string>; metadata?: Record<string, string> } };
      const points = (run.written.get('out/tempo.json') ?? '').trim().split('\n').map((l) => JSON.parse(l) as Point)
        .filter((p) => p.type === 'Point' && p.metric === 'http_reqs');
      expect(points.map((p) => p.data.metadata?.trace_id)).toEqual([traceIds[0], traceIds[1], jaegerHeader?.[1], traceIds[2]]);
      const iterations = (run.written.get('out/tempo.json') ?? '').split('\n').filter((l) => l.includes('"metric":"iterations"') && l.includes('"Point"'));
      expect(iterations.every((l) => !l.includes('trace_id'))).toBe(true);
    } finally {
      await close();
    }
  });

  it('http-instrumentation-pyroscope: a baggage header with the test run, scenario and request name, beside the script\'s own', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.end('ok');
    });
    const { url, close } = await listenLocal(server);
    try {
      const source = [
        "import http from 'k6/http';",
        "import pyroscope from 'https://jslib.k6.io/http-instrumentation-pyroscope/1.0.2/index.js';",
        "const custom = new pyroscope.Client((u) => ({ 'X-Profile': `for ${u.split('/').pop()}` }));",
        'pyroscope.instrumentHTTP();',
        "export const options = { scenarios: { shop: { executor: 'shared-iterations', iterations: 1 } } };",
        'export default function () {',
        '  http.get(`${__ENV.BASE}/plain`);',
        "  http.get(`${__ENV.BASE}/named`, { tags: { name: 'cart' }, headers: { baggage: 'mine=1' } });",
        '  custom.get(`${__ENV.BASE}/custom`);',
        '}',
      ].join('\n');
      const run = await runInput({ name: 'pyro.js', data: new TextEncoder().encode(source) }, { env: { BASE: url, K6_CLOUDRUN_TEST_RUN_ID: '42' } });
      expect(run.exitCode).toBe(0);
      expect(seen[0]?.baggage).toBe(`k6.test_run_id=42,k6.scenario=shop,k6.name=${url}/plain`);
      expect(seen[1]?.baggage).toBe('mine=1,k6.test_run_id=42,k6.scenario=shop,k6.name=cart');
      expect(seen[2]?.['x-profile']).toBe('for custom');
      expect(seen[2]?.baggage).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('another jslib.k6.io module fails to load naming the URL and the built-in ones', async () => {
    const run = await runInput({
      name: 'ws.js',
      data: new TextEncoder().encode(`import { WebSocket } from 'https://jslib.k6.io/k6-ws/0.1.0/index.js';\nexport default function () { return WebSocket; }\n`),
    });
    expect(run.exitCode).toBe(107);
    expect(run.stderr).toContain('https://jslib.k6.io/k6-ws/0.1.0/index.js');
    expect(run.stderr).toContain('https://jslib.k6.io/aws/<version>/{index,aws,s3,');
    expect(run.stderr).toContain('https://jslib.k6.io/k6chaijs/<version>/index.js');
    expect(run.stderr).toContain('https://jslib.k6.io/papaparse/<version>/index.js');
    expect(run.stderr).toContain('https://jslib.k6.io/url/<version>/index.js');
    expect(run.stderr).toContain('https://jslib.k6.io/ajv/<version>/index.js');
    expect(run.stderr).toContain('https://jslib.k6.io/expect/<version>/index.js');
    expect(run.stderr).toContain('https://raw.githubusercontent.com/benc-uk/k6-reporter/<ref>/dist/bundle.js');
  });

  it('another file of k6-reporter\'s repository, or another GitHub URL, fails naming the URL', async () => {
    const src = (url: string) => new TextEncoder().encode(`import { htmlReport } from '${url}';\nexport default function () {}\nexport function handleSummary(d) { return { 'r.html': htmlReport(d) }; }\n`);
    const other = await runInput({ name: 'r.js', data: src('https://raw.githubusercontent.com/benc-uk/k6-reporter/main/src/index.js') });
    expect(other.exitCode).toBe(107);
    expect(other.stderr).toContain('https://raw.githubusercontent.com/benc-uk/k6-reporter/main/src/index.js');
    expect(other.stderr).toContain('the jslib modules built in are');
    const fork = await runInput({ name: 'f.js', data: src('https://raw.githubusercontent.com/someone/k6-reporter/main/dist/bundle.js') });
    expect(fork.exitCode).toBe(107);
    expect(fork.stderr).toContain('https://raw.githubusercontent.com/someone/k6-reporter/main/dist/bundle.js');
    expect(fork.stderr).not.toContain('the jslib modules built in are');
  });

  it('an archive that carries a jslib module uses its own copy', async () => {
    const script = `import { randomItem } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';
export const options = { iterations: 1 };
export default function () {}
export function handleSummary() { return { stdout: randomItem(['x']) }; }
`;
    const data = await tarArchive({
      'metadata.json': JSON.stringify({
        type: 'js', filename: 'file:///home/nobody/t/script.js', pwd: 'file:///home/nobody/t/', options: {}, env: {}, k6version: '1.0.0',
      }),
      data: script,
      'file/home/nobody/t/script.js': script,
      'https/jslib.k6.io/k6-utils/1.4.0/index.js': 'export function randomItem() { return "from the archive"; }',
    });
    const run = await runInput({ name: 'test.tar', data });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('from the archive');
  });
});
