// The memory and disk a runner may take (a script reaches its runner's Node APIs, docs/runner.md):
// what to say when a runner's usage is past them, and the periodic check that measures it, for a run's
// runners and for inspections alike.
import type { RunnerHandle, RunnerUsage } from '../runner/index.ts';

export interface RunnerLimits {
  memoryBytes: number;
  diskBytes: number;
}

const mib = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;

/** Why `usage` is past the limits, or null when it is within them. */
export function runnerOverLimit(usage: RunnerUsage, limits: RunnerLimits): string | null {
  if (usage.memoryBytes !== null && usage.memoryBytes > limits.memoryBytes) {
    return `The runner used more than ${mib(limits.memoryBytes)} of memory (${mib(usage.memoryBytes)}), the limit for a runner (STAMPEDE_RUNNER_MEMORY_MB)`;
  }
  if (usage.diskBytes > limits.diskBytes) return `The runner wrote more than ${mib(limits.diskBytes)} to its run folder, the limit for a runner (STAMPEDE_RUNNER_DISK_MB)`;
  return null;
}

/**
 * A check of `runner` against `limits`, to call on a timer: it measures (one measurement at a time; a
 * slow walk of a big run folder is not started again meanwhile) and calls `onOver` with why, each time
 * a measurement is past them; a measurement within them goes to `onUsage` with the time it was taken.
 */
export function runnerLimitCheck(
  runner: Pick<RunnerHandle, 'usage'>,
  limits: RunnerLimits,
  onOver: (why: string, usage: RunnerUsage) => void,
  onUsage: (usage: RunnerUsage, at: number) => void = () => {},
): () => void {
  let measuring = false;
  return () => {
    if (measuring) return;
    measuring = true;
    const at = Date.now();
    void runner
      .usage()
      .then((usage) => {
        const why = runnerOverLimit(usage, limits);
        if (why !== null) onOver(why, usage);
        else onUsage(usage, at);
      }, () => {})
      .finally(() => {
        measuring = false;
      });
  };
}
