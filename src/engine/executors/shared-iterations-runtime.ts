// shared-iterations scheduler for one segment (k6 SharedIterations.Run): this segment's VUs draw from
// this segment's share of the iterations; what was never attempted by maxDuration is dropped once at the end.
import type { ExecutorContext, ExecutorRuntime } from './executor-context.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import type { SharedIterationsConfig } from './executor-config.ts';
import { fixedInt, spentOf } from './progress-format.ts';
import { ScenarioStats, progressOf } from './scenario-stats.ts';
import { ScenarioWindow } from './scenario-window.ts';
import { sharedIterationsCount, sharedIterationsVus } from './shared-iterations.ts';
import { runVuLoops } from './vu-loops.ts';

export function createSharedIterationsRuntime(config: SharedIterationsConfig, tuple: ExecutionTuple): ExecutorRuntime {
  const vus = sharedIterationsVus(config, tuple);
  const total = sharedIterationsCount(config, tuple);
  const iterTuple = tuple.fromValue(config.vus) ?? tuple;
  const stats = new ScenarioStats(config, iterTuple);
  let window: ScenarioWindow | undefined;
  let attempted = 0;

  return {
    name: config.name,
    async run(ctx: ExecutorContext): Promise<void> {
      if (vus === 0) return;
      window = await ScenarioWindow.open(ctx, config.startTime, config.maxDuration, config.gracefulStop);
      if (!window) return;
      const w = window;
      try {
        await runVuLoops(ctx, stats, vus, async (vu) => {
          while (!w.regularDone && !w.hard.aborted) {
            if (attempted >= total) return;
            attempted++;
            await stats.iterate(ctx, vu, w.hard);
          }
        });
        if (attempted < total && !ctx.signal.aborted) stats.drop(ctx, total - attempted);
      } finally {
        w.dispose();
      }
    },
    progress() {
      const spent = window?.elapsed() ?? 0;
      const done = stats.iterations + stats.interrupted;
      return progressOf(stats, total === 0 ? 1 : done / total, [
        `${fixedInt(vus, vus)} VUs`,
        spentOf(spent, config.maxDuration),
        `${fixedInt(done, total)}/${fixedInt(total, total)} shared iters`,
      ]);
    },
  };
}
