import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { LoadZonesRepo } from './store.ts';

export function loadZonesRepo(db: Kysely<Database>): LoadZonesRepo {
  return {
    async list() {
      const rows = await db.selectFrom('load_zones').selectAll().orderBy('id').execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        k6LoadZoneId: r.k6_load_zone_id,
        available: r.available === 1,
        public: r.public === 1,
        customLoadRunnerImage: r.custom_image,
      }));
    },
  };
}
