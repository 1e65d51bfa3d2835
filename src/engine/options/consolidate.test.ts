import { describe, expect, it } from 'vitest';
import { buildExecutionPlan } from '../executors/execution-plan.ts';
import { checkScenarioExecs, consolidateOptions } from './consolidate.ts';
import { DEFAULT_USER_AGENT } from './k6-options.ts';
import { OptionsError } from './options-error.ts';

function problemsOf(fn: () => unknown, exitCode = 104): readonly string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OptionsError);
    expect((err as OptionsError).exitCode).toBe(exitCode);
    return (err as OptionsError).problems;
  }
  throw new Error('expected an OptionsError');
}

describe('consolidateOptions: shortcuts and defaults', () => {
  it('no options: one VU, one iteration, k6 defaults, plan 1 VU / 10m30s', () => {
    const c = consolidateOptions({});
    expect(c.scenarios.map((s) => [s.name, s.executor])).toEqual([['default', 'per-vu-iterations']]);
    expect(c.options).toMatchObject({
      setupTimeout: 60_000,
      teardownTimeout: 60_000,
      handleSummaryTimeout: 120_000,
      batch: 20,
      batchPerHost: 6,
      userAgent: DEFAULT_USER_AGENT,
      summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'],
    });
    // Unset stays unset (k6's invalid null.Int): the HTTP client then uses 10 and warns at the limit.
    expect(c.options.maxRedirects).toBeUndefined();
    expect(DEFAULT_USER_AGENT).toMatch(/^Grafana k6\/\d+\.\d+\.\d+ Stampede\/0\.1\.0$/);
    const plan = buildExecutionPlan(c.scenarios);
    expect([plan.maxVUs, plan.totalDurationMs]).toEqual([1, 630_000]);
  });
  it('vus + duration → constant-vus, 1m0s with gracefulStop', () => {
    const c = consolidateOptions({ script: { vus: 10, duration: '30s' } });
    expect(c.scenarios[0]).toMatchObject({ name: 'default', executor: 'constant-vus', vus: 10, duration: 30_000 });
    expect(buildExecutionPlan(c.scenarios).totalDurationMs).toBe(60_000);
  });
  it('bare vus (k6 v2) → shared-iterations with iterations = vus', () => {
    const c = consolidateOptions({ script: { vus: 5 } });
    expect(c.scenarios[0]).toMatchObject({ executor: 'shared-iterations', vus: 5, iterations: 5 });
    expect(c.options.iterations).toBe(5);
  });
  it('iterations ± duration → shared-iterations with maxDuration', () => {
    expect(consolidateOptions({ script: { iterations: 10 } }).scenarios[0]).toMatchObject({
      executor: 'shared-iterations', vus: 1, iterations: 10, maxDuration: 600_000,
    });
    expect(consolidateOptions({ script: { iterations: 10, vus: 2, duration: '20s' } }).scenarios[0]).toMatchObject({
      executor: 'shared-iterations', vus: 2, iterations: 10, maxDuration: 20_000,
    });
  });
  it('an unknown key in a top-level stage is dropped quietly and the stage without a duration left out, as k6 (lib.Stage decodes itself leniently)', () => {
    const c = consolidateOptions({ script: { stages: [{ duration: '2s', target: 3 }, { durtaion: '2s', target: 0 }] } });
    expect(c.warnings).toEqual([]);
    expect(c.scenarios[0]).toMatchObject({ executor: 'ramping-vus', stages: [{ duration: 2000, target: 3 }] });
    // A scenario's stages are decoded strictly.
    const bad = { scenarios: { s: { executor: 'ramping-vus', stages: [{ durtaion: '2s', target: 0 }] } } };
    expect(problemsOf(() => consolidateOptions({ script: bad })).join('\n')).toContain('unknown field "durtaion"');
  });
  it('a threshold object\u2019s keys match as Go\u2019s encoding/json does: case aside (abortonFail is abortOnFail), unknown ones dropped quietly (metrics.thresholdConfig decodes leniently)', () => {
    const c = consolidateOptions({
      script: {
        thresholds: {
          http_req_duration: [{ threshold: 'p(95)<200', abortonFail: true, delayAbortEval: '2s' }],
          http_req_failed: [{ Threshold: 'rate<0.1', abortOnFail: false, comment: 'mine' }],
        },
      },
    });
    expect(c.warnings).toEqual([]);
    expect(c.options.thresholds).toEqual({
      http_req_duration: [{ threshold: 'p(95)<200', abortOnFail: true, delayAbortEval: '2s' }],
      http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: false }],
    });
  });
  it('stages → ramping-vus starting at vus', () => {
    const c = consolidateOptions({ script: { vus: 2, stages: [{ duration: '10s', target: 5 }, { duration: 5000, target: 0 }] } });
    expect(c.scenarios[0]).toMatchObject({
      executor: 'ramping-vus', startVUs: 2, stages: [{ duration: 10_000, target: 5 }, { duration: 5000, target: 0 }],
    });
  });
  it('declared scenarios are sorted by startTime, then name', () => {
    const c = consolidateOptions({
      script: {
        scenarios: {
          late: { executor: 'constant-vus', duration: '10s', startTime: '5s' },
          b: { executor: 'per-vu-iterations' },
          a: { executor: 'shared-iterations', exec: 'other' },
        },
      },
    });
    expect(c.scenarios.map((s) => s.name)).toEqual(['a', 'b', 'late']);
    expect(checkScenarioExecs(c.scenarios, ['default'])).toEqual(["executor a: function 'other' not found in exports"]);
  });
});

describe('consolidateOptions: tiers', () => {
  it('a CLI duration replaces script scenarios entirely, with the k6 warning', () => {
    const c = consolidateOptions({
      script: { vus: 3, scenarios: { s: { executor: 'per-vu-iterations', vus: 9 } } },
      cli: { duration: '30s' },
    });
    expect(c.scenarios.map((s) => [s.name, s.executor])).toEqual([['default', 'constant-vus']]);
    expect(c.scenarios[0]).toMatchObject({ vus: 3 });
    expect(c.warnings).toContain('"cli" level configuration overrode scenarios configuration entirely');
  });
  it('env iterations with CLI vus combine (K6_ITERATIONS=10 k6 run --vus 5)', () => {
    const c = consolidateOptions({ env: { K6_ITERATIONS: '10' }, cli: { vus: 5 } });
    expect(c.scenarios[0]).toMatchObject({ executor: 'shared-iterations', vus: 5, iterations: 10 });
  });
  it('a higher tier wipes all four execution keys from lower tiers, so there is no cross-tier conflict', () => {
    const c = consolidateOptions({ script: { stages: [{ duration: '10s', target: 3 }] }, env: { K6_ITERATIONS: '4' } });
    expect(c.scenarios[0]).toMatchObject({ executor: 'shared-iterations', iterations: 4 });
  });
  it('other options: CLI > env > script', () => {
    const c = consolidateOptions({
      script: { userAgent: 'script', batch: 3, tags: { a: '1' } },
      env: { K6_USER_AGENT: 'env', K6_BATCH: '4' },
      cli: { userAgent: 'cli' },
    });
    expect([c.options.userAgent, c.options.batch, c.options.tags]).toEqual(['cli', 4, { a: '1' }]);
  });
  it("tags: the highest tier's replace the others'; with merge-run-tags every tier's merge, a higher tier winning a key (k6 mergeRunTags)", () => {
    const sources = {
      file: { path: 'k6.json', content: { tags: { from: 'file', f: '1' } } },
      script: { tags: { from: 'script', env: 'staging', team: 'backend' } },
      env: { K6_TAGS: 'from:env,e:1' },
      cli: { tag: ['env=prod', 'region=us'] },
    };
    expect(consolidateOptions(sources).options.tags).toEqual({ env: 'prod', region: 'us' });
    expect(consolidateOptions({ ...sources, settings: { mergeRunTags: true } }).options.tags).toEqual({
      from: 'env', f: '1', env: 'prod', team: 'backend', e: '1', region: 'us',
    });
    expect(consolidateOptions({ settings: { mergeRunTags: true } }).options.tags).toEqual({});
  });
  it("`features` of the script or file is never an option (k6's Apply leaves it out)", () => {
    expect('features' in consolidateOptions({ script: { features: ['merge-run-tags'] } }).options).toBe(false);
  });
  it('reads the K6_* mapping', () => {
    const c = consolidateOptions({
      env: {
        K6_VUS: '2',
        K6_STAGES: '30s:10,1m:0',
        K6_NO_THRESHOLDS: 'true',
        K6_INSECURE_SKIP_TLS_VERIFY: 'true',
        K6_NO_CONNECTION_REUSE: 'true',
        K6_NO_VU_CONNECTION_REUSE: 'false',
        K6_PAUSED: 'null',
        K6_BATCH_PER_HOST: '3',
        K6_THROW: 'true',
        K6_MAX_REDIRECTS: '2',
        K6_DISCARD_RESPONSE_BODIES: 'true',
        K6_MIN_ITERATION_DURATION: '2s',
        K6_SETUP_TIMEOUT: '10s',
        K6_TEARDOWN_TIMEOUT: '1m',
        K6_SUMMARY_TREND_STATS: 'avg,p(99.9),count',
        K6_NO_SETUP: 'true',
        K6_NO_TEARDOWN: 'false',
        K6_HTTP_DEBUG: 'full',
        K6_TAGS: 'env:ci,team:qa',
      },
    });
    expect(c.scenarios[0]).toMatchObject({ executor: 'ramping-vus', startVUs: 2, stages: [{ duration: 30_000, target: 10 }, { duration: 60_000, target: 0 }] });
    expect(c.options).toMatchObject({
      noThresholds: true, insecureSkipTLSVerify: true, noConnectionReuse: true, noVUConnectionReuse: false,
      batchPerHost: 3, throw: true, maxRedirects: 2, discardResponseBodies: true, minIterationDuration: 2000,
      setupTimeout: 10_000, teardownTimeout: 60_000, summaryTrendStats: ['avg', 'p(99.9)', 'count'],
      noSetup: true, noTeardown: false, httpDebug: 'full', tags: { env: 'ci', team: 'qa' },
    });
  });
  it("reads boolean K6_* variables as k6's null.Bool: true or false, null unset, Go's other spellings refused", () => {
    expect(consolidateOptions({ env: { K6_PAUSED: 'null', K6_THROW: 'false' } }).options).not.toHaveProperty('paused');
    expect([...problemsOf(() => consolidateOptions({ env: { K6_THROW: '1', K6_NO_CONNECTION_REUSE: 'TRUE', K6_NO_SETUP: 't' } }))].sort()).toEqual([
      'K6_NO_CONNECTION_REUSE: invalid boolean "TRUE" (true or false)',
      'K6_NO_SETUP: invalid boolean "t" (true or false)',
      'K6_THROW: invalid boolean "1" (true or false)',
    ]);
  });
  it('turns CLI flags into options', () => {
    const c = consolidateOptions({
      cli: {
        stage: ['5s:2', '5s:0'], tag: ['k=v', 'x=a=b'], httpDebug: true, summaryTrendStats: 'avg,max',
        insecureSkipTlsVerify: true, noVuConnectionReuse: true, maxRedirects: '3', minIterationDuration: '1s',
        executionSegment: '1/2', executionSegmentSequence: '0,1/2,1',
      },
    });
    expect(c.scenarios[0]).toMatchObject({ executor: 'ramping-vus', stages: [{ duration: 5000, target: 2 }, { duration: 5000, target: 0 }] });
    expect(c.options).toMatchObject({
      tags: { k: 'v', x: 'a=b' }, httpDebug: 'headers', summaryTrendStats: ['avg', 'max'], insecureSkipTLSVerify: true,
      noVUConnectionReuse: true, maxRedirects: 3, minIterationDuration: 1000,
    });
    expect(c.tuple.segment.toString()).toBe('0:1/2');
    expect(c.tuple.scaleInt64(3)).toBe(2);
  });
});

describe('consolidateOptions: problems', () => {
  it('lists every problem at once', () => {
    const problems = problemsOf(() =>
      consolidateOptions({
        script: {
          vus: 'many',
          setupTimeout: '10 minutes',
          thresholds: { http_req_duration: 'p(95)<200' },
          hosts: { 'test.k6.io': 'not-an-ip' },
          summaryTrendStats: ['avg', 'p(101)'],
          scenarios: {
            'bad name': { executor: 'constant-vus', duration: '10s' },
            slow: { executor: 'constant-arrival-rate', rate: 0, duration: '500ms', maxVUs: 2, unknownField: 1 },
            weird: { executor: 'externally-controlled' },
          },
        },
        env: { K6_BATCH: 'lots' },
        cli: { duration: undefined, tag: ['=x'] },
      }),
      255, // a bad flag (and bad trend stats) carry no k6 exit code
    );
    expect(problems).toEqual([
      'vus: expected an integer, got the string "many"',
      'setupTimeout: invalid duration "10 minutes"',
      'thresholds["http_req_duration"]: expected an array of threshold expressions',
      'hosts.test.k6.io: "not-an-ip" is not an IP address or ip:port',
      "summaryTrendStats: invalid percentile trend stat value 'p(101)', provide a number between 0 and 100",
      'K6_BATCH: expected an integer, got the string "lots"',
      '--tag: invalid tag "=x", empty name',
      'scenario bad name has configuration errors: the scenario name should contain only numbers, latin letters, underscores, and dashes',
      'scenario slow has configuration errors: json: unknown field "unknownField", the iteration rate must be more than 0, the duration must be at least 1s, but is 500ms, the number of preAllocatedVUs isn\'t specified',
      "scenario weird has configuration errors: the externally-controlled executor isn't supported (removed in k6 v2)",
    ]);
  });
  it.each([
    [{ iterations: 5, stages: [{ duration: '1s', target: 1 }] }, 'using `iterations` and `stages` options simultaneously is not allowed'],
    [{ iterations: 5, scenarios: {} }, 'using `iterations` and `scenarios` options simultaneously is not allowed'],
    [{ duration: '5s', stages: [{ duration: '1s', target: 1 }] }, 'using `duration` and `stages` options simultaneously is not allowed'],
    [{ duration: '5s', scenarios: {} }, 'using `duration` and `scenarios` options simultaneously is not allowed'],
    [{ stages: [{ duration: '1s', target: 1 }], scenarios: {} }, 'using `stages` and `scenarios` options simultaneously is not allowed'],
  ])('conflict inside one tier: %j', (script, message) => {
    expect(problemsOf(() => consolidateOptions({ script }))).toEqual([message]);
  });
  it('checks derived scenarios like declared ones', () => {
    expect(problemsOf(() => consolidateOptions({ script: { vus: 10, iterations: 5 } }))).toEqual([
      "scenario default has configuration errors: the number of iterations (5) can't be less than the number of VUs (10)",
    ]);
    expect(problemsOf(() => consolidateOptions({ cli: { vus: 0, duration: '10s' } }))).toEqual([
      'scenario default has configuration errors: the number of VUs must be more than 0',
    ]);
  });
  it('validation problems alone read as k6\'s validateConfig list; decoding problems keep their own form', () => {
    const messageOf = (script: Record<string, unknown>): string => {
      try {
        consolidateOptions({ script });
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('expected an OptionsError');
    };
    expect(messageOf({ vus: 10, iterations: 5 })).toBe(
      "There were problems with the specified script configuration:\n\t- scenario default has configuration errors: the number of iterations (5) can't be less than the number of VUs (10)",
    );
    expect(messageOf({
      setupTimeout: '0s',
      scenarios: { a: { executor: 'constant-arrival-rate', rate: 10, duration: '10m', preAllocatedVUs: 20, maxVUs: 15 } },
    })).toBe([
      'There were problems with the specified script configuration:',
      "\t- scenario a has configuration errors: maxVUs can't be less than preAllocatedVUs",
      '\t- setupTimeout must be positive',
    ].join('\n'));
    // k6 fails these while decoding the JSON, before any validation.
    expect(messageOf({ scenarios: { a: { executor: 'constant-vus', duration: '1m', nope: 1 } } })).toBe(
      'scenario a has configuration errors: json: unknown field "nope"',
    );
    expect(messageOf({ iterations: 5, scenarios: {} })).toBe('using `iterations` and `scenarios` options simultaneously is not allowed');
  });
  it('tlsCipherSuites takes k6\'s suite names only, from the script and K6_TLS_CIPHER_SUITES', () => {
    expect(problemsOf(() => consolidateOptions({ script: { tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'] } }))).toEqual([
      "tlsCipherSuites: unknown cipher suite 'ECDHE-RSA-AES128-GCM-SHA256'",
    ]);
    expect(problemsOf(() => consolidateOptions({ env: { K6_TLS_CIPHER_SUITES: 'TLS_AES_128_GCM_SHA256,nope' } }))).toEqual([
      "K6_TLS_CIPHER_SUITES: unknown cipher suite 'nope'",
    ]);
    expect(consolidateOptions({ env: { K6_TLS_CIPHER_SUITES: 'TLS_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305' } }).options.tlsCipherSuites)
      .toEqual(['TLS_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305']);
  });
  it('exits 255 where k6 attaches no exit code: a bad flag, bad summaryTrendStats from any tier', () => {
    const stat = "summaryTrendStats: invalid trend stat 'foo', unknown format";
    expect(problemsOf(() => consolidateOptions({ script: { summaryTrendStats: ['avg', 'foo'] } }), 255)).toEqual([stat]);
    expect(problemsOf(() => consolidateOptions({ env: { K6_SUMMARY_TREND_STATS: 'avg,foo' } }), 255)).toHaveLength(1);
    expect(problemsOf(() => consolidateOptions({ cli: { duration: 'soon' } }), 255)).toEqual(['invalid argument "soon" for "-d, --duration" flag: time: invalid duration "soon"']);
    expect(problemsOf(() => consolidateOptions({ cli: { summaryTimeUnit: 'h' } }), 255)).toEqual([
      "--summary-time-unit: invalid summary time unit 'h', use 's', 'ms' or 'us'",
    ]);
    expect(problemsOf(() => consolidateOptions({ script: { vus: 'many' }, env: { K6_BATCH: 'lots' } }))).toHaveLength(2);
    // Split on commas without trimming, as pflag and envconfig: the space is part of the stat.
    expect(problemsOf(() => consolidateOptions({ cli: { summaryTrendStats: 'avg, p(95)' } }), 255)).toEqual([
      "--summary-trend-stats: invalid trend stat ' p(95)', unknown format",
    ]);
    expect(problemsOf(() => consolidateOptions({ env: { K6_SUMMARY_TREND_STATS: 'avg,,max' } }), 255)).toHaveLength(1);
    expect(consolidateOptions({ cli: { summaryTrendStats: '' } }).options.summaryTrendStats).toEqual([]);
  });
  it('k6 TestGetResolversForTrendColumnsValidation: which trend stats resolve, the first that does not in k6\'s words', () => {
    const ok = [[], ['avg', 'min', 'med', 'max', 'p(0)', 'p(99)', 'p(99.999)', 'count'], ['p(1)'], ['p(1e1)']];
    for (const stats of ok) expect(consolidateOptions({ script: { summaryTrendStats: stats } }).options.summaryTrendStats).toEqual(stats);
    const bad: Array<[string[], string]> = [
      [['avg', 'p(err)'], "invalid percentile trend stat value 'p(err)', provide a number between 0 and 100"],
      [['nil', 'p(err)'], "invalid trend stat 'nil', unknown format"],
      [['p90'], "invalid trend stat 'p90', unknown format"],
      [['p(90'], "invalid trend stat 'p(90', unknown format"],
      [[' avg'], "invalid trend stat ' avg', unknown format"],
      [['avg '], "invalid trend stat 'avg ', unknown format"],
      [['', 'avg '], "invalid trend stat '', unknown format"],
      [['p(-1)'], "invalid percentile trend stat value 'p(-1)', provide a number between 0 and 100"],
      [['p(101)'], "invalid percentile trend stat value 'p(101)', provide a number between 0 and 100"],
    ];
    for (const [stats, message] of bad) {
      expect(problemsOf(() => consolidateOptions({ script: { summaryTrendStats: stats } }), 255)).toEqual([`summaryTrendStats: ${message}`]);
    }
  });

  it('takes any summaryTimeUnit from the script or K6_SUMMARY_TIME_UNIT, as k6 (only the flag is checked)', () => {
    expect(consolidateOptions({ script: { summaryTimeUnit: 'h' } }).options.summaryTimeUnit).toBe('h');
    expect(consolidateOptions({ env: { K6_SUMMARY_TIME_UNIT: 'minutes' } }).options.summaryTimeUnit).toBe('minutes');
    expect(consolidateOptions({ cli: { summaryTimeUnit: 's' } }).options.summaryTimeUnit).toBe('s');
  });
  it('unknown keys are only warnings: one, for the first key in sorted order, as k6 (json decoding stops there)', () => {
    const c = consolidateOptions({ script: { vu: 10, noThresholds: true } });
    expect(c.warnings).toEqual([
      'There were unknown fields in the options exported in the script: json: unknown field "noThresholds"',
    ]);
    expect(c.options.noThresholds).toBe(false);
  });
  it('takes option keys that differ only in case, as Go\'s encoding/json does', () => {
    const c = consolidateOptions({ script: { VUs: 3, Iterations: 7 } });
    expect(c.warnings).toEqual([]);
    expect(c.scenarios[0]).toMatchObject({ executor: 'shared-iterations', vus: 3, iterations: 7 });
  });
  it('reports bad env and flag text with the variable or flag name', () => {
    expect(
      problemsOf(() =>
        consolidateOptions({
          env: { K6_STAGES: '30s:abc', K6_NO_SETUP: 'yes' },
          cli: { stage: [':10'], httpDebug: 'body', executionSegment: '2/1' },
        }),
        255,
      ),
    ).toEqual([
      'K6_STAGES[0]: strconv.ParseInt: parsing "abc": invalid syntax',
      'K6_NO_SETUP: invalid boolean "yes" (true or false)',
      'stage 0 doesn\'t have a specified duration',
      '--execution-segment: segment end value can\'t be more than 1 but was 2.00',
      '--http-debug: invalid value "body"; use --http-debug or --http-debug=full',
    ]);
  });
  it('systemTags: names k6 does not know are dropped silently, each tag once, sorted (k6 ToSystemTagSet, TestSystemTagSetTextUnmarshal)', () => {
    expect(consolidateOptions({ script: { systemTags: ['proto', 'bogus', 'ip', 'proto'] } }).options.systemTags).toEqual(['ip', 'proto']);
    expect(consolidateOptions({ env: { K6_SYSTEM_TAGS: '   ip  ,,  proto  ,,custom' } }).options.systemTags).toEqual(['ip', 'proto']);
    expect(consolidateOptions({ cli: { systemTags: 'status,nope' } }).options.systemTags).toEqual(['status']);
  });
  it('numeric strings count as integers, like k6 (null.Int)', () => {
    expect(consolidateOptions({ script: { vus: '3', duration: '5s' } }).scenarios[0]).toMatchObject({ vus: 3 });
  });
  it('a segment must belong to its sequence', () => {
    expect(problemsOf(() => consolidateOptions({ cli: { executionSegment: '1/3', executionSegmentSequence: '0,1/2,1' } }))).toEqual([
      "provided segment 0:1/3 can't be found in sequence 0,1/2,1",
    ]);
  });
});

describe('consolidateOptions: rps and dns', () => {
  it('rps comes from the script, K6_RPS or --rps (the CLI wins); a non-integer is a problem', () => {
    expect(consolidateOptions({ script: { rps: 20 } }).options.rps).toBe(20);
    expect(consolidateOptions({ script: { rps: 20 }, env: { K6_RPS: '30' } }).options.rps).toBe(30);
    expect(consolidateOptions({ script: { rps: 20 }, env: { K6_RPS: '30' }, cli: { rps: '40' } }).options.rps).toBe(40);
    expect(problemsOf(() => consolidateOptions({ script: { rps: 2.5 } })).join('\n')).toMatch(/rps.*expected an integer/);
    expect(problemsOf(() => consolidateOptions({ env: { K6_RPS: 'lots' } })).join('\n')).toMatch(/K6_RPS.*expected an integer/);
  });

  it("dns defaults to k6's {5m, random, preferIPv4}; K6_DNS and --dns take k6's text form over the script's object", () => {
    expect(consolidateOptions({}).options.dns).toEqual({ ttl: '5m', select: 'random', policy: 'preferIPv4' });
    expect(consolidateOptions({ script: { dns: { select: 'first', policy: 'onlyIPv6' } } }).options.dns)
      .toEqual({ ttl: '5m', select: 'first', policy: 'onlyIPv6' });
    expect(consolidateOptions({ env: { K6_DNS: 'ttl=1m,select=roundRobin,policy=any' } }).options.dns)
      .toEqual({ ttl: '1m', select: 'roundRobin', policy: 'any' });
    expect(consolidateOptions({ env: { K6_DNS: 'ttl=1m' }, cli: { dns: 'ttl=inf,policy=onlyIPv4' } }).options.dns)
      .toMatchObject({ ttl: 'inf', policy: 'onlyIPv4' });
  });

  it("an archive's unknown option keys (old archives' `execution`) are dropped without the script's warning (k6 old_archive_test.go)", () => {
    expect(consolidateOptions({ script: { execution: { something: 'invalid' } }, scriptSource: 'archive' }).warnings).toEqual([]);
    expect(consolidateOptions({ script: { execution: { something: 'invalid' } } }).warnings).toEqual([
      'There were unknown fields in the options exported in the script: json: unknown field "execution"',
    ]);
  });

  it('dns fields set to null (how k6 archives write unset ones) are unset, not invalid', () => {
    expect(consolidateOptions({ script: { dns: { ttl: null, select: null, policy: null } }, scriptSource: 'archive' }).options.dns)
      .toEqual({ ttl: '5m', select: 'random', policy: 'preferIPv4' });
    expect(consolidateOptions({ script: { dns: { ttl: '1m', select: null, policy: 'any' } } }).options.dns)
      .toEqual({ ttl: '1m', select: 'random', policy: 'any' });
  });

  it('bad dns settings are listed, each with what is allowed', () => {
    const problems = problemsOf(() => consolidateOptions({
      script: { dns: { ttl: 'soon', select: 'nearest' } },
      env: { K6_DNS: 'policy=ipv4only,color=blue' },
    })).join('\n');
    expect(problems).toMatch(/ttl.*invalid ttl "soon"/);
    expect(problems).toMatch(/select.*"nearest".*first, random, roundRobin/);
    expect(problems).toMatch(/policy.*"ipv4only".*preferIPv4, preferIPv6, onlyIPv4, onlyIPv6, any/);
    expect(problems).toMatch(/unknown dns setting "color"/);
  });
});

describe('consolidateOptions: the JSON config file tier (k6 internal/cmd/config.go)', () => {
  it('sits below the script, env and flags; a higher tier setting iterations drops the file duration', () => {
    const file = { path: 'k6.json', content: { vus: 3, duration: '20s', userAgent: 'from-file', batch: 7, collectors: { cloud: {} } } };
    const fileOnly = consolidateOptions({ file });
    expect(fileOnly.options).toMatchObject({ vus: 3, duration: 20_000, userAgent: 'from-file', batch: 7 });
    expect(fileOnly.warnings).toEqual([]);
    const layered = consolidateOptions({ file, script: { iterations: 6, userAgent: 'from-script' }, env: { K6_BATCH: '9' } });
    expect(layered.options).toMatchObject({ vus: 3, iterations: 6, userAgent: 'from-script', batch: 9 });
    expect(layered.options.duration).toBeUndefined();
    expect(layered.scenarios[0]).toMatchObject({ executor: 'shared-iterations', vus: 3, iterations: 6 });
    expect(consolidateOptions({ file, cli: { vus: '1' } }).options.vus).toBe(1);
  });

  it('a value of the wrong type is a 104 problem naming the file; unknown keys pass quietly', () => {
    expect(problemsOf(() => consolidateOptions({ file: { path: 'bad.json', content: { vus: 'many', surprise: 1 } } }))).toEqual([
      'failed to load the configuration file from the local file system: couldn\'t parse the configuration from "bad.json": vus: expected an integer, got the string "many"',
    ]);
    expect(problemsOf(() => consolidateOptions({ file: { path: 'list.json', content: [1] } }))).toHaveLength(1);
  });
});

describe('consolidateOptions: blockHostnames, blacklistIPs and localIPs validation', () => {
  it('flags: k6 getOptions errors (exit 255)', () => {
    expect(problemsOf(() => consolidateOptions({ cli: { blacklistIp: ['10.0.0.0/8,10.0.0.1'] } }), 255)).toEqual([
      "error parsing blacklist-ip '10.0.0.1': invalid CIDR address: 10.0.0.1",
    ]);
    expect(problemsOf(() => consolidateOptions({ cli: { blockHostnames: ['ok.test,bad_name.test'] } }), 255)).toEqual([
      "--block-hostnames: invalid hostname pattern 'bad_name.test'",
    ]);
    expect(problemsOf(() => consolidateOptions({ cli: { localIps: '10.0.0.1-10.0.0.0' } }), 255)).toEqual(['--local-ips: negative IP range: 10.0.0.1-10.0.0.0']);
    const ok = consolidateOptions({ cli: { blacklistIp: ['10.0.0.0/8', '192.168.0.0/16'], blockHostnames: ['*.example.com,Other.Test'], localIps: '127.0.0.2-127.0.0.3' } });
    expect(ok.options).toMatchObject({ blacklistIPs: ['10.0.0.0/8', '192.168.0.0/16'], blockHostnames: ['*.example.com', 'Other.Test'], localIPs: '127.0.0.2-127.0.0.3' });
    expect(ok.testOptions.localIPs).toBe('127.0.0.2-127.0.0.3');
  });

  it('env and script: 104 problems', () => {
    expect(problemsOf(() => consolidateOptions({ env: { K6_LOCAL_IPS: 'nope', K6_BLOCK_HOSTNAMES: 'a..b' } }))).toEqual([
      "K6_BLOCK_HOSTNAMES: invalid hostname pattern 'a..b'",
      'K6_LOCAL_IPS: nope is not a valid IP, IP range or CIDR',
    ]);
    expect(problemsOf(() => consolidateOptions({ script: { blockHostnames: ['*.fine', 'not fine'] } }))).toEqual(["blockHostnames: invalid hostname pattern 'not fine'"]);
  });
});

// grafana/k6 internal/cmd/config_consolidation_test.go, the cases a user can tell apart (test/k6-options-parity.md).
describe('consolidateOptions: k6 config_consolidation_test.go', () => {
  const scenario = (c: ReturnType<typeof consolidateOptions>): unknown => c.scenarios[0];
  it('CLI durations and stages are Go durations: a unit is required and there are no days (pflag, Stage.UnmarshalText)', () => {
    expect(problemsOf(() => consolidateOptions({ cli: { duration: '1000' } }), 255)).toEqual([
      'invalid argument "1000" for "-d, --duration" flag: time: missing unit in duration "1000"',
    ]);
    expect(problemsOf(() => consolidateOptions({ cli: { minIterationDuration: '1d' } }), 255)).toEqual([
      'invalid argument "1d" for "--min-iteration-duration" flag: time: unknown unit "d" in duration "1d"',
    ]);
    expect(problemsOf(() => consolidateOptions({ cli: { stage: ['1000:20'] } }), 255)).toEqual([
      'error for stage 0: time: missing unit in duration "1000"',
    ]);
    expect(problemsOf(() => consolidateOptions({ cli: { stage: ['10:20s'] } }), 255)).toEqual([
      'error for stage 0: time: missing unit in duration "10"',
    ]);
    expect(problemsOf(() => consolidateOptions({ env: { K6_STAGES: '1000:100' } }))).toEqual([
      'K6_STAGES[0]: time: missing unit in duration "1000"',
    ]);
    // K6_DURATION and option values stay k6's extended durations: bare milliseconds, days.
    expect(scenario(consolidateOptions({ env: { K6_VUS: '10', K6_DURATION: '10000' } }))).toMatchObject({ executor: 'constant-vus', vus: 10, duration: 10_000 });
    expect(scenario(consolidateOptions({ cli: { stage: ['1m6s:5', '1.5h:2'], vus: '10' } }))).toMatchObject({
      executor: 'ramping-vus', startVUs: 10, stages: [{ duration: 66_000, target: 5 }, { duration: 5_400_000, target: 2 }],
    });
  });
  it('integer flags are read as Go\'s strconv.ParseInt with base 0, errors in pflag\'s words', () => {
    expect(problemsOf(() => consolidateOptions({ cli: { iterations: 'blah' } }), 255)).toEqual([
      'invalid argument "blah" for "-i, --iterations" flag: strconv.ParseInt: parsing "blah": invalid syntax',
    ]);
    expect(problemsOf(() => consolidateOptions({ cli: { rps: '1.5' } }), 255)).toEqual([
      'invalid argument "1.5" for "--rps" flag: strconv.ParseInt: parsing "1.5": invalid syntax',
    ]);
    expect(consolidateOptions({ cli: { vus: '0x10', iterations: '020' } }).options).toMatchObject({ vus: 16, iterations: 16 });
  });
  it('`--stage ""` is an explicitly empty stage list: lower tiers\' execution keys go, one iteration with a warning', () => {
    const c = consolidateOptions({
      file: { path: 'config.json', content: { stages: [{ duration: '20s', target: 20 }], vus: 10 } },
      env: { K6_DURATION: '15s' },
      cli: { stage: [''] },
    });
    expect(scenario(c)).toMatchObject({ executor: 'per-vu-iterations', vus: 1, iterations: 1 });
    expect(c.warnings).toEqual(['`stages` was explicitly set to an empty value, running the script with 1 iteration in 1 VU']);
    expect(problemsOf(() => consolidateOptions({ cli: { stage: ['10s:5,'] } }), 255)).toEqual(["stage 1 doesn't have a specified duration"]);
  });
  it('dns is applied field by field: --dns ttl=5 keeps K6_DNS\'s select and policy; the flag\'s default text sets nothing', () => {
    const c = consolidateOptions({
      file: { path: 'config.json', content: { dns: { ttl: '60', select: 'first' } } },
      env: { K6_DNS: 'ttl=30,select=random,policy=any' },
      cli: { dns: 'ttl=5' },
    });
    expect(c.options.dns).toEqual({ ttl: '5', select: 'random', policy: 'any' });
    expect(c.testOptions.dns).toEqual({ ttl: '5', select: 'random', policy: 'any' });
    const d = consolidateOptions({ script: { dns: { ttl: '0', policy: 'onlyIPv4' } }, cli: { dns: 'ttl=5m,select=random,policy=preferIPv4' } });
    expect(d.testOptions.dns).toEqual({ ttl: '0', select: null, policy: 'onlyIPv4' });
  });
  it('system tags k6 does not know are left out silently, from every tier (metrics.ToSystemTagSet)', () => {
    expect(consolidateOptions({ cli: { systemTags: '""' } }).options.systemTags).toEqual([]);
    expect(consolidateOptions({ env: { K6_SYSTEM_TAGS: '""' } }).options.systemTags).toEqual([]);
    expect(consolidateOptions({ env: { K6_SYSTEM_TAGS: 'proto,nope,method' } }).options.systemTags).toEqual(['method', 'proto']);
    expect(consolidateOptions({ script: { systemTags: ['url', 'vuu'] } }).options.systemTags).toEqual(['url']);
  });
  it('lib/options_test.go TLSVersion/Blank: tlsVersion "" is no bound (k6 shows {min: "", max: ""}); other unknown versions are errors', () => {
    expect(consolidateOptions({ script: { tlsVersion: '' } }).testOptions.tlsVersion).toEqual({ min: '', max: '' });
    expect(consolidateOptions({ script: { tlsVersion: { min: '', max: 'tls1.2' } } }).testOptions.tlsVersion).toEqual({ min: '', max: 'tls1.2' });
    expect(problemsOf(() => consolidateOptions({ script: { tlsVersion: 'ssl3.0' } }))).toHaveLength(1);
  });
});
