// Load zones: the deployment's runner locations (GET /load_zones).
import type { FastifyInstance } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import { authenticate } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { loadZoneView } from '../api-views.ts';
import { queryOf } from '../request-input.ts';

export function registerLoadZoneRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/load_zones', async (req) => {
    await authenticate(ctx, req, 'read');
    const filter = queryOf(req)['k6_load_zone_id'];
    if (filter !== undefined && typeof filter !== 'string') {
      throw new StampedeError('STAMPEDE_ERR_VALIDATION', 'k6_load_zone_id must be given once', { target: 'k6_load_zone_id', details: [{ target: 'k6_load_zone_id', message: 'given more than once' }] });
    }
    const zones = await ctx.store.loadZones.list();
    return { value: zones.filter((z) => filter === undefined || z.k6LoadZoneId === filter).map(loadZoneView) };
  });
}
