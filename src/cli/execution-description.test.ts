import { describe, expect, it } from 'vitest';
import type { ExecutionPlan } from '../engine/index.ts';
import { executionDescription } from './execution-description.ts';

describe('executionDescription', () => {
  it("shows the execution segment's share of the test in the scenarios line, as k6's %.2f%% (ui.go; scheduler_ext_test.go TestNewSchedulerHasWork)", () => {
    const text = (segmentLength?: number): string => {
      const plan: ExecutionPlan = { maxVUs: 2, maxPlannedVUs: 2, totalDurationMs: 630_000, maxBrowserVUs: 0, scenarios: [], steps: [], ...(segmentLength === undefined ? {} : { segmentLength }) };
      return executionDescription({ execution: 'local', script: 's.js', output: '-', plan });
    };
    expect(text()).toContain('     scenarios: (100.00%) 0 scenarios, 2 max VUs, 10m30s max duration (incl. graceful stop):\n');
    expect(text(1 / 4)).toContain('     scenarios: (25.00%) 0 scenarios, 2 max VUs');
    expect(text(1 / 3)).toContain('scenarios: (33.33%)');
    expect(text(1 / 32)).toContain('scenarios: (3.12%)');
  });
});
