// shared-iterations config (k6 lib/executor/shared_iterations.go): `vus` VUs draw from one counter of
// `iterations` until it runs out or maxDuration passes.
import { formatDuration } from '../../core/index.ts';
import { readDuration, readInt } from './config-fields.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import { MIN_DURATION_MS, describeBase, validateBase, type ExecutorKind, type SharedIterationsConfig } from './executor-config.ts';

/** VUs of this segment. */
export function sharedIterationsVus(c: SharedIterationsConfig, tuple: ExecutionTuple): number {
  return tuple.scaleInt64(c.vus);
}

/** Iterations of this segment: split with a tuple rebuilt from the VU count, so a segment without VUs gets none. */
export function sharedIterationsCount(c: SharedIterationsConfig, tuple: ExecutionTuple): number {
  const t = tuple.fromValue(c.vus);
  return t === undefined ? 0 : t.scaleInt64(c.iterations);
}

export const sharedIterations: ExecutorKind<SharedIterationsConfig> = {
  type: 'shared-iterations',
  fields: ['vus', 'iterations', 'maxDuration'],
  read(raw, base, problems, path) {
    return {
      ...base,
      executor: 'shared-iterations',
      vus: readInt(raw.vus, `${path}.vus`, problems) ?? 1,
      iterations: readInt(raw.iterations, `${path}.iterations`, problems) ?? 1,
      maxDuration: readDuration(raw.maxDuration, `${path}.maxDuration`, problems) ?? 600_000,
    };
  },
  validate(c) {
    const errors = validateBase(c);
    if (c.vus <= 0) errors.push('the number of VUs must be more than 0');
    if (c.iterations < c.vus) {
      errors.push(`the number of iterations (${c.iterations}) can't be less than the number of VUs (${c.vus})`);
    }
    if (c.maxDuration < MIN_DURATION_MS) {
      errors.push(`the maxDuration must be at least 1s, but is ${formatDuration(c.maxDuration)}`);
    }
    return errors;
  },
  steps(c, tuple) {
    const vus = sharedIterationsVus(c, tuple);
    if (vus === 0) return [{ offsetMs: 0, plannedVUs: 0, maxUnplannedVUs: 0 }];
    return [
      { offsetMs: 0, plannedVUs: vus, maxUnplannedVUs: 0 },
      { offsetMs: c.maxDuration + c.gracefulStop, plannedVUs: 0, maxUnplannedVUs: 0 },
    ];
  },
  regularDurationMs: (c) => c.maxDuration,
  describe(c, tuple) {
    return `${sharedIterationsCount(c, tuple)} iterations shared among ${sharedIterationsVus(c, tuple)} VUs${describeBase(c, `maxDuration: ${formatDuration(c.maxDuration)}`)}`;
  },
};
