// shared-iterations scheduler for one segment (k6 SharedIterations.Run). This segment's VUs draw from
// the instance's counter (`shared`: every worker thread of the instance draws from the same one, so a
// slow VU in one thread leaves its iterations to the others, as in one k6 process), else from this
// segment's share; what was never attempted by maxDuration is dropped once at the end.
import type { ExecutorContext, ExecutorRuntime } from './executor-context.ts';
import { SegmentedIndex, type ExecutionTuple } from './execution-segment.ts';
import type { SharedIterationsConfig } from './executor-config.ts';
import { fixedInt, spentOf } from './progress-format.ts';
import { ScenarioStats, progressOf } from './scenario-stats.ts';
import { ScenarioWindow } from './scenario-window.ts';
import { SharedIterationCounter } from './shared-iteration-counter.ts';
import { sharedIterationsCount, sharedIterationsVus } from './shared-iterations.ts';
import { runVuLoops } from './vu-loops.ts';

/** The instance's counter of the scenario and the instance's segment, which its total is of. */
export interface SharedIterationsPool {
  readonly counter: SharedIterationCounter;
  readonly instance: ExecutionTuple;
}

export function createSharedIterationsRuntime(config: SharedIterationsConfig, tuple: ExecutionTuple, pool?: SharedIterationsPool): ExecutorRuntime {
  const vus = sharedIterationsVus(config, tuple);
  // This segment's share: what its progress line counts against (the shares add up to the instance's).
  const share = sharedIterationsCount(config, tuple);
  const scope = pool?.instance ?? tuple;
  const total = sharedIterationsCount(config, scope);
  const counter = pool?.counter ?? new SharedIterationCounter();
  const index = new SegmentedIndex(scope.fromValue(config.vus) ?? scope);
  const stats = new ScenarioStats(config, tuple.fromValue(config.vus) ?? tuple);
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
          while (!w.regularDone && !w.hard.aborted) {
            const claim = counter.claim(total);
            if (claim === undefined) return;
            try {
              await stats.iterateClaimed(ctx, vu, w.hard, claim, index);
            } finally {
              counter.finished();
            }
          }
        });
        const left = counter.close(total);
        if (!ctx.signal.aborted) stats.drop(ctx, left);
      } finally {
        w.dispose();
      }
    },
    progress() {
      const spent = window?.elapsed() ?? 0;
      const done = stats.iterations + stats.interrupted;
      return progressOf(stats, total === 0 ? 1 : Math.min(1, counter.done() / total), [
        `${fixedInt(vus, vus)} VUs`,
        spentOf(spent, config.maxDuration),
        `${fixedInt(done, share)}/${fixedInt(share, share)} shared iters`,
      ]);
    },
  };
}
