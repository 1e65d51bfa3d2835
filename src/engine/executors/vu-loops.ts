// Helper for executors whose VUs loop for the whole scenario (shared-iterations, per-vu-iterations,
// constant-vus): acquire `count` VUs up front, run `body` on each concurrently, and always release them.
import type { ExecutorContext, ExecutorVu } from './executor-context.ts';
import type { ScenarioStats } from './scenario-stats.ts';

export async function runVuLoops(
  ctx: ExecutorContext,
  stats: ScenarioStats,
  count: number,
  body: (vu: ExecutorVu) => Promise<void>,
): Promise<void> {
  const vus: ExecutorVu[] = [];
  try {
    for (let i = 0; i < count; i++) vus.push(await ctx.acquireVu());
  } catch (err) {
    for (const vu of vus) ctx.releaseVu(vu);
    throw err;
  }
  const results = await Promise.allSettled(
    vus.map(async (vu) => {
      stats.activate(ctx, +1);
      try {
        await body(vu);
      } finally {
        stats.activate(ctx, -1);
        ctx.releaseVu(vu);
      }
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
