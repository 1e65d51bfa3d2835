// Maps a scenario config to the scheduler that runs it for one segment.
//
// Local adapter: the executors part's schedulers have not landed yet, so the iteration-based executors
// and constant-vus are scheduled here minimally (no segment striping of iteration ids beyond offsets).
// Replace with the executors part's factory when it lands.
import type { ScenarioConfig } from '../executors/executor-config.ts';
import type { ExecutorContext, ExecutorRuntime, ExecutorVu } from '../executors/executor-context.ts';
import type { ExecutionTuple } from '../executors/execution-segment.ts';

export function createExecutorRuntime(config: ScenarioConfig, tuple: ExecutionTuple): ExecutorRuntime {
  const scale = (n: number): number => tuple.scaleInt64(n);
  let iterations = 0;
  let interrupted = 0;
  let active = 0;
  let startedAt = 0;
  const total = (): number => {
    switch (config.executor) {
      case 'shared-iterations': return scale(config.iterations);
      case 'per-vu-iterations': return scale(config.vus) * config.iterations;
      default: return 0;
    }
  };
  const durationMs = (): number =>
    config.executor === 'constant-vus' ? (config.duration ?? 0)
      : config.executor === 'shared-iterations' || config.executor === 'per-vu-iterations' ? config.maxDuration : 0;

  return {
    name: config.name,
    progress() {
      const elapsed = startedAt === 0 ? 0 : Date.now() - startedAt;
      const t = total();
      const fraction = t > 0 ? Math.min(1, iterations / t) : Math.min(1, elapsed / Math.max(1, durationMs()));
      return { fraction, text: t > 0 ? `${iterations}/${t} iters` : `${active} VUs`, vus: active, iterations, interrupted, dropped: 0 };
    },
    async run(ctx: ExecutorContext): Promise<void> {
      if (config.executor !== 'shared-iterations' && config.executor !== 'per-vu-iterations' && config.executor !== 'constant-vus') {
        throw new Error(`executor ${config.executor} is not available yet`);
      }
      await ctx.sleep(ctx.testStart + config.startTime - ctx.now(), ctx.signal);
      if (ctx.signal.aborted) return;
      startedAt = ctx.now();
      const vus = scale(config.vus);
      const regularEnd = startedAt + durationMs();
      const hardStop = new AbortController();
      const regular = new AbortController();
      const t1 = setTimeout(() => regular.abort(), durationMs());
      const t2 = setTimeout(() => hardStop.abort(), durationMs() + config.gracefulStop);
      let shared = 0;
      const sharedTotal = total();
      let iterInScenario = 0;
      const loop = async (vu: ExecutorVu): Promise<void> => {
        let own = 0;
        while (!regular.signal.aborted && !ctx.signal.aborted && ctx.now() < regularEnd) {
          if (config.executor === 'shared-iterations') {
            if (shared >= sharedTotal) break;
            shared++;
          } else if (config.executor === 'per-vu-iterations') {
            if (own >= config.iterations) break;
            own++;
          }
          const n = iterInScenario++;
          const outcome = await ctx.runIteration(vu, { scenario: config.name, exec: config.exec, iterationInScenario: n, iterationInTest: n }, hardStop.signal);
          if (outcome === 'full') iterations++;
          else interrupted++;
        }
      };
      const runners: Promise<void>[] = [];
      for (let i = 0; i < vus; i++) {
        const vu = await ctx.acquireVu();
        ctx.onActiveVus(1);
        active++;
        runners.push(loop(vu).finally(() => {
          active--;
          ctx.onActiveVus(-1);
          ctx.releaseVu(vu);
        }));
      }
      await Promise.all(runners);
      clearTimeout(t1);
      clearTimeout(t2);
      const t = total();
      if (t > 0 && iterations + interrupted < t) ctx.onDropped(t - iterations - interrupted, { scenario: config.name });
    },
  };
}
