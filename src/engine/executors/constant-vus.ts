// constant-vus config (k6 lib/executor/constant_vus.go): `vus` VUs loop back to back for `duration`.
import { formatDuration } from '../../core/index.ts';
import { readDuration, readInt } from './config-fields.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import { MIN_DURATION_MS, describeBase, validateBase, type ConstantVusConfig, type ExecutorKind } from './executor-config.ts';

export function constantVusVus(c: ConstantVusConfig, tuple: ExecutionTuple): number {
  return tuple.scaleInt64(c.vus);
}

export const constantVus: ExecutorKind<ConstantVusConfig> = {
  type: 'constant-vus',
  fields: ['vus', 'duration'],
  read(raw, base, problems, path) {
    return {
      ...base,
      executor: 'constant-vus',
      vus: readInt(raw.vus, `${path}.vus`, problems) ?? 1,
      duration: readDuration(raw.duration, `${path}.duration`, problems),
    };
  },
  validate(c) {
    const errors = validateBase(c);
    if (c.vus <= 0) errors.push('the number of VUs must be more than 0');
    if (c.duration === undefined) errors.push('the duration is unspecified');
    else if (c.duration < MIN_DURATION_MS) errors.push(`the duration must be at least 1s, but is ${formatDuration(c.duration)}`);
    return errors;
  },
  steps(c, tuple) {
    return [
      { offsetMs: 0, plannedVUs: constantVusVus(c, tuple), maxUnplannedVUs: 0 },
      { offsetMs: (c.duration ?? 0) + c.gracefulStop, plannedVUs: 0, maxUnplannedVUs: 0 },
    ];
  },
  regularDurationMs: (c) => c.duration ?? 0,
  describe(c, tuple) {
    return `${constantVusVus(c, tuple)} looping VUs for ${formatDuration(c.duration ?? 0)}${describeBase(c)}`;
  },
};
