import { describe, expect, it } from 'vitest';
import { buildExecutionPlan } from '../engine/executors/execution-plan.ts';
import { ExecutionTuple, parseExecutionSegment, parseExecutionSegmentSequence } from '../engine/executors/execution-segment.ts';
import { parseScenarios } from '../engine/executors/scenario-config.ts';
import { executionDescription } from './execution-description.ts';

describe('executionDescription', () => {
  it("shows the execution segment's share of the test in the scenarios line, as k6's %.2f%% (ui.go; scheduler_ext_test.go TestNewSchedulerHasWork)", () => {
    const { scenarios } = parseScenarios({
      shared_iters1: { executor: 'shared-iterations', vus: 3, iterations: 3 },
      shared_iters2: { executor: 'shared-iterations', vus: 4, iterations: 4 },
      constant_arr_rate: { executor: 'constant-arrival-rate', rate: 3, timeUnit: '1s', duration: '20s', preAllocatedVUs: 4, maxVUs: 4 },
    });
    const text = (segment?: string, sequence?: string): string => executionDescription({
      execution: 'local',
      script: 's.js',
      output: '-',
      plan: buildExecutionPlan(scenarios, segment === undefined ? undefined
        : ExecutionTuple.of(parseExecutionSegment(segment), sequence === undefined ? [] : parseExecutionSegmentSequence(sequence))),
    });
    expect(text()).toContain('     scenarios: (100.00%) 3 scenarios, 11 max VUs, 10m30s max duration (incl. graceful stop):\n');
    const quarter = text('3/4:1', '0,1/4,2/4,3/4,1');
    expect(quarter).toContain('     scenarios: (25.00%) 3 scenarios, 2 max VUs, 10m30s max duration (incl. graceful stop):\n');
    expect(quarter).toContain('* shared_iters1: 0 iterations shared among 0 VUs');
    expect(text('0:1/3')).toContain('scenarios: (33.33%)');
    expect(text('0:1/32')).toContain('scenarios: (3.12%)');
  });
});
