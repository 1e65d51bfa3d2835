import { describe, expect, it } from 'vitest';
import { fixtureRun } from '../summary/summary-fixture.test-helper.ts';
import vm from 'node:vm';
import { ScriptRealm } from '../vu/script-realm.ts';
import { builtinJslib, builtinJslibList, isJslibUrl, jslibVersion, jslibVersionAtLeast } from './jslib-urls.ts';
import { createK6chaijsModule, type ChaiK6 } from './k6chaijs-module.ts';
import { createPapaparseModule } from './papaparse-module.ts';
import { createUrlModule } from './url-module.ts';
import { createK6SummaryModule, jUnit, textSummary } from './k6-summary.ts';
import { createK6UtilsModule, findBetween, normalDistributionStages, parseDuration, type ExecutionView, type UtilsEnv } from './k6-utils.ts';

function utils(over: Partial<UtilsEnv> = {}): Record<string, (...args: unknown[]) => unknown> {
  let i = 0;
  const seq = [0, 0.5, 0.99, 0.25];
  return createK6UtilsModule({
    random: () => seq[i++ % seq.length] ?? 0,
    randomBytes: (n) => new Uint8Array(n).fill(0xff),
    execution: () => { throw new Error('no execution'); },
    toScript: (v) => v,
    now: () => 0,
    k6Check: () => true,
    block: (p) => p,
    ...over,
  }) as Record<string, (...args: unknown[]) => unknown>;
}

describe('built-in jslib URLs', () => {
  it('serves formdata, httpx, k6-summary, k6-utils, k6chaijs, papaparse, totp and url index.js of any version, nothing else', () => {
    expect(builtinJslib('https://jslib.k6.io/httpx/0.1.0/index.js')).toBe('httpx');
    expect(builtinJslib('https://jslib.k6.io/formdata/0.0.2/index.js')).toBe('formdata');
    expect(builtinJslib('https://jslib.k6.io/totp/1.0.0/index.js')).toBe('totp');
    expect(builtinJslib('https://jslib.k6.io/ajv/6.12.5/index.js')).toBe('ajv');
    expect(builtinJslib('https://jslib.k6.io/expect/0.0.5/index.js')).toBe('expect');
    expect(builtinJslib('https://jslib.k6.io/form-urlencoded/3.0.0/index.js')).toBe('form-urlencoded');
    expect(builtinJslib('https://jslib.k6.io/jsonpath/1.0.2/index.js')).toBe('jsonpath');
    expect(builtinJslib('https://jslib.k6.io/functional/0.0.3/index.js')).toBe('functional');
    expect(builtinJslib('https://jslib.k6.io/k6-summary/0.0.2/index.js')).toBe('k6-summary');
    expect(builtinJslib('https://jslib.k6.io/k6-utils/1.6.0/index.js')).toBe('k6-utils');
    expect(builtinJslib('https://jslib.k6.io/papaparse/5.1.1/index.js')).toBe('papaparse');
    expect(builtinJslib('https://jslib.k6.io/url/1.0.0/index.js')).toBe('url');
    expect(builtinJslib('https://jslib.k6.io/urls/1.0.0/index.js')).toBeUndefined();
    expect(builtinJslib('https://jslib.k6.io/k6-utils/1.6.0/other.js')).toBeUndefined();
    expect(builtinJslib('https://jslib.k6.io/k6chaijs/4.3.4.3/index.js')).toBe('k6chaijs');
    expect(builtinJslib('https://jslib.k6.io/k6-testing/0.6.1/index.js')).toBe('k6-testing');
    expect(builtinJslib('https://jslib.k6.io/k6-chaijs/4.3.4.3/index.js')).toBeUndefined();
    expect(builtinJslib('https://example.com/k6-utils/1.0.0/index.js')).toBeUndefined();
  });

  it('lists the built-in modules for errors about other jslib URLs', () => {
    expect(isJslibUrl('https://jslib.k6.io/k6-jslib-aws/0.12.3/index.js')).toBe(true);
    expect(isJslibUrl('https://example.com/index.js')).toBe(false);
    expect(builtinJslibList()).toBe('https://jslib.k6.io/ajv/<version>/index.js, https://jslib.k6.io/aws/<version>/{index,aws,s3,sqs,kms,secrets-manager,ssm,kinesis,lambda,event-bridge,signature}.js, '
      + 'https://jslib.k6.io/expect/<version>/index.js, https://jslib.k6.io/form-urlencoded/<version>/index.js, https://jslib.k6.io/formdata/<version>/index.js, https://jslib.k6.io/functional/<version>/index.js, '
      + 'https://jslib.k6.io/http-instrumentation-pyroscope/<version>/index.js, https://jslib.k6.io/http-instrumentation-tempo/<version>/index.js, '
      + 'https://jslib.k6.io/httpx/<version>/index.js, https://jslib.k6.io/jsonpath/<version>/index.js, '
      + 'https://jslib.k6.io/k6-summary/<version>/index.js, https://jslib.k6.io/k6-testing/<version>/index.js, https://jslib.k6.io/k6-utils/<version>/index.js, '
      + 'https://jslib.k6.io/k6chaijs/<version>/index.js, https://jslib.k6.io/papaparse/<version>/index.js, '
      + 'https://jslib.k6.io/totp/<version>/index.js, https://jslib.k6.io/url/<version>/index.js, https://raw.githubusercontent.com/benc-uk/k6-reporter/<ref>/dist/bundle.js');
  });
});

describe('k6-summary', () => {
  // Every published jslib version (0.0.1 to 0.1.0) prints k6's pre-v1 layout; this text is what
  // jslib 0.0.2 and 0.1.0 give for the fixture's data (compared byte for byte when written).
  it('textSummary is the jslib\'s layout: checks by group, then every metric marked by its thresholds', () => {
    const { data } = fixtureRun();
    expect(textSummary(data, { indent: ' ', enableColors: false })).toBe([
      '     ✓ status is 200',
      '',
      '     █ g1\n',
      '       ✗ body ok',
      '        ↳  60% — ✓ 6 / ✗ 4',
      '',
      '   ✗ checks.........................: 80.00% ✓ 16       ✗ 4  ',
      '     data_received..................: 170 kB 17 kB/s',
      '     data_sent......................: 9.0 kB 889 B/s',
      '     group_duration.................: avg=5ms      min=5ms   med=5ms      max=5ms      p(90)=5ms      p(95)=5ms     ',
      '   ✓ http_req_duration..............: avg=160.16ms min=100ms med=160.16ms max=220.33ms p(90)=208.29ms p(95)=214.31ms',
      '       { expected_response:true }...: avg=160.16ms min=100ms med=160.16ms max=220.33ms p(90)=208.29ms p(95)=214.31ms',
      '     ✗ { status:200 }...............: avg=160.16ms min=100ms med=160.16ms max=220.33ms p(90)=208.29ms p(95)=214.31ms',
      '     http_req_failed................: 0.00%  ✓ 0        ✗ 10 ',
      '     http_req_waiting...............: avg=90ms     min=90ms  med=90ms     max=90ms     p(90)=90ms     p(95)=90ms    ',
      '   ✗ http_reqs......................: 10     0.987849/s',
      '     iteration_duration.............: avg=1.01s    min=1.01s med=1.01s    max=1.02s    p(90)=1.02s    p(95)=1.02s   ',
      '     iterations.....................: 10     0.987849/s',
      '     my_counter.....................: 20     1.975699/s',
      '     vus............................: 1      min=1      max=1',
      '     vus_max........................: 1      min=1      max=1',
    ].join('\n'));
    expect(textSummary(data)).toContain('\x1b[32m     ✓ status is 200\x1b[0m');
    expect(textSummary(data, { enableColors: false, summaryTrendStats: ['max', 'avg'] })).toMatch(/ http_req_duration\.+: max=220.33ms avg=/);
    expect(textSummary(data, { indent: '>', enableColors: false })).toMatch(/^> {4}✓ status is 200\n/);
  });

  it('textSummary tolerates data the script trimmed', () => {
    expect(textSummary({ metrics: {} }, { enableColors: false })).toBe('');
  });

  it('jUnit gives one test case per threshold, failures with the metric values, XML-escaped', () => {
    const data = {
      metrics: {
        http_reqs: { type: 'counter', values: { count: 3, rate: 1.5 }, thresholds: { 'count<2': { ok: false } } },
        'http_req_duration{a:"b"}': { type: 'trend', values: { avg: 1 }, thresholds: { 'avg<100': { ok: true } } },
        iterations: { type: 'counter', values: { count: 3 } },
      },
    };
    expect(jUnit(data, { name: 'suite & co', classname: 'x' })).toBe(`<?xml version="1.0"?>
    <testsuites tests="2" failures="1">
      <testsuite name="suite &amp; co" tests="2" failures="1">
        <testcase name="http_reqs - count&lt;2" classname="x"><failure message="counter threshold failed: count value: 3, rate value: 1.5" /></testcase>
<testcase name="http_req_duration{a:&quot;b&quot;} - avg&lt;100" classname="x" />
      </testsuite>
    </testsuites>`);
    expect(jUnit({ metrics: {} })).toContain('<testsuite name="k6 thresholds" tests="0" failures="0">');
  });

  it('jUnit keeps the layout of the k6-summary version imported (0.0.2, 0.0.3, 0.0.4 differ from 0.1.0)', () => {
    const data = {
      metrics: {
        checks: { type: 'rate', values: { rate: 0.5, passes: 1, fails: 1 }, thresholds: { 'rate>0.9': { ok: false } } },
        http_req_duration: { type: 'trend', values: { avg: 2, med: 1.5 }, thresholds: { 'p(95)<500': { ok: true } } },
      },
    };
    const junitOf = (v: string) => (createK6SummaryModule(`https://jslib.k6.io/k6-summary/${v}/index.js`)['jUnit'] as (d: unknown, o?: unknown) => string)(data, { name: 'S', classname: 'c' });
    const old = `<?xml version="1.0"?>
<testsuites tests="2" failures="1">
<testsuite name="S" tests="2" failures="1"><testcase name="checks - rate&gt;0.9"><failure message="failed" /></testcase>
<testcase name="http_req_duration - p(95)&lt;500" />
</testsuite >
</testsuites >`;
    expect(junitOf('0.0.1')).toBe(old);
    expect(junitOf('0.0.2')).toBe(old);
    expect(junitOf('0.0.3')).toBe(old.replace('<failure message="failed" />', '<failure message="failed, number of fails: 1"/>'));
    expect(junitOf('0.0.4')).toBe(`<?xml version="1.0"?>
      <testsuites tests="2" failures="1">
        <testsuite name="S" tests="2" failures="1">
          <testcase name="checks - rate&gt;0.9"><failure message="rate threshold failed: rate value: 0.5, passes value: 1, fails value: 1"/></testcase>"
<testcase name="http_req_duration - p(95)&lt;500" />
        </testsuite>
      </testsuites>`);
    expect(junitOf('0.1.0')).toContain('<testcase name="http_req_duration - p(95)&lt;500" classname="c" />');
    expect(junitOf('0.2.0')).toBe(junitOf('0.1.0'));
  });
});

describe('k6-utils', () => {
  it('parseDuration reads stage durations in milliseconds', () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('1d2h')).toBe(93_600_000);
    expect(parseDuration('42')).toBe(42);
    expect(() => parseDuration('1s2s')).toThrow('s time unit is provided multiple times');
    expect(() => parseDuration('3w')).toThrow('w is an unsupported time unit');
    expect(() => parseDuration('')).toThrow('str is empty');
  });

  it('findBetween returns the first match, or all of them, or null', () => {
    expect(findBetween('<a>1</a><a>2</a>', '<a>', '</a>')).toBe('1');
    expect(findBetween('<a>1</a><a>2</a><a>3', '<a>', '</a>', true)).toEqual(['1', '2']);
    expect(findBetween('abc', '<', '>')).toBeNull();
    expect(findBetween('abc', '<', '>', true)).toBeNull();
  });

  it('normalDistributionStages follows the bell curve with short ramps at both ends', () => {
    expect(normalDistributionStages(100, 300, 4)).toEqual([
      { duration: '50s', target: 14 }, { duration: '50s', target: 61 }, { duration: '50s', target: 100 },
      { duration: '50s', target: 61 }, { duration: '50s', target: 14 }, { duration: '50s', target: 0 },
    ]);
    expect(normalDistributionStages(10, 60)).toHaveLength(12);
  });

  it('random helpers use the realm random', () => {
    const u = utils();
    expect([u['randomIntBetween']?.(1, 4), u['randomIntBetween']?.(1, 4), u['randomIntBetween']?.(1, 4)]).toEqual([1, 3, 4]);
    expect(utils()['randomString']?.(4, 'abcd')).toBe('acdb');
    expect(utils()['randomItem']?.(['a', 'b', 'c'])).toBe('a');
    expect(utils()['uuidv4']?.(true)).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(utils()['uuidv4']?.()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('stage helpers read the running scenario from k6/execution', () => {
    const tags: Record<string, unknown> = {};
    const exec: ExecutionView = {
      scenario: { name: 'ramp', startTime: 1000 },
      test: { options: { scenarios: { ramp: { stages: [{ duration: '1s', target: 5 }, { duration: '2s', target: 5 }, { duration: '1s', target: 0 }] } } } },
      vu: { tags },
    };
    let now = 1500;
    const u = utils({ execution: () => exec, now: () => now });
    expect(u['getCurrentStageIndex']?.()).toBe(0);
    now = 3500;
    u['tagWithCurrentStageIndex']?.();
    u['tagWithCurrentStageProfile']?.();
    expect(tags).toEqual({ stage: 1, stage_profile: 'steady' });
    now = 99_000;
    u['tagWithCurrentStageProfile']?.();
    expect(tags['stage_profile']).toBe('ramp-down');
    const other = utils({ execution: () => ({ ...exec, test: { options: { scenarios: { ramp: {} } } } }) });
    expect(() => other['getCurrentStageIndex']?.()).toThrow('only ramping-vus or ramping-arrival-rate supports stages');
  });
});

/** Runs `code` in a fresh script realm with `mod` as the global `mod`; returns what it evaluates to. */
function inRealm(make: (context: vm.Context) => unknown, code: string): unknown {
  const realm = new ScriptRealm();
  vm.runInContext('globalThis.mod = undefined', realm.context);
  (vm.runInContext('globalThis', realm.context) as { mod: unknown }).mod = make(realm.context);
  return vm.runInContext(code, realm.context);
}

describe('url', () => {
  it('URL parses, resolves against a base and exposes its parts', () => {
    expect(inRealm(createUrlModule, `
      const u = new mod.URL('../b/c?x=1#h', 'http://user:pw@127.0.0.1:8080/a/z');
      [u.href, u.origin, u.protocol, u.username, u.host, u.hostname, u.port, u.pathname, u.search, u.hash, String(u), JSON.stringify({ u })]`,
    )).toEqual([
      'http://user:pw@127.0.0.1:8080/b/c?x=1#h', 'http://127.0.0.1:8080', 'http:', 'user', '127.0.0.1:8080', '127.0.0.1', '8080',
      '/b/c', '?x=1', '#h', 'http://user:pw@127.0.0.1:8080/b/c?x=1#h', '{"u":"http://user:pw@127.0.0.1:8080/b/c?x=1#h"}',
    ]);
  });

  it('setters and searchParams stay in step with the URL', () => {
    expect(inRealm(createUrlModule, `
      const u = new mod.URL('http://h/p?a=1');
      u.searchParams.append('b', 'x y');
      u.pathname = '/q';
      const afterAppend = u.href;
      u.search = '?c=3';
      [afterAppend, u.href, u.searchParams.get('c'), u.searchParams.get('a')]`,
    )).toEqual(['http://h/q?a=1&b=x+y', 'http://h/q?c=3', '3', null]);
  });

  it('URLSearchParams takes a string, a record, pairs or another instance, and iterates as script arrays', () => {
    expect(inRealm(createUrlModule, `
      const p = new mod.URLSearchParams({ q: 'a&b', n: 1 });
      p.append('n', 2);
      const pairs = new mod.URLSearchParams([['x', '1'], ['y', '2']]);
      const copy = new mod.URLSearchParams(p);
      copy.set('q', 'z');
      const seen = [];
      p.forEach((v, k) => seen.push(k + '=' + v));
      const entries = [...p];
      [p.toString(), p.getAll('n'), p.getAll('n') instanceof Array, p.has('q'), p.size, new mod.URLSearchParams('?a=1&a=2').getAll('a'),
       pairs.toString(), copy.toString(), p.get('q'), seen, entries, entries[0] instanceof Array, [...p.keys()], [...p.values()],
       p instanceof Object, Object.prototype.toString.call(p)]`,
    )).toEqual([
      'q=a%26b&n=1&n=2', ['1', '2'], true, true, 3, ['1', '2'],
      'x=1&y=2', 'q=z&n=1&n=2', 'a&b', ['q=a&b', 'n=1', 'n=2'], [['q', 'a&b'], ['n', '1'], ['n', '2']], true, ['q', 'n', 'n'], ['a&b', '1', '2'],
      true, '[object URLSearchParams]',
    ]);
  });

  it('defines URL and URLSearchParams on the global object once loaded, as the published core-js build does (pagopa/pn-load-test SoakTest.js; real-world sweep 8)', () => {
    expect(inRealm(createUrlModule, `
      const d = Object.getOwnPropertyDescriptor(globalThis, 'URL');
      [typeof URL, URL === mod.URL, URLSearchParams === mod.URLSearchParams, new URL('http://h/p?x=1').searchParams.get('x'),
       d.enumerable, d.writable, d.configurable, Object.keys(globalThis).includes('URLSearchParams')]`,
    )).toEqual(['function', true, true, '1', false, true, true, false]);
  });

  it('an invalid URL throws a TypeError the script can catch as its own', () => {
    expect(inRealm(createUrlModule, `
      let caught;
      try { new mod.URL('not a url'); } catch (e) { caught = [e instanceof TypeError, e.message]; }
      [caught, mod.URL.canParse('http://h'), mod.URL.canParse('nope')]`,
    )).toEqual([[true, 'Invalid URL'], true, false]);
  });
});

describe('papaparse', () => {
  it('parse with header gives script-realm row objects; default and named exports are Papa', () => {
    expect(inRealm(createPapaparseModule, `
      const r = mod.default.parse('user,pass\\nalice,a1\\n"bob, jr",b2\\n', { header: true, skipEmptyLines: true });
      [r.data, r.data instanceof Array, r.data[0] instanceof Object, r.errors, r.meta.fields, mod.parse === mod.default.parse]`,
    )).toEqual([[{ user: 'alice', pass: 'a1' }, { user: 'bob, jr', pass: 'b2' }], true, true, [], ['user', 'pass'], true]);
  });

  it('parses without header, with dynamic typing, and unparses', () => {
    expect(inRealm(createPapaparseModule, `
      const papa = mod.default;
      [papa.parse('a;1\\nb;2', { delimiter: ';', dynamicTyping: true }).data, papa.unparse([{ a: 1, b: 'x,y' }])]`,
    )).toEqual([[['a', 1], ['b', 2]], 'a,b\r\n1,"x,y"']);
  });

  it('reports malformed rows in errors instead of throwing', () => {
    const r = inRealm(createPapaparseModule, `mod.default.parse('a,b\\n1,2,3', { header: true })`) as { errors: { code: string }[] };
    expect(r.errors.map((e) => e.code)).toEqual(['TooManyFields']);
  });
});

describe('k6chaijs', () => {
  function chaiIn(over: Partial<ChaiK6> = {}) {
    const realm = new ScriptRealm();
    const checks: Array<[string, boolean]> = [];
    const aborted: string[] = [];
    const mod = createK6chaijsModule(realm.context, {
      check: (_v, sets) => Object.entries(sets).forEach(([name, fn]) => checks.push([name, (fn as () => boolean)()])),
      group: (_name, fn) => fn(),
      abort: (m) => void aborted.push(m),
      exitOnError: true,
      caught: () => undefined,
      console: { warn: () => undefined, error: () => undefined },
      isBlocking: () => false,
      block: (p) => p,
      ...over,
    }) as { default: { config: Record<string, unknown> }; describe: (n: string, fn: () => void) => boolean; expect: (v: unknown, m?: string) => { to: { equal(x: unknown): void } } };
    return { ...mod, checks, aborted, realm };
  }

  it('exitOnError aborts the test with the failed expectation', () => {
    const c = chaiIn();
    c.default.config.exitOnError = true;
    expect(c.describe('x', () => c.expect(1, 'one').to.equal(2))).toBe(false);
    expect(c.aborted).toEqual(['expected 1 to equal 2']);
    expect(c.checks).toEqual([['expected one to equal 2', false]]);
  });

  it('exitOnError does nothing in the versions before 4.5.0.1 (they have no such option): the assertion just fails', () => {
    const c = chaiIn({ exitOnError: false });
    c.default.config.exitOnError = true;
    expect(c.describe('x', () => c.expect(1, 'one').to.equal(2))).toBe(false);
    expect(c.aborted).toEqual([]);
  });

  it('describe() lets the runtime\'s uncatchable errors (test abort, interrupts) through', () => {
    const stop = new Error('interrupted');
    const c = chaiIn({ caught: (e) => { if (e === stop) throw e; } });
    expect(() => c.describe('x', () => { throw stop; })).toThrow(stop);
    expect(c.checks).toEqual([]);
  });

  it('expected values longer than truncateVariableThreshold are cut in check names', () => {
    const c = chaiIn();
    c.default.config.truncateVariableThreshold = 20;
    c.expect('a'.repeat(30)).to.equal('a'.repeat(30));
    expect(c.checks).toEqual([['expected ${this} to ...', true]]);
    c.default.config.truncateVariableThreshold = 40;
    c.expect('a'.repeat(30)).to.equal('a'.repeat(30));
    expect(c.checks[1]).toEqual([`expected \${this} to equal '${'a'.repeat(13)}...`, true]);
  });
});

describe('jslib versions', () => {
  it('reads the version of a jslib.k6.io URL and compares it part by part', () => {
    expect(jslibVersion('https://jslib.k6.io/k6chaijs/4.3.4.3/index.js')).toBe('4.3.4.3');
    expect(jslibVersionAtLeast('4.3.4.3', '4.5.0.1')).toBe(false);
    expect(jslibVersionAtLeast('4.5.0.0', '4.5.0.1')).toBe(false);
    expect(jslibVersionAtLeast('4.5.0.1', '4.5.0.1')).toBe(true);
    expect(jslibVersionAtLeast('4.10.0.0', '4.5.0.1')).toBe(true);
    expect(jslibVersionAtLeast('latest', '4.5.0.1')).toBe(true);
  });
});
