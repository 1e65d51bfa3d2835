// Projects and their limits: /projects, /projects/{id}, /projects/{id}/limits, /project-limits.
import type { FastifyInstance } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import { parseId, parseListQuery } from '../../domain/index.ts';
import type { ProjectLimits } from '../../domain/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { limitsView, projectView } from '../api-views.ts';
import { listBody, publicOrigin } from '../paging.ts';
import { pathId, queryOf, specBody } from '../request-input.ts';
import { assertNotBlank } from '../resource-name.ts';
import { validationError } from '../validation-error.ts';

// A stack holds at most this many projects (the v6 documented maximum, enforced on create), so name
// filters and the project-limits filter can work on the whole list in memory.
const MAX_PROJECTS = 1000;

export function registerProjectRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/projects', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const raw = queryOf(req);
    const query = parseListQuery(raw, { orderBy: ['created', 'name'] });
    // No project has an empty name, so `name=` is no filter: Go's generated client sends it for an unset
    // optional filter (Grafana's Terraform provider's grafana_k6_projects without `name`).
    const givenName = optionalText(raw, 'name');
    const name = givenName === '' ? undefined : givenName;
    const search = optionalText(raw, 'name_search')?.toLowerCase();
    const all = await ctx.store.projects.list(caller.stackId, { top: MAX_PROJECTS, skip: 0, count: false, orderBy: query.orderBy });
    const matching = all.items.filter((p) => (name === undefined || p.name === name) && (search === undefined || p.name.toLowerCase().includes(search)));
    const labels = await ctx.store.labels.labelsByProject(caller.stackId);
    return listBody(req, ctx.config.publicUrl, query, inMemoryPage(matching, query), (p) => projectView(p, labels.get(p.id)));
  });

  app.post('/projects', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const body = specBody<{ name: string }>(ctx, req, 'CreateProjectApiModel');
    assertNotBlank(body.name);
    const project = await ctx.store.projects.create(caller.stackId, body.name, { maxProjects: MAX_PROJECTS });
    return reply.code(201).header('location', `${publicOrigin(req, ctx.config.publicUrl)}/cloud/v6/projects/${project.id}`).send(projectView(project));
  });

  app.get('/projects/:id', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const project = found(await ctx.store.projects.get(caller.stackId, pathId(req)), 'Project');
    const labels = await ctx.store.labels.listProjectLabels(project.id);
    return projectView(project, Object.fromEntries(labels.map((l) => [l.key, l.value])));
  });

  app.patch('/projects/:id', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    const body = specBody<{ name: string }>(ctx, req, 'PatchProjectApiModel');
    assertNotBlank(body.name);
    found(await ctx.store.projects.get(caller.stackId, id), 'Project');
    await ctx.store.projects.rename(caller.stackId, id, body.name);
    return reply.code(204).send();
  });

  app.delete('/projects/:id', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'write');
    const id = pathId(req);
    found(await ctx.store.projects.get(caller.stackId, id), 'Project');
    await ctx.store.projects.delete(caller.stackId, id);
    return reply.code(204).send();
  });

  app.get('/projects/:id/limits', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    return limitsView(found(await ctx.store.projects.getLimits(caller.stackId, pathId(req)), 'Project'));
  });

  app.patch('/projects/:id/limits', async (req, reply) => {
    const caller = await authenticate(ctx, req, 'manage_limits');
    const id = pathId(req);
    const body = specBody<Partial<ProjectLimits>>(ctx, req, 'PatchProjectLimitsRequest');
    found(await ctx.store.projects.getLimits(caller.stackId, id), 'Project');
    await ctx.store.projects.updateLimits(caller.stackId, id, body);
    return reply.code(204).send();
  });

  app.get('/project-limits', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const raw = queryOf(req);
    const query = parseListQuery(raw);
    const ids = projectIdFilter(raw['project_id_in']);
    const all = await ctx.store.projects.listLimits(caller.stackId, { top: MAX_PROJECTS, skip: 0, count: false });
    const matching = ids === undefined ? all.items : all.items.filter((l) => ids.has(l.projectId));
    return listBody(req, ctx.config.publicUrl, query, inMemoryPage(matching, query), limitsView);
  });
}

function optionalText(raw: Record<string, unknown>, name: string): string | undefined {
  const v = raw[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new StampedeError('STAMPEDE_ERR_VALIDATION', `${name} must be given once`, { target: name, details: [{ target: name, message: `${name} must be given once` }] });
  if (v.length > 255) throw new StampedeError('STAMPEDE_ERR_VALIDATION', `${name} must be at most 255 characters`, { target: name, details: [{ target: name, message: `${name} must be at most 255 characters` }] });
  return v;
}

/**
 * `project_id_in=1,2,3` as the spec has it (explode: false), or repeated (`project_id_in=1&project_id_in=2`),
 * as clients that explode list parameters send it; both together are one list.
 */
function projectIdFilter(raw: unknown): Set<number> | undefined {
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).map(String);
  const parts = values.flatMap((v) => v.split(',')).filter((p) => p.trim() !== '');
  if (parts.length > 30) {
    throw validationError('project_id_in', 'project_id_in lists at most 30 ids');
  }
  return new Set(parts.map((p) => parseId(p.trim(), 'project_id_in')));
}

/** The look-ahead page `listBody` expects, cut from a list already filtered in memory. */
function inMemoryPage<T>(items: T[], query: { top: number; skip: number }): { items: T[]; count: number } {
  return { items: items.slice(query.skip, query.skip + query.top + 1), count: items.length };
}
