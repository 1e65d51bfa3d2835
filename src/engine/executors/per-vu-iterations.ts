// per-vu-iterations config (k6 lib/executor/per_vu_iterations.go): each VU runs its own quota. Only the
// VU count is split between segments; the per-VU quota is not (scaling both would be quadratic).
import { formatDuration } from '../../core/index.ts';
import { readDuration, readInt } from './config-fields.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import { MIN_DURATION_MS, describeBase, validateBase, type ExecutorKind, type PerVuIterationsConfig } from './executor-config.ts';

export function perVuIterationsVus(c: PerVuIterationsConfig, tuple: ExecutionTuple): number {
  return tuple.scaleInt64(c.vus);
}

export const perVuIterations: ExecutorKind<PerVuIterationsConfig> = {
  type: 'per-vu-iterations',
  fields: ['vus', 'iterations', 'maxDuration'],
  read(raw, base, problems, path) {
    return {
      ...base,
      executor: 'per-vu-iterations',
      vus: readInt(raw.vus, `${path}.vus`, problems) ?? 1,
      iterations: readInt(raw.iterations, `${path}.iterations`, problems) ?? 1,
      maxDuration: readDuration(raw.maxDuration, `${path}.maxDuration`, problems) ?? 600_000,
    };
  },
  validate(c) {
    const errors = validateBase(c);
    if (c.vus <= 0) errors.push('the number of VUs must be more than 0');
    if (c.iterations <= 0) errors.push('the number of iterations must be more than 0');
    if (c.maxDuration < MIN_DURATION_MS) {
      errors.push(`the maxDuration must be at least 1s, but is ${formatDuration(c.maxDuration)}`);
    }
    return errors;
  },
  steps(c, tuple) {
    return [
      { offsetMs: 0, plannedVUs: perVuIterationsVus(c, tuple), maxUnplannedVUs: 0 },
      { offsetMs: c.maxDuration + c.gracefulStop, plannedVUs: 0, maxUnplannedVUs: 0 },
    ];
  },
  regularDurationMs: (c) => c.maxDuration,
  describe(c, tuple) {
    return `${c.iterations} iterations for each of ${perVuIterationsVus(c, tuple)} VUs${describeBase(c, `maxDuration: ${formatDuration(c.maxDuration)}`)}`;
  },
};
