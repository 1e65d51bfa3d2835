// The installation's load zones in the admin API (/admin/v1/load_zones): list, get, create, update,
// delete. A zone has the fields of the v6 LoadZone (what GET /cloud/v6/load_zones shows) plus
// `default`, read-only: the first zone, which runs without options.cloud.distribution run in. The store
// refuses, with a 409 giving the reason, changes that would leave runs without their zone.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { defaultLoadZone, loadZoneIdProblem, parseId } from '../../domain/index.ts';
import type { LoadZoneInput, LoadZoneRecord } from '../../store/index.ts';
import { found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { loadZoneView } from '../api-views.ts';
import { invalid, objectBody, requireAdmin } from './admin-access.ts';
import type { Problem } from './admin-access.ts';

const FIELDS = ['name', 'k6_load_zone_id', 'available', 'public', 'custom_load_runner_image'] as const;
const MAX_NAME = 255;

function adminZoneView(zone: LoadZoneRecord, zones: readonly LoadZoneRecord[]) {
  return { ...loadZoneView(zone), default: defaultLoadZone(zones)?.id === zone.id };
}

export function registerAdminLoadZoneRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const zoneId = (req: FastifyRequest) => parseId((req.params as Record<string, string>)['id'], 'id');

  app.get('/load_zones', async (req) => {
    await requireAdmin(ctx, req);
    const zones = await ctx.store.loadZones.list();
    return { value: zones.map((z) => adminZoneView(z, zones)) };
  });

  app.get('/load_zones/:id', async (req) => {
    await requireAdmin(ctx, req);
    const id = zoneId(req);
    const zone = found(await ctx.store.loadZones.get(id), 'Load zone');
    return adminZoneView(zone, await ctx.store.loadZones.list());
  });

  app.post('/load_zones', async (req, reply) => {
    await requireAdmin(ctx, req);
    const fields = zoneFields(req, 'create');
    const input: LoadZoneInput = {
      name: fields.name ?? '',
      k6LoadZoneId: fields.k6LoadZoneId ?? '',
      available: fields.available ?? true,
      public: fields.public ?? true,
      customLoadRunnerImage: fields.customLoadRunnerImage ?? null,
    };
    checkImage(input);
    const zone = await ctx.store.loadZones.create(input);
    return reply.code(201).send(adminZoneView(zone, await ctx.store.loadZones.list()));
  });

  app.patch('/load_zones/:id', async (req) => {
    await requireAdmin(ctx, req);
    const id = zoneId(req);
    const patch = zoneFields(req, 'update');
    const current = found(await ctx.store.loadZones.get(id), 'Load zone');
    checkImage({ ...current, ...patch });
    const zone = await ctx.store.loadZones.update(id, patch);
    return adminZoneView(zone, await ctx.store.loadZones.list());
  });

  app.delete('/load_zones/:id', async (req, reply) => {
    await requireAdmin(ctx, req);
    await ctx.store.loadZones.remove(zoneId(req));
    return reply.code(204).send();
  });
}

/** The zone fields of a create (name and k6_load_zone_id required) or update (at least one field) body. */
function zoneFields(req: FastifyRequest, mode: 'create' | 'update'): Partial<LoadZoneInput> {
  const body = objectBody(req);
  const problems: Problem[] = [];
  const out: Partial<LoadZoneInput> = {};
  for (const key of Object.keys(body)) {
    if (!(FIELDS as readonly string[]).includes(key)) problems.push({ target: key, message: `Unknown field "${key}"; a load zone has ${FIELDS.join(', ')}` });
  }
  const { name, k6_load_zone_id: k6Id, available, public: isPublic, custom_load_runner_image: image } = body;
  if (name !== undefined) {
    if (typeof name !== 'string' || name.trim() === '') problems.push({ target: 'name', message: 'name must be a non-empty string' });
    else if (name.length > MAX_NAME) problems.push({ target: 'name', message: `name must be at most ${MAX_NAME} characters` });
    else out.name = name.trim();
  }
  if (k6Id !== undefined) {
    const problem = typeof k6Id === 'string' ? loadZoneIdProblem(k6Id) : 'k6_load_zone_id must be a string';
    if (problem !== null) problems.push({ target: 'k6_load_zone_id', message: problem });
    else out.k6LoadZoneId = k6Id as string;
  }
  for (const [key, value] of [['available', available], ['public', isPublic]] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'boolean') problems.push({ target: key, message: `${key} must be true or false` });
    else out[key] = value;
  }
  if (image !== undefined) {
    if (image !== null && (typeof image !== 'string' || !/^\S+$/.test(image) || image.length > MAX_NAME)) {
      problems.push({ target: 'custom_load_runner_image', message: `custom_load_runner_image must be null or an image reference without spaces, at most ${MAX_NAME} characters` });
    } else out.customLoadRunnerImage = image;
  }
  if (mode === 'create') {
    if (name === undefined) problems.push({ target: 'name', message: 'name is required' });
    if (k6Id === undefined) problems.push({ target: 'k6_load_zone_id', message: 'k6_load_zone_id is required' });
  } else if (problems.length === 0 && Object.keys(out).length === 0) {
    problems.push({ target: 'body', message: `Give at least one of ${FIELDS.join(', ')}` });
  }
  if (problems.length > 0) throw invalid(problems);
  return out;
}

/** As in the v6 API, only a private zone has a custom load runner image. */
function checkImage(zone: Pick<LoadZoneInput, 'public' | 'customLoadRunnerImage'>): void {
  if (zone.public && zone.customLoadRunnerImage !== null) {
    throw invalid([{ target: 'custom_load_runner_image', message: 'custom_load_runner_image can only be set on a private zone ("public": false)' }]);
  }
}
