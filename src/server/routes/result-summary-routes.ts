// Grafana Cloud k6's result reads that its own clients make after a run, in their OData key syntax:
// `GET /cloud/v5/test_runs({id})/result_summary` and `GET /loadtests/v4/test_runs({id})/checks`
// (grafana/run-k6-action calls both on K6_CLOUD_BASE_URL for its pull request comment). Answered by
// `results` from the run's stored metrics; authenticated and scoped like the v5 metrics API
// (`Authorization: Token|Bearer`, `X-Stack-Id` optional). `$select` is accepted and ignored: every
// field is always answered.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import { grafanaChecks, grafanaResultSummary, runSummary } from '../../results/index.ts';
import type { RunMetricsCache } from '../../results/index.ts';
import type { TestRunRecord } from '../../store/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { queryOf } from '../request-input.ts';
import { validationError } from '../validation-error.ts';

const RUN_KEY = /^test_runs\((\d{1,15})\)$/;

/** `$filter` values the checks read understands: none (every check), or only the checks outside any group. */
function rootGroupOnly(raw: unknown): boolean {
  if (raw === undefined) return false;
  if (typeof raw === 'string' && /^\s*group_id\s+eq\s+null\s*$/i.test(raw)) return true;
  throw validationError('$filter', "$filter must be 'group_id eq null' (the checks outside any group) or left out");
}

export function registerResultSummaryRoutes(app: FastifyInstance, ctx: ApiContext, cache: RunMetricsCache): void {
  const runOf = async (req: FastifyRequest): Promise<TestRunRecord> => {
    const entity = (req.params as { entity?: string }).entity ?? '';
    const key = RUN_KEY.exec(entity);
    if (key?.[1] === undefined) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `No route GET ${(req.raw.url ?? '').split('?')[0] ?? ''}`);
    const caller = await authenticate(ctx, req, 'read', { optionalStack: true });
    return found(await ctx.store.testRuns.get(caller.stackId, Number(key[1])), 'Test run');
  };

  app.get('/cloud/v5/:entity/result_summary', async (req) => {
    const run = await runOf(req);
    const summary = await runSummary(ctx.store, run, 'compact').catch(() => null);
    return grafanaResultSummary(cache.forRun(run), run, summary, ctx.now());
  });

  app.get('/loadtests/v4/:entity/checks', async (req) => {
    const only = rootGroupOnly(queryOf(req)['$filter']);
    const run = await runOf(req);
    return { value: await grafanaChecks(cache.forRun(run), run, { rootGroupOnly: only }, ctx.now()) };
  });
}
