// Which projects may use which private load zones. Stampede does not restrict zones per project: every
// project of a stack may use every available zone (the admin API's `public` flag is recorded, not acted
// upon). The reads say exactly that; a PUT of exactly that (as a Terraform apply of the current state
// sends) answers it, and any other list is a 400 saying why, never a silent no-op.
import type { FastifyInstance } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { loadZoneView } from '../api-views.ts';
import { pathId, specBody } from '../request-input.ts';

const UNRESTRICTED = 'Stampede does not restrict load zones per project: every project may use every load zone';
// A stack holds at most 1000 projects (see project-routes.ts).
const ALL_PROJECTS = { top: 1000, skip: 0, count: false } as const;

function sameIds(given: readonly { id: number }[], actual: readonly { id: number }[]): boolean {
  const ids = new Set(given.map((g) => g.id));
  return ids.size === actual.length && actual.every((a) => ids.has(a.id));
}

export function registerAllowedLoadZoneRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const privateZones = async () => (await ctx.store.loadZones.list()).filter((z) => !z.public).map(loadZoneView);
  const projectsOf = async (stackId: number) => (await ctx.store.projects.list(stackId, ALL_PROJECTS)).items.map((p) => ({ id: p.id, name: p.name }));

  app.get('/projects/:id/allowed_load_zones', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    found(await ctx.store.projects.get(caller.stackId, pathId(req)), 'Project');
    return { value: await privateZones() };
  });

  app.get('/load_zones/:id/allowed_projects', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    found(await ctx.store.loadZones.get(pathId(req)), 'Load zone');
    return { value: await projectsOf(caller.stackId) };
  });

  app.put('/projects/:id/allowed_load_zones', async (req) => {
    const caller = await authenticate(ctx, req, 'manage_stack');
    found(await ctx.store.projects.get(caller.stackId, pathId(req)), 'Project');
    const body = specBody<{ value: { id: number }[] }>(ctx, req, 'UpdateAllowedLoadZonesListApiModel');
    const zones = await privateZones();
    if (!sameIds(body.value, zones)) throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `${UNRESTRICTED}; the private load zones are ${zones.map((z) => z.id).join(', ') || 'none'}`, { target: 'value' });
    return { value: zones };
  });

  app.put('/load_zones/:id/allowed_projects', async (req) => {
    const caller = await authenticate(ctx, req, 'manage_stack');
    found(await ctx.store.loadZones.get(pathId(req)), 'Load zone');
    const body = specBody<{ value: { id: number }[] }>(ctx, req, 'UpdateAllowedProjectsListApiModel');
    const projects = await projectsOf(caller.stackId);
    if (!sameIds(body.value, projects)) throw new StampedeError('STAMPEDE_ERR_BAD_REQUEST', `${UNRESTRICTED}; every project of the stack is allowed`, { target: 'value' });
    return { value: projects };
  });
}
