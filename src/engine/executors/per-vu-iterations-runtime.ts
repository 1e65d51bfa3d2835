// per-vu-iterations scheduler for one segment (k6 PerVUIterations.Run): each VU runs its own quota;
// at maxDuration each VU drops what it has left, tagged with its VU id.
import type { ExecutorContext, ExecutorRuntime } from './executor-context.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import type { PerVuIterationsConfig } from './executor-config.ts';
import { perVuIterationsVus } from './per-vu-iterations.ts';
import { formatDuration } from '../../core/index.ts';
import { fixedInt, spentOf } from './progress-format.ts';
import { ScenarioStats, progressOf, type InstanceIterationNumbers } from './scenario-stats.ts';
import { ScenarioWindow } from './scenario-window.ts';
import { runVuLoops } from './vu-loops.ts';

export function createPerVuIterationsRuntime(config: PerVuIterationsConfig, tuple: ExecutionTuple, numbers?: InstanceIterationNumbers): ExecutorRuntime {
  const vus = perVuIterationsVus(config, tuple);
  const total = vus * config.iterations;
  const stats = new ScenarioStats(config, tuple, numbers);
  let window: ScenarioWindow | undefined;

  return {
    name: config.name,
    async run(ctx: ExecutorContext): Promise<void> {
      if (vus === 0) return;
      window = await ScenarioWindow.open(ctx, config.startTime, config.maxDuration, config.gracefulStop);
      if (!window) return;
      const w = window;
      try {
        await runVuLoops(ctx, stats, vus, async (vu) => {
          for (let i = 0; i < config.iterations; i++) {
            if (w.regularDone || w.hard.aborted) {
              if (!ctx.signal.aborted) stats.drop(ctx, config.iterations - i, vu.id);
              return;
            }
            await stats.iterate(ctx, vu, w.hard);
          }
        });
      } finally {
        w.dispose();
      }
    },
    progress() {
      const spent = window?.elapsed() ?? 0;
      const done = stats.iterations + stats.interrupted;
      const over = spent > config.maxDuration;
      return progressOf(stats, over ? 1 : total === 0 ? 1 : done / total, [
        `${fixedInt(vus, vus)} VUs`,
        over ? formatDuration(config.maxDuration) : spentOf(spent, config.maxDuration),
        `${fixedInt(done, total)}/${fixedInt(total, total)} iters, ${config.iterations} per VU`,
      ]);
    },
  };
}
