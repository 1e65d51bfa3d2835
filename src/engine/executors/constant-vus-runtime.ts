// constant-vus scheduler for one segment (k6 ConstantVUs.Run): this segment's VUs loop back to back
// until the duration ends; in-flight iterations then get gracefulStop before they are interrupted.
import { constantVusVus } from './constant-vus.ts';
import type { ExecutorContext, ExecutorRuntime } from './executor-context.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import type { ConstantVusConfig } from './executor-config.ts';
import { formatDuration } from '../../core/index.ts';
import { spentOf } from './progress-format.ts';
import { ScenarioStats, progressOf, type InstanceIterationNumbers } from './scenario-stats.ts';
import { ScenarioWindow } from './scenario-window.ts';
import { runVuLoops } from './vu-loops.ts';

export function createConstantVusRuntime(config: ConstantVusConfig, tuple: ExecutionTuple, numbers?: InstanceIterationNumbers): ExecutorRuntime {
  const vus = constantVusVus(config, tuple);
  const duration = config.duration ?? 0;
  const stats = new ScenarioStats(config, tuple, numbers);
  let window: ScenarioWindow | undefined;

  return {
    name: config.name,
    async run(ctx: ExecutorContext): Promise<void> {
      if (vus === 0) return;
      window = await ScenarioWindow.open(ctx, config.startTime, duration, config.gracefulStop);
      if (!window) return;
      const w = window;
      try {
        await runVuLoops(ctx, stats, vus, async (vu) => {
          while (!w.regularDone && !w.hard.aborted) await stats.iterate(ctx, vu, w.hard);
        });
      } finally {
        w.dispose();
      }
    },
    progress() {
      const spent = window?.elapsed() ?? 0;
      const over = spent > duration;
      return progressOf(stats, over || duration === 0 ? 1 : spent / duration, [
        `${vus} VUs`,
        over ? formatDuration(duration) : spentOf(spent, duration),
      ], vus === 0);
    },
  };
}
