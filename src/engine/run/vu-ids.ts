// Which VU ids (`__VU`, `exec.vu.idInInstance`) each worker thread's VUs get. k6 numbers the VUs of
// an instance 1…N in the order it initialises them and hands idle VUs out first in, first out, so a
// ramp starts VU 1, then 2, then 3. Here each worker runs its own VUs over its share of every scenario:
// worker i of n owns the stripes i, i+n, … of the scenario's VUs (k6's execution-segment striping,
// run/worker-tuple.ts). When every worker's VUs are exactly its stripes of the instance's VUs (one
// scenario, or scenarios that split alike), worker i's j-th VU gets the id of its j-th stripe, so VUs
// start in k6's order across threads. Otherwise (e.g. two concurrent one-VU scenarios, which both put
// their VU on worker 0), or with --execution-segment, each worker takes a contiguous range of ids.
import type { ScenarioConfig } from '../executors/executor-config.ts';
import { buildExecutionPlan } from '../executors/execution-plan.ts';
import { ExecutionTuple, SegmentedIndex } from '../executors/execution-segment.ts';
import { workerTuple, type SegmentOptions } from './worker-tuple.ts';

/** How a worker numbers its VUs: the ids of its stripes, or a contiguous range from `first`. */
export type VuIdScheme = { readonly striped: true } | { readonly striped: false; readonly first: number };

/** Each worker's scheme, in worker order. */
export function vuIdSchemes(scenarios: readonly ScenarioConfig[], options: SegmentOptions, count: number): VuIdScheme[] {
  const tuples = Array.from({ length: count }, (_, i) => workerTuple(options, i, count));
  const plans = tuples.map((t) => buildExecutionPlan(scenarios, t));
  const segmented = options.executionSegment !== undefined || options.executionSegmentSequence !== undefined;
  if (!segmented && count > 1) {
    const whole = buildExecutionPlan(scenarios, ExecutionTuple.of());
    const stripesMatch = tuples.every((t, i) =>
      plans[i]?.maxPlannedVUs === t.scaleInt64(whole.maxPlannedVUs) && plans[i]?.maxVUs === t.scaleInt64(whole.maxVUs));
    if (stripesMatch) return tuples.map(() => ({ striped: true }));
  }
  let first = 1;
  return plans.map((plan) => {
    const scheme: VuIdScheme = { striped: false, first };
    first += plan.maxVUs;
    return scheme;
  });
}

/** The ids a worker gives its VUs, in the order it initialises them. */
export function vuIdSource(scheme: VuIdScheme, options: SegmentOptions, index: number, count: number): () => number {
  if (scheme.striped) {
    const stripes = new SegmentedIndex(workerTuple(options, index, count));
    return () => stripes.next().unscaled;
  }
  let next = scheme.first;
  return () => next++;
}
