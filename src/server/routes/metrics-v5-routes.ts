// The v5 metrics API of a test run, and across the runs of a load test (Grafana Cloud k6's Metrics
// REST API shapes), answered by `results` from the runs' stored batches. Same authentication and stack scoping as v6: another stack's run is a 404.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import { RunMetricsCache, listLabels, listLabelValues, listMetricsAcrossRuns, listRunMetrics, listSeries, queryAggregate, queryAggregateAcrossRuns, queryRange, splitFunctionCall } from '../../results/index.ts';
import type { RunsResolver } from '../../results/index.ts';
import type { TestRunRecord } from '../../store/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { pathId } from '../request-input.ts';

function matchParams(req: FastifyRequest): string[] | undefined {
  const q = (req.query ?? {}) as Record<string, unknown>;
  const raw = q['match[]'] ?? q['match'];
  if (raw === undefined) return undefined;
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

/**
 * The `name(params)` segment, from the raw URL: Fastify's decoded wildcard would split at a `?` that a
 * regex matcher may hold, so the last `)` ends the call and only what follows it is a query string.
 */
function functionCall(req: FastifyRequest): { name: string; params: string } {
  const m = /\/(?:test_runs|load_tests)\/[^/?]+\/([A-Za-z_0-9]+\(.*\))(?:\?[^)]*)?$/s.exec(req.raw.url ?? '');
  let segment: string | undefined;
  try {
    segment = m?.[1] === undefined ? undefined : decodeURIComponent(m[1]);
  } catch {
    throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', 'Malformed percent-encoding in the URL');
  }
  const call = segment === undefined ? undefined : splitFunctionCall(segment);
  if (call === undefined) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `No route GET ${(req.raw.url ?? '').split('?')[0] ?? ''}`);
  return call;
}

/** Runs' metrics stay in memory between queries (bounded; see results/run-metrics-cache.ts). */
export function registerMetricsV5Routes(app: FastifyInstance, ctx: ApiContext, cache = new RunMetricsCache(ctx.store.runMetrics)): void {
  const runOf = async (req: FastifyRequest): Promise<TestRunRecord> => {
    // v5 predates stacks: clients written for it send no X-Stack-Id, which then means the token's stack.
    const caller = await authenticate(ctx, req, 'read', { optionalStack: true });
    return found(await ctx.store.testRuns.get(caller.stackId, pathId(req)), 'Test run');
  };

  app.get('/test_runs/:id/metrics', async (req) => {
    const run = await runOf(req);
    return listRunMetrics(cache.forRun(run), run);
  });
  app.get('/test_runs/:id/series', async (req) => {
    const run = await runOf(req);
    return listSeries(cache.forRun(run), run, matchParams(req));
  });
  app.get('/test_runs/:id/labels', async (req) => {
    const run = await runOf(req);
    return listLabels(cache.forRun(run), run, matchParams(req));
  });
  app.get('/test_runs/:id/label/:name/values', async (req) => {
    const run = await runOf(req);
    return listLabelValues(cache.forRun(run), run, (req.params as { name: string }).name, matchParams(req));
  });
  app.get('/test_runs/:id/*', async (req) => {
    const run = await runOf(req);
    const call = functionCall(req);
    if (call.name === 'query_range_k6') return queryRange(cache.forRun(run), run, call.params, ctx.now());
    if (call.name === 'query_aggregate_k6') return queryAggregate(cache.forRun(run), run, call.params, ctx.now());
    throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `No route GET ${(req.raw.url ?? '').split('?')[0] ?? ''}`);
  });

  // Across the runs of one load test: the caller's stack's load test, and only its own runs.
  const resolverOf = async (req: FastifyRequest): Promise<RunsResolver<TestRunRecord>> => {
    const caller = await authenticate(ctx, req, 'read', { optionalStack: true });
    const loadTest = found(await ctx.store.loadTests.get(caller.stackId, pathId(req)), 'Load test');
    return async (selection) => {
      if ('ids' in selection) {
        const runs: TestRunRecord[] = [];
        for (const id of selection.ids) {
          const run = await ctx.store.testRuns.get(caller.stackId, id);
          if (run === null || run.loadTestId !== loadTest.id) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `Test run ${id} of load test ${loadTest.id} not found`);
          runs.push(run);
        }
        return runs.sort((a, b) => b.created.getTime() - a.created.getTime());
      }
      const newest = { top: selection.count, skip: 0, count: false, orderBy: [{ field: 'created', desc: true }], createdAfter: null, createdBefore: null, isStarred: null };
      return (await ctx.store.testRuns.list(caller.stackId, newest, { loadTestId: loadTest.id })).items;
    };
  };
  const repoFor = (run: TestRunRecord) => cache.forRun(run);

  app.get('/load_tests/:id/metrics', async (req) => listMetricsAcrossRuns(repoFor, undefined, await resolverOf(req)));
  app.get('/load_tests/:id/*', async (req) => {
    const resolve = await resolverOf(req);
    const call = functionCall(req);
    if (call.name === 'metrics') return listMetricsAcrossRuns(repoFor, call.params, resolve);
    if (call.name === 'query_aggregate_k6') return queryAggregateAcrossRuns(repoFor, call.params, resolve, ctx.now());
    throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `No route GET ${(req.raw.url ?? '').split('?')[0] ?? ''}`);
  });
}
