// Schedules: Stampede starts runs only when asked (no scheduler), so no schedule ever exists. The
// spec's schedule operations still answer as documented: authenticated, an empty list, a 404 for a
// schedule asked by id, and a 400 saying so when a client tries to create one.
import type { FastifyInstance } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import { parseListQuery } from '../../domain/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { pathId, queryOf } from '../request-input.ts';

const NO_SCHEDULER = 'Stampede does not run scheduled tests: start runs with POST /cloud/v6/load_tests/{id}/start (from cron or CI)';

export function registerScheduleRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/schedules', async (req) => {
    await authenticate(ctx, req, 'read');
    const query = parseListQuery(queryOf(req));
    return { value: [], ...(query.count && { '@count': 0 }) };
  });

  app.get('/load_tests/:id/schedule', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    found(await ctx.store.loadTests.get(caller.stackId, pathId(req)), 'Load test');
    throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `The load test has no schedule. ${NO_SCHEDULER}`);
  });

  app.post('/load_tests/:id/schedule', async (req) => {
    const caller = await authenticate(ctx, req, 'write');
    found(await ctx.store.loadTests.get(caller.stackId, pathId(req)), 'Load test');
    throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', NO_SCHEDULER);
  });

  for (const [method, url, action] of [['GET', '/schedules/:id', 'read'], ['DELETE', '/schedules/:id', 'write'], ['POST', '/schedules/:id/activate', 'write'], ['POST', '/schedules/:id/deactivate', 'write']] as const) {
    app.route({
      method,
      url,
      handler: async (req) => {
        await authenticate(ctx, req, action);
        pathId(req);
        throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', `Schedule not found. ${NO_SCHEDULER}`);
      },
    });
  }
}
