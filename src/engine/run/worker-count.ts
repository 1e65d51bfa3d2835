// How many worker threads a run starts. Each worker runs a sub-segment of every scenario, so an
// arrival-rate scenario's iterations are striped across workers by their share of maxVUs (k6
// GetNewExecutionTupleFromValue). A worker whose share has unplanned VUs but no pre-allocated one
// drops its first iteration while it initialises a VU, which one k6 process, with one pool holding
// every pre-allocated VU, never does: such a scenario caps the workers at its pre-allocated VUs.
import { arrivalRateVus } from '../executors/constant-arrival-rate.ts';
import type { ExecutionTuple } from '../executors/execution-segment.ts';
import type { ScenarioConfig } from '../executors/executor-config.ts';

export function workerCount(
  requested: number,
  maxVUs: number,
  scenarios: readonly ScenarioConfig[],
  tuple: ExecutionTuple,
): number {
  let count = Math.min(requested, maxVUs);
  for (const s of scenarios) {
    if (s.executor !== 'constant-arrival-rate' && s.executor !== 'ramping-arrival-rate') continue;
    const { preAllocated, max } = arrivalRateVus(s, tuple);
    if (max > preAllocated) count = Math.min(count, preAllocated);
  }
  return Math.max(1, count);
}
