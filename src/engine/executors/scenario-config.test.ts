import { describe, expect, it } from 'vitest';
import { buildExecutionPlan } from './execution-plan.ts';
import { ExecutionTuple, parseExecutionSegment, parseExecutionSegmentSequence } from './execution-segment.ts';
import { parseScenarios } from './scenario-config.ts';

// Cases from k6 lib/executor/executors_test.go: the description line, the scenario's own end offset
// (startTime excluded), the whole plan's end offset, and max planned / possible VUs.
describe('k6 scenario config table', () => {
  it.each([
    [
      { someKey: { executor: 'constant-vus', vus: 10, duration: '60s', gracefulStop: '10s', startTime: '70s', env: { test: 'mest' }, exec: 'someFunc' } },
      '10 looping VUs for 1m0s (exec: someFunc, startTime: 1m10s, gracefulStop: 10s)', 140_000, 10, 10,
    ],
    [
      { varloops: { executor: 'ramping-vus', startVUs: 20, gracefulStop: '15s', gracefulRampDown: '10s', startTime: '23s', stages: [{ duration: '60s', target: 30 }, { duration: '130s', target: 10 }] } },
      'Up to 30 looping VUs for 3m10s over 2 stages (gracefulRampDown: 10s, startTime: 23s, gracefulStop: 15s)', 228_000, 30, 30,
    ],
    [
      { varloops: { executor: 'ramping-vus', startVUs: 1, gracefulStop: '0s', gracefulRampDown: '0s', stages: [{ duration: '10s', target: 10 }, { duration: '0s', target: 11 }, { duration: '0s', target: 1 }, { duration: '10s', target: 5 }] } },
      'Up to 11 looping VUs for 20s over 4 stages (gracefulRampDown: 0s)', 20_000, 11, 11,
    ],
    [
      { ishared: { executor: 'shared-iterations', iterations: 22, vus: 12, maxDuration: '100s' } },
      '22 iterations shared among 12 VUs (maxDuration: 1m40s, gracefulStop: 30s)', 130_000, 12, 12,
    ],
    [
      { ipervu: { executor: 'per-vu-iterations', iterations: 23, vus: 13, gracefulStop: 0 } },
      '23 iterations for each of 13 VUs (maxDuration: 10m0s)', 600_000, 13, 13,
    ],
    [
      { carrival: { executor: 'constant-arrival-rate', rate: 30, duration: '10m', timeUnit: '1m', preAllocatedVUs: 20, maxVUs: 30 } },
      '0.50 iterations/s for 10m0s (maxVUs: 20-30, gracefulStop: 30s)', 630_000, 20, 30,
    ],
    [
      { varrival: { executor: 'ramping-arrival-rate', startRate: 10, timeUnit: '30s', preAllocatedVUs: 20, maxVUs: 50, stages: [{ duration: '3m', target: 30 }, { duration: '5m', target: 10 }] } },
      'Up to 1.00 iterations/s for 8m0s over 2 stages (maxVUs: 20-50, gracefulStop: 30s)', 510_000, 20, 50,
    ],
  ])('%j', (raw, description, endMs, planned, possible) => {
    const parsed = parseScenarios(raw);
    expect(parsed.problems).toEqual([]);
    const plan = buildExecutionPlan(parsed.scenarios);
    expect(plan.scenarios[0]?.description).toBe(description);
    expect([plan.totalDurationMs, plan.maxPlannedVUs, plan.maxVUs]).toEqual([endMs, planned, possible]);
  });

  it('scales shared iterations per segment like k6', () => {
    const { scenarios } = parseScenarios({ ishared: { executor: 'shared-iterations', iterations: 22, vus: 12, maxDuration: '100s' } });
    const seq = parseExecutionSegmentSequence('0,1/3,2/3,1');
    const d = (seg: string): string | undefined =>
      buildExecutionPlan(scenarios, ExecutionTuple.of(parseExecutionSegment(seg), seq)).scenarios[0]?.description;
    expect(d('0:1/3')).toBe('8 iterations shared among 4 VUs (maxDuration: 1m40s, gracefulStop: 30s)');
    expect(d('1/3:2/3')).toBe('7 iterations shared among 4 VUs (maxDuration: 1m40s, gracefulStop: 30s)');
    const thirteenths = parseExecutionSegmentSequence(Array.from({ length: 14 }, (_, i) => (i === 0 ? '0' : i === 13 ? '1' : `${i}/13`)).join(','));
    const last = buildExecutionPlan(scenarios, ExecutionTuple.of(parseExecutionSegment('12/13:1'), thirteenths));
    expect(last.scenarios[0]?.description).toBe('0 iterations shared among 0 VUs (maxDuration: 1m40s, gracefulStop: 30s)');
    expect([last.totalDurationMs, last.maxVUs]).toEqual([0, 0]);
  });

  it.each([
    [{ someKey: {} }, "scenario someKey has configuration errors: scenario 'someKey' doesn't have a specified executor type"],
    [{ a: { executor: 'constant-blah-blah', vus: 10, duration: '60s' } }, "scenario a has configuration errors: unknown executor type 'constant-blah-blah'"],
    [{ a: { executor: 'constant-vus', uknownField: 'x', duration: '1m' } }, 'scenario a has configuration errors: json: unknown field "uknownField"'],
    [{ a: { executor: 'constant-vus', duration: '60s', env: 123 } }, 'scenario a has configuration errors: scenarios.a.env: expected an object of strings, got number 123'],
    [{ a: { executor: 'constant-vus', vus: 0.5, duration: '1m' } }, 'scenario a has configuration errors: scenarios.a.vus: expected an integer, got number 0.5'],
    [{ a: { executor: 'constant-vus', vus: 10 } }, 'scenario a has configuration errors: the duration is unspecified'],
    [{ a: { executor: 'constant-vus', vus: 10, duration: '10s', startTime: '-10s', gracefulStop: '-2s' } }, "scenario a has configuration errors: the startTime can't be negative, the gracefulStop timeout can't be negative"],
    [{ a: { executor: 'constant-vus', duration: '10s', exec: '' } }, 'scenario a has configuration errors: scenarios.a.exec: exec value cannot be empty'],
    [{ '': { executor: 'constant-vus', duration: '10s' } }, "scenario  has configuration errors: scenario name can't be empty, the scenario name should contain only numbers, latin letters, underscores, and dashes"],
    [{ a: { executor: 'shared-iterations', vus: 10 } }, "scenario a has configuration errors: the number of iterations (1) can't be less than the number of VUs (10)"],
    [{ a: { executor: 'shared-iterations', iterations: 20, vus: 10, maxDuration: '0s' } }, 'scenario a has configuration errors: the maxDuration must be at least 1s, but is 0s'],
    [{ a: { executor: 'constant-arrival-rate', rate: 10, duration: '10m', preAllocatedVUs: 20, maxVUs: 15, timeUnit: '0s' } }, "scenario a has configuration errors: the timeUnit must be more than 0, maxVUs can't be less than preAllocatedVUs"],
    [{ a: { executor: 'ramping-arrival-rate', preAllocatedVUs: 20, maxVUs: 50 } }, 'scenario a has configuration errors: at least one stage has to be specified'],
    [{ a: { executor: 'shared-iterations', options: { unsupported: {} } } }, 'scenario a has configuration errors: scenarios.a.options: json: unknown field "unsupported"'],
  ])('rejects %j', (raw, message) => {
    expect(parseScenarios(raw).problems).toEqual([message]);
  });

  it('accepts defaults and browser options', () => {
    expect(parseScenarios({ a: { executor: 'shared-iterations' }, b: { executor: 'constant-vus', duration: '60s' } }).problems).toEqual([]);
    expect(parseScenarios({ ui: { executor: 'shared-iterations', options: { browser: { type: 'chromium' } } } }).problems).toEqual([]);
  });

  it('matches field names ignoring case, as Go\'s JSON decoder (the docs\' `startvus`, `Executor`, stage `Target`)', () => {
    const parsed = parseScenarios({
      contacts: { Executor: 'ramping-vus', startvus: 3, STAGES: [{ Duration: '10s', TARGET: 10 }], gracefulrampdown: '1s' },
    });
    expect(parsed.problems).toEqual([]);
    expect(parsed.scenarios[0]).toMatchObject({ executor: 'ramping-vus', startVUs: 3, gracefulRampDown: 1000, stages: [{ duration: 10_000, target: 10 }] });
    // A field of another executor stays unknown, under the name the script gave.
    expect(parseScenarios({ a: { executor: 'constant-vus', startvus: 1, duration: '1m' } }).problems).toEqual([
      'scenario a has configuration errors: json: unknown field "startvus"',
    ]);
  });
});
