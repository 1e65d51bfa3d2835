// GET /cloud/v6/test_runs/{id}/summary (a Stampede extension): the run's end-of-test summary in the
// shape k6 passes to handleSummary(data), plus k6's text rendering in the `summary_mode` asked for
// (compact by default, or full, like k6's --summary-mode). Scoped and authenticated like v6.
import type { FastifyInstance } from 'fastify';
import { isSummaryMode, runSummary, SUMMARY_MODES, type SummaryMode } from '../../results/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { pathId, queryOf } from '../request-input.ts';
import { validationError } from '../validation-error.ts';

function summaryMode(raw: unknown): SummaryMode {
  if (raw === undefined) return 'compact';
  if (isSummaryMode(raw)) return raw;
  const message = `summary_mode must be one of ${SUMMARY_MODES.join(', ')}`;
  throw validationError('summary_mode', message);
}

export function registerRunSummaryRoute(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/test_runs/:id/summary', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const id = pathId(req);
    const mode = summaryMode(queryOf(req)['summary_mode']);
    const run = found(await ctx.store.testRuns.get(caller.stackId, id), 'Test run');
    return runSummary(ctx.store, run, mode);
  });
}
