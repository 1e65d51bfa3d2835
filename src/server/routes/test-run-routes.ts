// Test runs: list, get, note, delete, abort, save/unsave, star/unstar, script, distribution.
import type { FastifyInstance } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import { isFinalStatus, parseListQuery } from '../../domain/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { testRunJsonBytes, testRunView } from '../api-views.ts';
import { JSON_TYPE, listBodyBytes, lookAheadPage } from '../paging.ts';
import { pathId, queryOf, specBody } from '../request-input.ts';

export function registerTestRunRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/test_runs', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'read');
    const query = parseListQuery(queryOf(req), { createdRange: true });
    const paged = await ctx.store.testRuns.listText(caller.stackId, { ...query, ...lookAheadPage(query), orderBy: query.orderBy });
    const now = ctx.now();
    return reply.type(JSON_TYPE).send(listBodyBytes(req, ctx.config.publicUrl, query, paged, (r) => testRunJsonBytes(r, now)));
  });

  app.get('/test_runs/:id', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    return testRunView(found(await ctx.store.testRuns.get(caller.stackId, pathId(req)), 'Test run'), ctx.now());
  });

  app.patch('/test_runs/:id', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    const body = specBody<{ note: string }>(ctx, req, 'PatchTestRunApiModel');
    found(await ctx.store.testRuns.get(caller.stackId, id), 'Test run');
    await ctx.store.testRuns.setNote(caller.stackId, id, body.note);
    return reply.code(204).send();
  });

  app.delete('/test_runs/:id', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    const run = found(await ctx.store.testRuns.get(caller.stackId, id), 'Test run');
    if (!isFinalStatus(run.status)) throw new StampedeError('STAMPEDE_ERR_CONFLICT', `Cannot delete a test run while it is ${run.status}`);
    await ctx.store.testRuns.delete(caller.stackId, id);
    return reply.code(204).send();
  });

  app.post('/test_runs/:id/abort', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    const run = found(await ctx.store.testRuns.get(caller.stackId, id), 'Test run');
    if (isFinalStatus(run.status)) throw new StampedeError('STAMPEDE_ERR_CONFLICT', `Cannot abort a test run that has already ended (${run.status})`);
    await ctx.runs.abort(id, caller.email);
    return reply.code(204).send();
  });

  const toggles = [
    ['save', (stackId: number, id: number) => ctx.store.testRuns.save(stackId, id)],
    ['unsave', (stackId: number, id: number) => ctx.store.testRuns.unsave(stackId, id)],
    ['star', (stackId: number, id: number) => ctx.store.testRuns.setStarred(stackId, id, true)],
    ['unstar', (stackId: number, id: number) => ctx.store.testRuns.setStarred(stackId, id, false)],
  ] as const;
  for (const [action, apply] of toggles) {
    app.post(`/test_runs/:id/${action}`, async (req, reply) => {
      const caller = await authenticate(ctx, req, 'write');
      const id = pathId(req);
      found(await ctx.store.testRuns.get(caller.stackId, id), 'Test run');
      await apply(caller.stackId, id);
      return reply.code(204).send();
    });
  }

  app.get('/test_runs/:id/script', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'read');
    const id = pathId(req);
    found(await ctx.store.testRuns.get(caller.stackId, id), 'Test run');
    const script = found(await ctx.store.testRuns.getScript(caller.stackId, id), 'Script');
    return reply.type(script.contentType).send(Buffer.from(script.bytes));
  });

  app.get('/test_runs/:id/distribution', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const run = found(await ctx.store.testRuns.get(caller.stackId, pathId(req)), 'Test run');
    if (run.runnerDistribution === null) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'No distribution data is available for this test run yet');
    return { distribution: run.runnerDistribution };
  });
}
