import { describe, expect, it } from 'vitest';
import { fixtureRun } from '../summary/summary-fixture.test-helper.ts';
import { renderTextSummary } from '../summary/text-summary.ts';
import { builtinJslib } from './jslib-urls.ts';
import { jUnit, textSummary } from './k6-summary.ts';
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
  it('serves k6-summary and k6-utils index.js of any version, nothing else', () => {
    expect(builtinJslib('https://jslib.k6.io/k6-summary/0.0.2/index.js')).toBe('k6-summary');
    expect(builtinJslib('https://jslib.k6.io/k6-utils/1.6.0/index.js')).toBe('k6-utils');
    expect(builtinJslib('https://jslib.k6.io/k6-utils/1.6.0/other.js')).toBeUndefined();
    expect(builtinJslib('https://jslib.k6.io/k6-chaijs/4.3.4.3/index.js')).toBeUndefined();
    expect(builtinJslib('https://example.com/k6-utils/1.0.0/index.js')).toBeUndefined();
  });
});

describe('k6-summary', () => {
  it('textSummary is the default end-of-test text without its surrounding blank lines', () => {
    const { data } = fixtureRun();
    expect('\n' + textSummary(data, { indent: ' ', enableColors: false }) + '\n\n').toBe(renderTextSummary(data, { enableColors: false }));
    expect(textSummary(data)).toContain('\x1b[');
    expect(textSummary(data, { enableColors: false, summaryTrendStats: ['max', 'avg'] })).toMatch(/http_req_duration\.+: max=220.33ms avg=/);
  });

  it('textSummary tolerates data the script trimmed', () => {
    expect(textSummary({ metrics: {} }, { enableColors: false })).toContain('█ TOTAL RESULTS');
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
