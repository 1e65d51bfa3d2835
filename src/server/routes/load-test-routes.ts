// Load tests: list, get, patch, delete, move, script download, start, and the per-test run list.
// Uploads (create with multipart, PUT script) live in script-upload-routes.ts with their own parsers.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import { parseListQuery } from '../../domain/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { loadTestView, testRunJsonBytes, testRunView } from '../api-views.ts';
import { JSON_TYPE, listBody, listBodyBytes, lookAheadPage, publicOrigin } from '../paging.ts';
import { runDetailsPageUrl } from './run-details-page-route.ts';
import { isStorableText, unstorableMessage } from '../json-body-shape.ts';
import { pathId, queryOf, readIdempotencyKey, specBody } from '../request-input.ts';
import { assertNotBlank } from '../resource-name.ts';
import { validationError } from '../validation-error.ts';
import { startLoadTest } from '../start-load-test.ts';

const LOAD_TEST_ORDER_FIELDS = ['id', 'project_id', 'name', 'created', 'updated'] as const;

export function registerLoadTestRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/load_tests', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const raw = queryOf(req);
    const query = parseListQuery(raw, { orderBy: LOAD_TEST_ORDER_FIELDS });
    const paged = await ctx.store.loadTests.list(caller.stackId, nameFilter(raw), lookAheadPage(query));
    return listBody(req, ctx.config.publicUrl, query, paged, loadTestView);
  });

  app.get('/projects/:id/load_tests', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const projectId = pathId(req);
    const raw = queryOf(req);
    const query = parseListQuery(raw, { orderBy: LOAD_TEST_ORDER_FIELDS });
    found(await ctx.store.projects.get(caller.stackId, projectId), 'Project');
    const paged = await ctx.store.loadTests.list(caller.stackId, { ...nameFilter(raw), projectId }, lookAheadPage(query));
    return listBody(req, ctx.config.publicUrl, query, paged, loadTestView);
  });

  app.get('/load_tests/:id', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    return loadTestView(found(await ctx.store.loadTests.get(caller.stackId, pathId(req)), 'Load test'));
  });

  app.patch('/load_tests/:id', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    const body = specBody<{ name?: string; baseline_test_run_id?: number | null; k6_version?: number | null }>(ctx, req, 'PatchLoadTestApiModel');
    if (body.name !== undefined) assertNotBlank(body.name);
    found(await ctx.store.loadTests.get(caller.stackId, id), 'Load test');
    if (typeof body.baseline_test_run_id === 'number') {
      const baseline = await ctx.store.testRuns.get(caller.stackId, body.baseline_test_run_id);
      if (baseline === null || baseline.loadTestId !== id) {
        const message = 'baseline_test_run_id must name a run of this load test';
        throw validationError('baseline_test_run_id', message);
      }
    }
    await ctx.store.loadTests.update(caller.stackId, id, {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.baseline_test_run_id !== undefined && { baselineTestRunId: body.baseline_test_run_id }),
      ...(body.k6_version !== undefined && { k6Version: body.k6_version }),
    });
    return reply.code(204).send();
  });

  app.delete('/load_tests/:id', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    found(await ctx.store.loadTests.get(caller.stackId, id), 'Load test');
    await ctx.store.loadTests.delete(caller.stackId, id);
    return reply.code(204).send();
  });

  app.put('/load_tests/:id/move', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    const body = specBody<{ project_id: number }>(ctx, req, 'MoveLoadTestApiModel');
    found(await ctx.store.loadTests.get(caller.stackId, id), 'Load test');
    found(await ctx.store.projects.get(caller.stackId, body.project_id), 'Project');
    await ctx.store.loadTests.move(caller.stackId, id, body.project_id);
    return reply.code(204).send();
  });

  app.get('/load_tests/:id/script', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'read');
    const id = pathId(req);
    found(await ctx.store.loadTests.get(caller.stackId, id), 'Load test');
    const script = found(await ctx.store.loadTests.getScript(caller.stackId, id), 'Script');
    if (!accepts(req, script.contentType)) {
      throw new StampedeError('STAMPEDE_ERR_NOT_ACCEPTABLE', `The script is ${script.contentType}, which the Accept header does not allow`);
    }
    return reply.type(script.contentType).send(Buffer.from(script.bytes));
  });

  app.post('/load_tests/:id/start', async (req) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    const idempotencyKey = readIdempotencyKey(req);
    found(await ctx.store.loadTests.get(caller.stackId, id), 'Load test');
    const current = await startLoadTest(ctx, { stackId: caller.stackId, loadTestId: id, startedBy: caller.email, now: ctx.now(), ...(idempotencyKey !== undefined && { idempotencyKey }) });
    return {
      ...testRunView(current, ctx.now()),
      test_run_details_page_url: runDetailsPageUrl(publicOrigin(req, ctx.config.publicUrl), current.id),
    };
  });

  app.get('/load_tests/:id/test_runs', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'read');
    const id = pathId(req);
    const query = parseListQuery(queryOf(req), { orderBy: ['created'], createdRange: true, starred: true });
    found(await ctx.store.loadTests.get(caller.stackId, id), 'Load test');
    const paged = await ctx.store.testRuns.listText(caller.stackId, { ...query, ...lookAheadPage(query), orderBy: query.orderBy }, { loadTestId: id });
    const now = ctx.now();
    return reply.type(JSON_TYPE).send(listBodyBytes(req, ctx.config.publicUrl, query, paged, (r) => testRunJsonBytes(r, now)));
  });
}

function nameFilter(raw: Record<string, unknown>): { name?: string } {
  const name = raw['name'];
  if (name === undefined) return {};
  if (typeof name !== 'string') throw validationError('name', 'name must be given once');
  // No load test has an empty name, so `name=` is no filter (as generated clients send an unset one).
  if (name === '') return {};
  if (!isStorableText(name)) throw new StampedeError('STAMPEDE_ERR_VALIDATION', unstorableMessage('name'), { target: 'name', details: [{ target: 'name', message: unstorableMessage('name') }] });
  return { name };
}


/** The types a script is served as (and `application/javascript`, the other name clients use for JS). */
const SCRIPT_TYPES = ['text/javascript', 'application/javascript', 'application/x-tar'] as const;

/**
 * Whether the Accept header admits a script of `type`. The most specific range naming it decides
 * (`type`, then `major/*`, then `*\/*`; q=0 refuses). A header naming none of them refuses only when it
 * asks for another script type (`Accept: application/x-tar` for a JS script: the spec's 406); one naming
 * only types no script can be is disregarded, as RFC 9110 §12.5.1 allows, because generated clients
 * send `Accept: application/json` for every operation, this one included.
 */
export function accepts(req: FastifyRequest, type: string): boolean {
  const header = req.headers.accept;
  if (header === undefined || header.trim() === '') return true;
  const entries = header.split(',').map((entry) => {
    const [range = '', ...params] = entry.trim().split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { range, q: q === undefined ? 1 : Number(q.slice(2)) };
  });
  const [major] = type.split('/');
  for (const range of [type, `${major}/*`, '*/*']) {
    const entry = entries.find((e) => e.range === range);
    if (entry !== undefined) return entry.q > 0;
  }
  const asksForScript = (e: { range: string; q: number }) =>
    e.q > 0 && SCRIPT_TYPES.some((t) => e.range === t || e.range === `${t.split('/')[0]}/*`);
  return !entries.some(asksForScript);
}
