// Entry point for the run folder: the scheduler of one scenario for one execution segment.
import { constantArrivalSchedule, rampingArrivalSchedule } from './arrival-rate-schedule.ts';
import type { ArrivalRateHandOff } from './arrival-rate-hand-off.ts';
import { createArrivalRateRuntime } from './arrival-rate-runtime.ts';
import { createConstantVusRuntime } from './constant-vus-runtime.ts';
import type { ExecutorRuntime } from './executor-context.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import { sumStages, stagesMaxTarget, type ScenarioConfig } from './executor-config.ts';
import { createPerVuIterationsRuntime } from './per-vu-iterations-runtime.ts';
import { createRampingVusRuntime } from './ramping-vus-runtime.ts';
import { createSharedIterationsRuntime, type SharedIterationsPool } from './shared-iterations-runtime.ts';

/** What a scenario shares with the instance's other worker threads. */
export interface SharedScenario {
  /**
   * shared-iterations: the instance's counter of its iterations; constant-vus, ramping-vus and
   * per-vu-iterations: the counter that numbers their iterations across the instance.
   */
  readonly iterations?: SharedIterationsPool;
  /** constant- and ramping-arrival-rate: the other workers' idle VUs, for ticks this worker has no VU for. */
  readonly handOff?: ArrivalRateHandOff;
}

/**
 * `tuple` is this worker's segment (ExecutionTuple.forWorker(i, n), or the options' segment);
 * `shared`, what the scenario shares with the instance's other worker threads.
 */
export function createExecutorRuntime(config: ScenarioConfig, tuple: ExecutionTuple, shared: SharedScenario = {}): ExecutorRuntime {
  switch (config.executor) {
    case 'shared-iterations':
      return createSharedIterationsRuntime(config, tuple, shared.iterations);
    case 'per-vu-iterations':
      return createPerVuIterationsRuntime(config, tuple, shared.iterations);
    case 'constant-vus':
      return createConstantVusRuntime(config, tuple, shared.iterations);
    case 'ramping-vus':
      return createRampingVusRuntime(config, tuple, shared.iterations);
    case 'constant-arrival-rate': {
      const perSec = ((config.rate ?? 0) * 1000) / config.timeUnit;
      return createArrivalRateRuntime(config, tuple, config.duration ?? 0, (t) => constantArrivalSchedule(config, t), perSec, false, shared.handOff);
    }
    case 'ramping-arrival-rate': {
      const perSec = (stagesMaxTarget(config.startRate, config.stages) * 1000) / config.timeUnit;
      return createArrivalRateRuntime(config, tuple, sumStages(config.stages), (t) => rampingArrivalSchedule(config, t), perSec, true, shared.handOff);
    }
  }
}
