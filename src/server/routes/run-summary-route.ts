// GET /cloud/v6/test_runs/{id}/summary (a Stampede extension): the run's end-of-test summary in the
// shape k6 passes to handleSummary(data), plus k6's text rendering. Scoped and authenticated like v6.
import type { FastifyInstance } from 'fastify';
import { runSummary } from '../../results/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { pathId } from '../request-input.ts';

export function registerRunSummaryRoute(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/test_runs/:id/summary', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const run = found(await ctx.store.testRuns.get(caller.stackId, pathId(req)), 'Test run');
    return runSummary(ctx.store, run);
  });
}
