// The open-model scheduler shared by constant- and ramping-arrival-rate (k6 *ArrivalRate.Run): each due
// iteration starts on a free VU at its absolute time; if none is free it is dropped (never queued) and,
// while maxVUs allows, one more VU is initialised in the background (one at a time).
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { arrivalRateVus } from './constant-arrival-rate.ts';
import type { ExecutorContext, ExecutorRuntime, ExecutorVu } from './executor-context.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import type { ConstantArrivalRateConfig, RampingArrivalRateConfig } from './executor-config.ts';
import { ScenarioStats, progressTime } from './scenario-stats.ts';
import { ScenarioWindow } from './scenario-window.ts';

export function createArrivalRateRuntime(
  config: ConstantArrivalRateConfig | RampingArrivalRateConfig,
  tuple: ExecutionTuple,
  regularMs: number,
  schedule: (stripeTuple: ExecutionTuple) => Iterator<number>,
  rateText: string,
): ExecutorRuntime {
  // Iterations are striped with a tuple rebuilt from maxVUs; undefined means this segment has no VUs.
  const stripeTuple = tuple.fromValue(config.maxVUs);
  const { preAllocated, max } = arrivalRateVus(config, tuple);
  const stats = new ScenarioStats(config, stripeTuple ?? tuple);
  let window: ScenarioWindow | undefined;
  let running = 0;

  return {
    name: config.name,
    async run(ctx: ExecutorContext): Promise<void> {
      if (stripeTuple === undefined || max === 0) return;
      window = await ScenarioWindow.open(ctx, config.startTime, regularMs, config.gracefulStop);
      if (!window) return;
      const w = window;
      const all: ExecutorVu[] = [];
      const idle: ExecutorVu[] = [];
      const inFlight = new Set<Promise<unknown>>();
      const errors: unknown[] = [];
      let remainingUnplanned = max - preAllocated;
      let initialising: Promise<void> | undefined;
      try {
        for (let i = 0; i < preAllocated; i++) {
          const vu = await ctx.acquireVu();
          all.push(vu);
          idle.push(vu);
        }
        const due = schedule(stripeTuple);
        for (let next = due.next(); !next.done; next = due.next()) {
          const at = w.started + next.value / 1e6;
          if (at >= w.regularEnd) break;
          if (ctx.now() < at) {
            if (!(await w.sleepUntil(at))) break;
          } else {
            // Behind schedule: let finished iterations hand their VUs back before deciding.
            await yieldToEventLoop();
            if (w.regularDone) break;
          }
          const vu = idle.pop();
          if (vu !== undefined) {
            running++;
            stats.activate(ctx, +1);
            const p = stats
              .iterate(ctx, vu, w.hard)
              .catch((err: unknown) => {
                errors.push(err);
              })
              .finally(() => {
                running--;
                stats.activate(ctx, -1);
                idle.push(vu);
                inFlight.delete(p);
              });
            inFlight.add(p);
            continue;
          }
          stats.drop(ctx, 1);
          if (remainingUnplanned > 0 && initialising === undefined) {
            remainingUnplanned--;
            initialising = ctx
              .initUnplannedVu()
              .then((fresh) => {
                all.push(fresh);
                idle.push(fresh);
              })
              .catch((err: unknown) => {
                errors.push(err);
              })
              .finally(() => {
                initialising = undefined;
              });
          }
        }
        // In-flight iterations may finish within gracefulStop; `w.hard` interrupts them after that.
        while (inFlight.size > 0) await Promise.all([...inFlight]);
      } finally {
        w.dispose();
        while (inFlight.size > 0) await Promise.all([...inFlight]);
        if (initialising) await initialising;
        for (const vu of all) ctx.releaseVu(vu);
      }
      if (errors.length > 0) throw errors[0];
    },
    progress() {
      const spent = window?.elapsed() ?? 0;
      return {
        fraction: regularMs === 0 ? 1 : Math.min(1, spent / regularMs),
        text: `${running}/${max} VUs  ${progressTime(spent, regularMs)}  ${rateText}`,
        vus: stats.activeVus,
        iterations: stats.iterations,
        interrupted: stats.interrupted,
        dropped: stats.dropped,
      };
    },
  };
}
