// constant-arrival-rate config (k6 lib/executor/constant_arrival_rate.go): `rate` iterations per
// `timeUnit` for `duration`, on pre-allocated VUs plus up to maxVUs − preAllocatedVUs initialised mid-test.
import { formatDuration } from '../../core/index.ts';
import { goFixed } from './progress-format.ts';
import { readDuration, readInt } from './config-fields.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import {
  MIN_DURATION_MS,
  describeBase,
  validateBase,
  type ConstantArrivalRateConfig,
  type ExecutorKind,
} from './executor-config.ts';

export function arrivalRateVus(
  c: { preAllocatedVUs: number | undefined; maxVUs: number },
  tuple: ExecutionTuple,
): { preAllocated: number; max: number } {
  return { preAllocated: tuple.scaleInt64(c.preAllocatedVUs ?? 0), max: tuple.scaleInt64(c.maxVUs) };
}

/** Reads preAllocatedVUs/maxVUs; maxVUs defaults to preAllocatedVUs. */
export function readArrivalRateVus(
  raw: Record<string, unknown>,
  problems: Parameters<typeof readInt>[2],
  path: string,
): { preAllocatedVUs: number | undefined; maxVUs: number; maxVUsSet: boolean } {
  const preAllocatedVUs = readInt(raw.preAllocatedVUs, `${path}.preAllocatedVUs`, problems);
  const maxVUs = readInt(raw.maxVUs, `${path}.maxVUs`, problems);
  return { preAllocatedVUs, maxVUs: maxVUs ?? preAllocatedVUs ?? 0, maxVUsSet: maxVUs !== undefined };
}

export function validateArrivalRateVus(c: { preAllocatedVUs: number | undefined; maxVUs: number }): string[] {
  const errors: string[] = [];
  if (c.preAllocatedVUs === undefined) errors.push("the number of preAllocatedVUs isn't specified");
  else if (c.preAllocatedVUs < 0) errors.push("the number of preAllocatedVUs can't be negative");
  if (c.maxVUs < (c.preAllocatedVUs ?? 0)) errors.push("maxVUs can't be less than preAllocatedVUs");
  return errors;
}

export function arrivalRateSteps(
  c: { preAllocatedVUs: number | undefined; maxVUs: number },
  tuple: ExecutionTuple,
  endMs: number,
): { offsetMs: number; plannedVUs: number; maxUnplannedVUs: number }[] {
  const { preAllocated, max } = arrivalRateVus(c, tuple);
  return [
    { offsetMs: 0, plannedVUs: preAllocated, maxUnplannedVUs: max - preAllocated },
    { offsetMs: endMs, plannedVUs: 0, maxUnplannedVUs: 0 },
  ];
}

/**
 * "maxVUs: 20-30" of the description. The range shows when maxVUs exceeds preAllocatedVUs: compared after
 * scaling to the segment by constant-arrival-rate, before scaling by ramping-arrival-rate (as in k6).
 */
export function maxVusFact(
  c: { preAllocatedVUs: number | undefined; maxVUs: number },
  tuple: ExecutionTuple,
  compareUnscaled = false,
): string {
  const { preAllocated, max } = arrivalRateVus(c, tuple);
  const range = compareUnscaled ? c.maxVUs > (c.preAllocatedVUs ?? 0) : max > preAllocated;
  return `maxVUs: ${preAllocated}${range ? `-${max}` : ''}`;
}

export const constantArrivalRate: ExecutorKind<ConstantArrivalRateConfig> = {
  type: 'constant-arrival-rate',
  fields: ['rate', 'timeUnit', 'duration', 'preAllocatedVUs', 'maxVUs'],
  read(raw, base, problems, path) {
    const { preAllocatedVUs, maxVUs } = readArrivalRateVus(raw, problems, path);
    return {
      ...base,
      executor: 'constant-arrival-rate',
      rate: readInt(raw.rate, `${path}.rate`, problems),
      timeUnit: readDuration(raw.timeUnit, `${path}.timeUnit`, problems) ?? 1000,
      duration: readDuration(raw.duration, `${path}.duration`, problems),
      preAllocatedVUs,
      maxVUs,
    };
  },
  validate(c) {
    const errors = validateBase(c);
    if (c.rate === undefined) errors.push("the iteration rate isn't specified");
    else if (c.rate <= 0) errors.push('the iteration rate must be more than 0');
    if (c.timeUnit <= 0) errors.push('the timeUnit must be more than 0');
    if (c.duration === undefined) errors.push('the duration is unspecified');
    else if (c.duration < MIN_DURATION_MS) errors.push(`the duration must be at least 1s, but is ${formatDuration(c.duration)}`);
    errors.push(...validateArrivalRateVus(c));
    return errors;
  },
  steps: (c, tuple) => arrivalRateSteps(c, tuple, (c.duration ?? 0) + c.gracefulStop),
  regularDurationMs: (c) => c.duration ?? 0,
  describe(c, tuple) {
    const { max } = arrivalRateVus(c, tuple);
    const perSec = max === 0 || c.maxVUs === 0 ? 0 : (((c.rate ?? 0) * 1000) / c.timeUnit) * (max / c.maxVUs);
    return `${goFixed(perSec, 2)} iterations/s for ${formatDuration(c.duration ?? 0)}${describeBase(c, maxVusFact(c, tuple))}`;
  },
};
