import { describe, expect, it } from 'vitest';
import { consolidateOptions } from './consolidate.ts';

describe('k6/execution test.options (consolidated and derived, as k6 marshals lib.Options)', () => {
  it('carries the shortcuts (for the exported options; k6/execution hides them) and shows the scenario derived from them, with only what was set', () => {
    const { testOptions } = consolidateOptions({ script: { iterations: 5, userAgent: 'x' } });
    expect([testOptions.vus, testOptions.iterations, testOptions.duration, testOptions.stages]).toEqual([null, 5, null, null]);
    expect(testOptions.userAgent).toBe('x');
    expect(testOptions.scenarios).toEqual({
      default: {
        executor: 'shared-iterations', startTime: null, gracefulStop: null, env: null, exec: null, tags: null,
        vus: null, iterations: 5, maxDuration: null,
      },
    });
  });

  it('stages become a ramping-vus scenario whose startVUs is the vus option, stage durations in Go form', () => {
    const { testOptions, scenarios } = consolidateOptions({ script: { stages: [{ duration: '90s', target: 3 }, { duration: 250, target: 0 }] } });
    expect((testOptions.scenarios as Record<string, unknown>).default).toMatchObject({
      startVUs: null,
      stages: [{ duration: '1m30s', target: 3 }, { duration: '250ms', target: 0 }],
      gracefulRampDown: null,
    });
    // The run itself still starts from k6's default of 1 VU.
    expect(scenarios[0]).toMatchObject({ executor: 'ramping-vus', startVUs: 1 });
    const withVus = consolidateOptions({ script: { vus: 4, duration: '1m' } }).testOptions;
    expect((withVus.scenarios as Record<string, unknown>).default).toMatchObject({ executor: 'constant-vus', vus: 4, duration: '1m0s' });
  });

  it('scenario fields written in another case (startvus, gracefulrampdown, as a docs example has them) show under their field names', () => {
    const { testOptions, scenarios } = consolidateOptions({
      script: { scenarios: { contacts: { Executor: 'ramping-vus', startvus: 2, stages: [{ duration: '10s', target: 0 }], gracefulrampdown: '1s', GRACEFULSTOP: '5s' } } },
    });
    expect((testOptions.scenarios as Record<string, unknown>).contacts).toEqual({
      executor: 'ramping-vus', startTime: null, gracefulStop: '5s', env: null, exec: null, tags: null,
      startVUs: 2, stages: [{ duration: '10s', target: 0 }], gracefulRampDown: '1s',
    });
    expect(scenarios[0]).toMatchObject({ executor: 'ramping-vus', startVUs: 2, gracefulRampDown: 1000, gracefulStop: 5000 });
  });

  it('env and CLI tiers count as set; unset k6 defaults stay null except systemTags and summaryTrendStats', () => {
    const { testOptions } = consolidateOptions({
      script: { duration: '10s', tlsVersion: 'tls1.2', hosts: { 'b.test': '127.0.0.1', 'a.test': '127.0.0.1:8080' } },
      env: { K6_SETUP_TIMEOUT: '2m', K6_CONSOLE_OUTPUT: 'out.log', K6_SYSTEM_TAGS: 'url,status' },
    });
    expect(testOptions).toMatchObject({
      setupTimeout: '2m0s',
      teardownTimeout: null,
      maxRedirects: null,
      dns: { ttl: null, select: null, policy: null },
      consoleOutput: 'out.log',
      systemTags: ['status', 'url'],
      summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'],
      tlsVersion: { min: 'tls1.2', max: 'tls1.2' },
    });
    expect(Object.keys(testOptions.hosts as object)).toEqual(['a.test', 'b.test']);
    expect(testOptions).not.toHaveProperty('cloud');
    expect(Object.keys(testOptions).slice(-2)).toEqual(['consoleOutput', 'localIPs']);
  });
});
