// ramping-arrival-rate config (k6 lib/executor/ramping_arrival_rate.go): the rate moves linearly from
// startRate through each stage's target; VU handling is the same as constant-arrival-rate.
import { readDuration, readInt, readStages } from './config-fields.ts';
import { formatDuration } from '../../core/index.ts';
import { goFixed } from './progress-format.ts';
import { toNumber } from './rational.ts';
import { arrivalRateSteps, maxVusFact, readArrivalRateVus, validateArrivalRateVus } from './constant-arrival-rate.ts';
import {
  describeBase,
  stagesMaxTarget,
  sumStages,
  validateBase,
  validateStages,
  type ExecutorKind,
  type RampingArrivalRateConfig,
} from './executor-config.ts';

export const rampingArrivalRate: ExecutorKind<RampingArrivalRateConfig> = {
  type: 'ramping-arrival-rate',
  fields: ['startRate', 'timeUnit', 'stages', 'preAllocatedVUs', 'maxVUs'],
  read(raw, base, problems, path) {
    const { preAllocatedVUs, maxVUs } = readArrivalRateVus(raw, problems, path);
    return {
      ...base,
      executor: 'ramping-arrival-rate',
      startRate: readInt(raw.startRate, `${path}.startRate`, problems) ?? 0,
      timeUnit: readDuration(raw.timeUnit, `${path}.timeUnit`, problems) ?? 1000,
      stages: readStages(raw.stages, `${path}.stages`, problems) ?? [],
      preAllocatedVUs,
      maxVUs,
    };
  },
  validate(c) {
    const errors = validateBase(c);
    if (c.startRate < 0) errors.push("the startRate value can't be negative");
    if (c.timeUnit <= 0) errors.push('the timeUnit must be more than 0');
    errors.push(...validateStages(c.stages));
    errors.push(...validateArrivalRateVus(c));
    return errors;
  },
  steps: (c, tuple) => arrivalRateSteps(c, tuple, sumStages(c.stages) + c.gracefulStop),
  regularDurationMs: (c) => sumStages(c.stages),
  describe(c, tuple) {
    const maxRate = stagesMaxTarget(c.startRate, c.stages);
    const perSec = c.timeUnit > 0 ? ((maxRate * 1000) / c.timeUnit) * toNumber(tuple.segment.length) : 0;
    return `Up to ${goFixed(perSec, 2)} iterations/s for ${formatDuration(sumStages(c.stages))} over ${c.stages.length} stages${describeBase(
      c,
      maxVusFact(c, tuple, true),
    )}`;
  },
};
