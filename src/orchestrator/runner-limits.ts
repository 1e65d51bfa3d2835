// The memory and disk a runner may take (a script reaches its runner's Node APIs, docs/runner.md):
// what to say when a runner's usage is past them, for a run's runners and for inspections alike.
import type { RunnerUsage } from '../runner/index.ts';

const mib = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;

/** Why `usage` is past the limits, or null when it is within them. */
export function runnerOverLimit(usage: RunnerUsage, limits: { memoryBytes: number; diskBytes: number }): string | null {
  if (usage.memoryBytes !== null && usage.memoryBytes > limits.memoryBytes) {
    return `The runner used more than ${mib(limits.memoryBytes)} of memory (${mib(usage.memoryBytes)}), the limit for a runner (STAMPEDE_RUNNER_MEMORY_MB)`;
  }
  if (usage.diskBytes > limits.diskBytes) return `The runner wrote more than ${mib(limits.diskBytes)} to its run folder, the limit for a runner (STAMPEDE_RUNNER_DISK_MB)`;
  return null;
}
