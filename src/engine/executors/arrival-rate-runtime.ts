// The open-model scheduler shared by constant- and ramping-arrival-rate (k6 *ArrivalRate.Run): each due
// iteration starts on a free VU at its absolute time; if none is free it is dropped (never queued) and,
// while maxVUs allows, one more VU is initialised in the background (one at a time). Over several worker
// threads a free VU may be another worker's: the tick is handed to it (arrival-rate-hand-off.ts).
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ArrivalRateHandOff } from './arrival-rate-hand-off.ts';
import { arrivalRateVus } from './constant-arrival-rate.ts';
import type { ExecutorContext, ExecutorRuntime, ExecutorVu } from './executor-context.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import type { ConstantArrivalRateConfig, RampingArrivalRateConfig } from './executor-config.ts';
import { formatDuration } from '../../core/index.ts';
import { fixedFloat, fixedInt, spentOf } from './progress-format.ts';
import { toNumber } from './rational.ts';
import { ScenarioStats, progressOf } from './scenario-stats.ts';
import { ScenarioWindow } from './scenario-window.ts';

export function createArrivalRateRuntime(
  config: ConstantArrivalRateConfig | RampingArrivalRateConfig,
  tuple: ExecutionTuple,
  regularMs: number,
  schedule: (stripeTuple: ExecutionTuple) => Iterator<number>,
  /** Unscaled iterations per second: the constant rate, or the highest rate of the stages. */
  maxRatePerSec: number,
  /** ramping-arrival-rate shows the current rate (from the last tick interval), constant its fixed rate. */
  showCurrentRate: boolean,
  /** The scenario's VUs on the instance's other worker threads (none with one worker). */
  handOff?: ArrivalRateHandOff,
): ExecutorRuntime {
  // Iterations are striped with a tuple rebuilt from maxVUs; undefined means this segment has no VUs.
  const stripeTuple = tuple.fromValue(config.maxVUs);
  const { preAllocated, max } = arrivalRateVus(config, tuple);
  const stats = new ScenarioStats(config, stripeTuple ?? tuple);
  let window: ScenarioWindow | undefined;
  let running = 0;
  let held = 0;
  let tickPeriodNs = 0;
  const scaledMaxRate = maxRatePerSec * (stripeTuple ? toNumber(stripeTuple.segment.length) : 0);

  return {
    name: config.name,
    async run(ctx: ExecutorContext): Promise<void> {
      if (stripeTuple === undefined || max === 0) return;
      window = await ScenarioWindow.open(ctx, config.startTime, regularMs, config.gracefulStop);
      if (!window) {
        handOff?.leaveSchedule();
        handOff?.close(0);
        return;
      }
      const w = window;
      const all: ExecutorVu[] = [];
      const idle: ExecutorVu[] = [];
      const inFlight = new Set<Promise<unknown>>();
      const errors: unknown[] = [];
      let remainingUnplanned = max - preAllocated;
      let initialising: Promise<void> | undefined;
      let warned = false;
      let serving: Promise<void> | undefined;
      /** This worker's tick loop has ended: it may close its hand-off once nobody else needs its VUs. */
      let scheduled = false;
      // The VU counts as active before its iteration starts (k6: the active VUs an iteration sees include its own).
      const activate = (): void => {
        running++;
        stats.activate(ctx, +1);
      };
      const track = (vu: ExecutorVu, iteration: Promise<unknown>): void => {
        const p = iteration
          .catch((err: unknown) => {
            errors.push(err);
          })
          .finally(() => {
            running--;
            stats.activate(ctx, -1);
            idle.push(vu);
            handOff?.publish(1);
            inFlight.delete(p);
          });
        inFlight.add(p);
      };
      // Tickets other workers handed to this one's reserved VUs start at once, until the scenario ends
      // for every worker (or here: regular end, test stop) and the tickets already reserved are in.
      const serve = async (h: ArrivalRateHandOff): Promise<void> => {
        const kick = (): void => h.kick();
        w.regular.addEventListener('abort', kick, { once: true });
        w.hard.addEventListener('abort', kick, { once: true });
        for (;;) {
          const seen = h.wakes();
          for (let ticket = h.receive(); ticket !== undefined; ticket = h.receive()) {
            const vu = idle.pop();
            if (vu === undefined) continue;
            if (ctx.signal.aborted || w.hard.aborted) {
              idle.push(vu);
              h.publish(1);
              continue;
            }
            activate();
            track(vu, stats.iterateNumbered(ctx, vu, w.hard, ticket));
          }
          if (!h.closed && scheduled && (h.everyoneLeft() || w.regularDone)) h.close(idle.length);
          if (h.closed && (h.drained() || w.hard.aborted)) return;
          await h.waitFor(seen);
        }
      };
      const endHandOff = async (): Promise<void> => {
        if (handOff === undefined) return;
        if (serving === undefined) handOff.close(0);
        scheduled = true;
        handOff.leaveSchedule();
        handOff.kick();
        await serving;
      };
      try {
        for (let i = 0; i < preAllocated; i++) {
          const vu = await ctx.acquireVu();
          all.push(vu);
          idle.push(vu);
          held++;
        }
        if (handOff !== undefined) {
          handOff.publish(preAllocated);
          const h = handOff;
          serving = serve(h).catch((err: unknown) => {
            // Nobody takes tickets here any more: no other worker may reserve these VUs.
            h.close(idle.length);
            errors.push(err);
          });
        }
        const due = schedule(stripeTuple);
        let prevNs = 0;
        for (let next = due.next(); !next.done; next = due.next()) {
          tickPeriodNs = next.value - prevNs;
          prevNs = next.value;
          const at = w.started + next.value / 1e6;
          if (at >= w.regularEnd) break;
          if (ctx.now() < at) {
            if (!(await w.sleepUntil(at))) break;
          } else {
            // Behind schedule: let finished iterations hand their VUs back before deciding.
            await yieldToEventLoop();
            if (w.regularDone) break;
          }
          // With other workers, a VU of this one may be reserved for their ticket: take through the count.
          const vu = handOff === undefined || handOff.takeOwn() ? idle.pop() : undefined;
          if (vu !== undefined) {
            activate();
            track(vu, stats.iterate(ctx, vu, w.hard));
            continue;
          }
          if (handOff !== undefined) {
            const to = handOff.reserveElsewhere();
            if (to >= 0) {
              handOff.send(to, stats.nextNumbers());
              continue;
            }
          }
          stats.drop(ctx, 1);
          if (remainingUnplanned === 0 && !warned) {
            warned = true;
            ctx.outOfVus?.(config.name, config.executor, max);
          }
          if (remainingUnplanned > 0 && initialising === undefined) {
            remainingUnplanned--;
            initialising = ctx
              .initUnplannedVu()
              .then((fresh) => {
                // None to be had now (the instance is at its max VUs): try again on a later tick.
                if (fresh === undefined) {
                  remainingUnplanned++;
                  return;
                }
                all.push(fresh);
                idle.push(fresh);
                handOff?.publish(1);
                held++;
              })
              .catch((err: unknown) => {
                // k6: logged with the executor's fields; the slot stays used, the scenario goes on.
                if (ctx.unplannedVuFailed?.(err, { executor: config.executor, scenario: config.name }) !== true) errors.push(err);
              })
              .finally(() => {
                initialising = undefined;
              });
          }
        }
        // k6's constant-arrival-rate returns only when its duration is over, even when the next tick
        // falls after it (rate 1 per 2s for 3s ends at 3s, its bar at 100%); ramping-arrival-rate
        // returns once its last iteration has started.
        if (config.executor === 'constant-arrival-rate') await w.sleepUntil(w.regularEnd);
        // The last ticks of the other workers may still come to this one's VUs.
        await endHandOff();
        // In-flight iterations may finish within gracefulStop; `w.hard` interrupts them after that.
        while (inFlight.size > 0) await Promise.all([...inFlight]);
      } finally {
        w.dispose();
        await endHandOff();
        while (inFlight.size > 0) await Promise.all([...inFlight]);
        if (initialising) await initialising;
        for (const vu of all) ctx.releaseVu(vu);
      }
      if (errors.length > 0) throw errors[0];
    },
    progress() {
      const spent = window?.elapsed() ?? 0;
      const over = spent > regularMs;
      const rate = showCurrentRate ? (tickPeriodNs > 0 ? 1e9 / tickPeriodNs : 0) : scaledMaxRate;
      return progressOf(stats, over || regularMs === 0 ? 1 : spent / regularMs, [
        `${fixedInt(running, max)}/${fixedInt(held, max)} VUs`,
        over ? formatDuration(regularMs) : spentOf(spent, regularMs),
        `${fixedFloat(rate, scaledMaxRate, 2)} iters/s`,
      ], stripeTuple === undefined || max === 0);
    },
  };
}
