import { describe, expect, it } from 'vitest';
import { buildExecutionPlan } from './execution-plan.ts';
import { ExecutionTuple, parseExecutionSegment, parseExecutionSegmentSequence } from './execution-segment.ts';
import type { ScenarioConfig } from './executor-config.ts';
import { executorKind, parseScenarios } from './scenario-config.ts';

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
    [{ a: { executor: 'constant-vus', duration: '10s', exec: '' } }, 'scenario a has configuration errors: exec value cannot be empty'],
    [{ '': { executor: 'constant-vus', duration: '10s' } }, "scenario  has configuration errors: scenario name can't be empty, the scenario name should contain only numbers, latin letters, underscores, and dashes"],
    [{ a: { executor: 'shared-iterations', vus: 10 } }, "scenario a has configuration errors: the number of iterations (1) can't be less than the number of VUs (10)"],
    [{ a: { executor: 'shared-iterations', iterations: 20, vus: 10, maxDuration: '0s' } }, 'scenario a has configuration errors: the maxDuration must be at least 1s, but is 0s'],
    [{ a: { executor: 'constant-arrival-rate', rate: 10, duration: '10m', preAllocatedVUs: 20, maxVUs: 15, timeUnit: '0s' } }, "scenario a has configuration errors: the timeUnit must be more than 0, maxVUs can't be less than preAllocatedVUs"],
    [{ a: { executor: 'ramping-arrival-rate', preAllocatedVUs: 20, maxVUs: 50 } }, 'scenario a has configuration errors: at least one stage has to be specified'],
    [{ a: { executor: 'shared-iterations', options: { unsupported: {} } } }, 'scenario a has configuration errors: scenarios.a.options: json: unknown field "unsupported"'],
  ])('rejects %j', (raw, message) => {
    expect(parseScenarios(raw).problems).toEqual([message]);
  });

  it('lists an empty exec among the validation errors, in k6\'s order and without a field path', () => {
    expect(parseScenarios({ 'a b': { executor: 'constant-vus', duration: '10s', exec: '', startTime: '-1s' } }).problems).toEqual([
      'scenario a b has configuration errors: the scenario name should contain only numbers, latin letters, underscores, and dashes, exec value cannot be empty, the startTime can\'t be negative',
    ]);
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

// Every case of k6's configMapTestCases (lib/executor/executors_test.go) by outcome: k6 rejects each
// "error" case at JSON decoding or in Validate(), and accepts each "ok" case.
describe('k6 configMapTestCases: which scenario configs are accepted', () => {
  it.each<[string, 'ok' | 'error']>([
    ['{"someKey": {}}', 'error'],
    ['{"someKey": {"executor": "constant-blah-blah", "vus": 10, "duration": "60s"}}', 'error'],
    ['{"someKey": {"executor": "constant-vus", "uknownField": "should_error"}}', 'error'],
    ['{"someKey": {"executor": "constant-vus", "vus": 10, "duration": "60s", "env": 123}}', 'error'],
    ['{"aname": {"executor": "constant-vus", "duration": "60s"}}', 'ok'],
    ['{"": {"executor": "constant-vus", "vus": 10, "duration": "60s"}}', 'error'],
    ['{"aname": {"executor": "constant-vus"}}', 'error'],
    ['{"aname": {"executor": "constant-vus", "vus": 0.5}}', 'error'],
    ['{"aname": {"executor": "constant-vus", "vus": 10}}', 'error'],
    ['{"aname": {"executor": "constant-vus", "vus": 0, "duration": "60s"}}', 'error'],
    ['{"aname": {"executor": "constant-vus", "vus": -1, "duration": "60s"}}', 'error'],
    ['{"aname": {"executor": "constant-vus", "vus": 10, "duration": "0s"}}', 'error'],
    ['{"aname": {"executor": "constant-vus", "vus": 10, "duration": "10s", "startTime": "-10s"}}', 'error'],
    ['{"aname": {"executor": "constant-vus", "vus": 10, "duration": "10s", "exec": ""}}', 'error'],
    ['{"aname": {"executor": "constant-vus", "vus": 10, "duration": "10s", "gracefulStop": "-2s"}}', 'error'],
    ['{"varloops": {"executor": "ramping-vus", "startVUs": 1, "gracefulStop": "0s", "gracefulRampDown": "10s", "stages": [{"duration": "10s", "target": 10}]}}', 'ok'],
    ['{"varloops": {"executor": "ramping-vus", "startVUs": 1, "gracefulStop": "0s", "gracefulRampDown": "0s", "stages": [{"duration": "10s", "target": 10}, {"duration": "0s", "target": 1}, {"duration": "10s", "target": 5}]}}', 'ok'],
    ['{"varloops": {"executor": "ramping-vus", "startVUs": 0, "stages": [{"duration": "60s", "target": 0}]}}', 'error'],
    ['{"varloops": {"executor": "ramping-vus", "startVUs": -1, "stages": [{"duration": "60s", "target": 30}]}}', 'error'],
    ['{"varloops": {"executor": "ramping-vus", "startVUs": 2, "stages": [{"duration": "-60s", "target": 30}]}}', 'error'],
    ['{"varloops": {"executor": "ramping-vus", "startVUs": 2, "stages": [{"duration": "60s", "target": -30}]}}', 'error'],
    ['{"varloops": {"executor": "ramping-vus", "stages": [{"duration": "60s"}]}}', 'error'],
    ['{"varloops": {"executor": "ramping-vus", "stages": [{"target": 30}]}}', 'error'],
    ['{"varloops": {"executor": "ramping-vus", "stages": []}}', 'error'],
    ['{"varloops": {"executor": "ramping-vus"}}', 'error'],
    ['{"ishared": {"executor": "shared-iterations"}}', 'ok'],
    ['{"ishared": {"executor": "shared-iterations", "iterations": 20}}', 'ok'],
    ['{"ishared": {"executor": "shared-iterations", "vus": 10}}', 'error'],
    ['{"ishared": {"executor": "shared-iterations", "iterations": 20, "vus": 10, "maxDuration": "30m"}}', 'ok'],
    ['{"ishared": {"executor": "shared-iterations", "iterations": 20, "vus": 10, "maxDuration": "-3m"}}', 'error'],
    ['{"ishared": {"executor": "shared-iterations", "iterations": 20, "vus": 10, "maxDuration": "0s"}}', 'error'],
    ['{"ishared": {"executor": "shared-iterations", "iterations": 20, "vus": -10}}', 'error'],
    ['{"ishared": {"executor": "shared-iterations", "iterations": -1, "vus": 1}}', 'error'],
    ['{"ishared": {"executor": "shared-iterations", "iterations": 20, "vus": 30}}', 'error'],
    ['{"ipervu": {"executor": "per-vu-iterations"}}', 'ok'],
    ['{"ipervu": {"executor": "per-vu-iterations", "iterations": 20}}', 'ok'],
    ['{"ipervu": {"executor": "per-vu-iterations", "vus": 10}}', 'ok'],
    ['{"ipervu": {"executor": "per-vu-iterations", "iterations": 20, "vus": 10}}', 'ok'],
    ['{"ipervu": {"executor": "per-vu-iterations", "iterations": 20, "vus": 10, "maxDuration": "-3m"}}', 'error'],
    ['{"ipervu": {"executor": "per-vu-iterations", "iterations": 20, "vus": 10, "maxDuration": "0s"}}', 'error'],
    ['{"ipervu": {"executor": "per-vu-iterations", "iterations": 20, "vus": -10}}', 'error'],
    ['{"ipervu": {"executor": "per-vu-iterations", "iterations": -1, "vus": 1}}', 'error'],
    ['{"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 30}}', 'ok'],
    ['{"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 30, "timeUnit": "-1s"}}', 'error'],
    ['{"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 30, "timeUnit": "0s"}}', 'error'],
    ['{"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "preAllocatedVUs": 20}}', 'ok'],
    ['{"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "maxVUs": 30}}', 'error'],
    ['{"carrival": {"executor": "constant-arrival-rate", "rate": 10, "preAllocatedVUs": 20, "maxVUs": 30}}', 'error'],
    ['{"carrival": {"executor": "constant-arrival-rate", "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 30}}', 'error'],
    ['{"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "0m", "preAllocatedVUs": 20, "maxVUs": 30}}', 'error'],
    ['{"carrival": {"executor": "constant-arrival-rate", "rate": 0, "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 30}}', 'error'],
    ['{"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "preAllocatedVUs": 20, "maxVUs": 15}}', 'error'],
    ['{"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "0s", "preAllocatedVUs": 20, "maxVUs": 25}}', 'error'],
    ['{"carrival": {"executor": "constant-arrival-rate", "rate": 10, "duration": "10m", "preAllocatedVUs": -2, "maxVUs": 25}}', 'error'],
    ['{"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 20, "maxVUs": 50, "stages": [{"duration": "5m", "target": 10}]}}', 'ok'],
    ['{"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": -20, "maxVUs": 50, "stages": [{"duration": "5m", "target": 10}]}}', 'error'],
    ['{"varrival": {"executor": "ramping-arrival-rate", "startRate": -1, "preAllocatedVUs": 20, "maxVUs": 50, "stages": [{"duration": "5m", "target": 10}]}}', 'error'],
    ['{"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 20, "stages": [{"duration": "5m", "target": 10}]}}', 'ok'],
    ['{"varrival": {"executor": "ramping-arrival-rate", "maxVUs": 50, "stages": [{"duration": "5m", "target": 10}]}}', 'error'],
    ['{"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 20, "maxVUs": 50}}', 'error'],
    ['{"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 20, "maxVUs": 50, "stages": []}}', 'error'],
    ['{"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 20, "maxVUs": 50, "stages": [{"duration": "5m", "target": 10}], "timeUnit": "-1s"}}', 'error'],
    ['{"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 20, "maxVUs": 50, "stages": [{"duration": "5m", "target": 10}], "timeUnit": "0s"}}', 'error'],
    ['{"varrival": {"executor": "ramping-arrival-rate", "preAllocatedVUs": 30, "maxVUs": 20, "stages": [{"duration": "5m", "target": 10}]}}', 'error'],
    ['{"ui": {"executor": "shared-iterations", "iterations": 22, "vus": 12, "maxDuration": "100s", "options": {"browser": {"someBrowserOption": true}}}}', 'ok'],
    ['{"ui": {"executor": "shared-iterations", "iterations": 22, "vus": 12, "maxDuration": "100s", "options": {"unsupported": {}}}}', 'error'],
  ])('%s: %s', (json, outcome) => {
    const { problems } = parseScenarios(JSON.parse(json));
    if (outcome === 'ok') expect(problems).toEqual([]);
    else expect(problems).toHaveLength(1);
  });

  it('maxVUs defaults to preAllocatedVUs for both arrival-rate executors', () => {
    const { scenarios } = parseScenarios({
      c: { executor: 'constant-arrival-rate', rate: 10, duration: '10m', preAllocatedVUs: 20 },
      r: { executor: 'ramping-arrival-rate', preAllocatedVUs: 20, stages: [{ duration: '5m', target: 10 }] },
    });
    expect(scenarios.map((s) => (s as { maxVUs: number }).maxVUs)).toEqual([20, 20]);
  });

  it('ramping-vus: the scenario\'s own end offset excludes startTime, the plan\'s includes it (205 s and 228 s)', () => {
    const { scenarios } = parseScenarios({
      varloops: {
        executor: 'ramping-vus', startVUs: 20, gracefulStop: '15s', gracefulRampDown: '10s', startTime: '23s',
        stages: [{ duration: '60s', target: 30 }, { duration: '130s', target: 10 }],
      },
    });
    const c = scenarios[0] as ScenarioConfig;
    expect(executorKind(c).steps(c, ExecutionTuple.of()).at(-1)?.offsetMs).toBe(205_000);
    expect(buildExecutionPlan(scenarios).scenarios[0]?.endOffsetMs).toBe(228_000);
  });

  it('describes ramping-vus with gracefulRampDown and a 0 s gracefulStop like k6', () => {
    const d = (raw: Record<string, unknown>): string | undefined => buildExecutionPlan(parseScenarios({ varloops: raw }).scenarios).scenarios[0]?.description;
    expect(d({ executor: 'ramping-vus', startVUs: 1, gracefulStop: '0s', gracefulRampDown: '10s', stages: [{ duration: '10s', target: 10 }] })).toBe(
      'Up to 10 looping VUs for 10s over 1 stages (gracefulRampDown: 10s)',
    );
    const p = buildExecutionPlan(
      parseScenarios({
        v: { executor: 'ramping-vus', startVUs: 1, gracefulStop: '0s', gracefulRampDown: '0s', stages: [{ duration: '10s', target: 10 }, { duration: '0s', target: 1 }, { duration: '10s', target: 5 }] },
      }).scenarios,
    );
    expect([p.scenarios[0]?.description, p.maxPlannedVUs, p.maxVUs]).toEqual(['Up to 10 looping VUs for 20s over 3 stages (gracefulRampDown: 0s)', 10, 10]);
  });
});

describe('arrival-rate descriptions, details as k6 prints them', () => {
  const describeIn = (raw: Record<string, unknown>, seg?: string, seq?: string): string | undefined =>
    buildExecutionPlan(
      parseScenarios({ s: raw }).scenarios,
      ExecutionTuple.of(seg ? parseExecutionSegment(seg) : undefined, seq ? parseExecutionSegmentSequence(seq) : undefined),
    ).scenarios[0]?.description;
  it('rounds an exact half of the rate to even, like Go\'s %.2f', () => {
    expect(describeIn({ executor: 'constant-arrival-rate', rate: 1, timeUnit: '8s', duration: '1m', preAllocatedVUs: 1 })).toBe(
      '0.12 iterations/s for 1m0s (maxVUs: 1, gracefulStop: 30s)',
    );
    expect(describeIn({ executor: 'ramping-arrival-rate', timeUnit: '8s', preAllocatedVUs: 1, stages: [{ duration: '1m', target: 3 }] })).toBe(
      'Up to 0.38 iterations/s for 1m0s over 1 stages (maxVUs: 1, gracefulStop: 30s)',
    );
  });
  it('ramping-arrival-rate shows the maxVUs range when the unscaled maxVUs exceeds preAllocatedVUs, constant when the scaled one does', () => {
    const vus = { preAllocatedVUs: 1, maxVUs: 2, timeUnit: '1s' };
    expect(describeIn({ executor: 'ramping-arrival-rate', ...vus, stages: [{ duration: '1m', target: 2 }] }, '0:1/2', '0,1/2,1')).toBe(
      'Up to 1.00 iterations/s for 1m0s over 1 stages (maxVUs: 1-1, gracefulStop: 30s)',
    );
    expect(describeIn({ executor: 'constant-arrival-rate', ...vus, rate: 2, duration: '1m' }, '0:1/2', '0,1/2,1')).toBe(
      '1.00 iterations/s for 1m0s (maxVUs: 1, gracefulStop: 30s)',
    );
  });
});
