// ramping-vus scheduler for one segment (k6 RampingVUs.Run, vu_handle.go). Raw steps start VUs and stop
// them gracefully (a removed VU finishes its iteration, then leaves); the graceful-ramp-down steps say
// when those stragglers are hard-stopped. Handle i is always the i-th VU slot of this segment, so
// re-adding a VU that is still finishing its iteration just keeps it running.
import type { ExecutorContext, ExecutorRuntime, ExecutorVu } from './executor-context.ts';
import type { ExecutionTuple } from './execution-segment.ts';
import type { ExecutionStep, RampingVusConfig } from './executor-config.ts';
import { rampingVus, rampingVusRawSteps } from './ramping-vus.ts';
import { formatDuration } from '../../core/index.ts';
import { fixedInt, spentOf } from './progress-format.ts';
import { ScenarioStats, progressOf, type InstanceIterationNumbers } from './scenario-stats.ts';
import { ScenarioWindow } from './scenario-window.ts';

type HandleState = 'stopped' | 'running' | 'stopping';

class VuHandle {
  private state: HandleState = 'stopped';
  private ctl: AbortController | undefined;
  private readonly loop: (hard: AbortSignal, keepGoing: () => boolean) => Promise<void>;
  private readonly track: (p: Promise<void>) => void;

  constructor(loop: (hard: AbortSignal, keepGoing: () => boolean) => Promise<void>, track: (p: Promise<void>) => void) {
    this.loop = loop;
    this.track = track;
  }

  start(): void {
    if (this.state === 'running') return;
    if (this.state === 'stopping') {
      this.state = 'running'; // still in its last iteration: just keep looping
      return;
    }
    this.state = 'running';
    const ctl = new AbortController();
    this.ctl = ctl;
    const run = this.loop(ctl.signal, () => this.ctl === ctl && this.state === 'running').finally(() => {
      if (this.ctl === ctl) {
        this.ctl = undefined;
        this.state = 'stopped';
      }
    });
    this.track(run);
  }

  gracefulStop(): void {
    if (this.state === 'running') this.state = 'stopping';
  }

  hardStop(): void {
    if (this.state === 'stopped') return;
    this.ctl?.abort();
    this.ctl = undefined;
    this.state = 'stopped';
  }
}

export function createRampingVusRuntime(config: RampingVusConfig, tuple: ExecutionTuple, numbers?: InstanceIterationNumbers): ExecutorRuntime {
  const rawSteps = rampingVusRawSteps(config, tuple, true);
  const gracefulSteps = rampingVus.steps(config, tuple);
  const regular = rawSteps[rawSteps.length - 1]?.offsetMs ?? 0;
  const maxEnd = gracefulSteps[gracefulSteps.length - 1]?.offsetMs ?? 0;
  const maxVUs = gracefulSteps.reduce((m, s) => Math.max(m, s.plannedVUs), 0);
  const stats = new ScenarioStats(config, tuple, numbers);
  let window: ScenarioWindow | undefined;

  return {
    name: config.name,
    async run(ctx: ExecutorContext): Promise<void> {
      if (maxVUs === 0) return;
      window = await ScenarioWindow.open(ctx, config.startTime, regular, maxEnd - regular);
      if (!window) return;
      const w = window;
      const running = new Set<Promise<void>>();
      const errors: unknown[] = [];
      const track = (p: Promise<void>): void => {
        const tracked = p.catch((err: unknown) => {
          errors.push(err);
        });
        running.add(tracked);
        void tracked.finally(() => running.delete(tracked));
      };
      const loop = async (hard: AbortSignal, keepGoing: () => boolean): Promise<void> => {
        const vu: ExecutorVu = await ctx.acquireVu();
        stats.activate(ctx, +1);
        try {
          const interrupt = AbortSignal.any([hard, w.hard]);
          while (keepGoing() && !interrupt.aborted) await stats.iterate(ctx, vu, interrupt);
        } finally {
          stats.activate(ctx, -1);
          ctx.releaseVu(vu);
        }
      };
      const handles = Array.from({ length: maxVUs }, () => new VuHandle(loop, track));

      let scheduled = 0;
      const onRaw = (s: ExecutionStep): void => {
        for (; scheduled < s.plannedVUs; scheduled++) handles[scheduled]?.start();
        for (; s.plannedVUs < scheduled; scheduled--) handles[scheduled - 1]?.gracefulStop();
      };
      let allowed = 0;
      const onGraceful = (s: ExecutionStep): void => {
        for (; s.plannedVUs < allowed; allowed--) handles[allowed - 1]?.hardStop();
        allowed = s.plannedVUs;
      };

      const drain = async (): Promise<void> => {
        while (running.size > 0) await Promise.all([...running]);
      };
      try {
        // Both step lists merged by time, raw steps first on ties (k6 iterateSteps)...
        let i = 0;
        let j = 0;
        while (i < rawSteps.length) {
          const r = rawSteps[i] as ExecutionStep;
          const g = gracefulSteps[j];
          const takeGraceful = g !== undefined && g.offsetMs < r.offsetMs;
          const step = takeGraceful ? g : r;
          // Steps already due run in one go, as k6's iterateSteps does: a VU started and stopped at the
          // same instant (the last VU of a ramp, planned at the end of the stages) never gets to iterate.
          if (ctx.now() < w.started + step.offsetMs) await waitFor(ctx, w.started + step.offsetMs, w.hard);
          if (w.hard.aborted) break;
          if (takeGraceful) {
            onGraceful(step);
            j++;
          } else {
            onRaw(step);
            i++;
          }
        }
        // ...then the remaining graceful steps hard-stop stragglers, unless every VU has already left.
        const allLeft = new AbortController();
        void drain().then(() => allLeft.abort());
        const stop = AbortSignal.any([w.hard, allLeft.signal]);
        for (; j < gracefulSteps.length && !stop.aborted; j++) {
          const g = gracefulSteps[j] as ExecutionStep;
          await waitFor(ctx, w.started + g.offsetMs, stop);
          if (!stop.aborted) onGraceful(g);
        }
      } finally {
        for (const h of handles) h.hardStop();
        await drain();
        w.dispose();
      }
      if (errors.length > 0) throw errors[0];
    },
    progress() {
      const spent = window?.elapsed() ?? 0;
      // k6's makeProgressFn(regular): the end of this segment's raw steps (its VUs reach 0 there), not
      // the stages' sum: a trailing stage at target 0, or a worker whose share ends its ramp-down
      // earlier, still ends at 100 %.
      const over = spent > regular;
      const p = progressOf(stats, over || regular === 0 ? 1 : spent / regular, [
        `${fixedInt(stats.activeVus, maxVUs)}/${fixedInt(maxVUs, maxVUs)} VUs`,
        over ? formatDuration(regular) : spentOf(spent, regular),
      ], maxVUs === 0);
      return { ...p, regularMs: regular };
    },
  };
}

async function waitFor(ctx: ExecutorContext, epochMs: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted && ctx.now() < epochMs) await ctx.sleep(epochMs - ctx.now(), signal);
}
