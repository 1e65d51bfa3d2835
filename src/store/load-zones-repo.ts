// The installation's load zones. The rules that protect runs live here, inside the transaction that
// changes a zone: the default (first) zone stays and stays available, the last zone stays, and a zone an
// unfinished run needs keeps its k6 id, its availability and its existence until that run has ended.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { StampedeError } from '../core/index.ts';
import { FINAL_RUN_STATUSES, defaultLoadZone, runNeedsLoadZone } from '../domain/index.ts';
import type { DistributionZone } from '../domain/index.ts';
import type { Database, LoadZonesTable } from './schema.ts';
import { isUniqueViolation } from './sql-errors.ts';
import type { LoadZoneInput, LoadZoneRecord, LoadZonesRepo } from './store.ts';

function toZone(r: Selectable<LoadZonesTable>): LoadZoneRecord {
  return {
    id: r.id,
    name: r.name,
    k6LoadZoneId: r.k6_load_zone_id,
    available: r.available === 1,
    public: r.public === 1,
    customLoadRunnerImage: r.custom_image,
  };
}

function toRow(z: Partial<LoadZoneInput>): Partial<Omit<LoadZonesTable, 'id'>> {
  return {
    ...(z.name !== undefined && { name: z.name }),
    ...(z.k6LoadZoneId !== undefined && { k6_load_zone_id: z.k6LoadZoneId }),
    ...(z.available !== undefined && { available: z.available ? 1 : 0 }),
    ...(z.public !== undefined && { public: z.public ? 1 : 0 }),
    ...(z.customLoadRunnerImage !== undefined && { custom_image: z.customLoadRunnerImage }),
  };
}

const notFound = () => new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Load zone not found');
const duplicate = (k6Id: string) => new StampedeError('STAMPEDE_ERR_CONFLICT', `A load zone with k6_load_zone_id ${JSON.stringify(k6Id)} already exists`, { target: 'k6_load_zone_id' });

/** Ids of the unfinished runs that need the zone `k6Id`, oldest first. */
async function runsNeeding(trx: Transaction<Database>, k6Id: string): Promise<number[]> {
  const rows = await trx
    .selectFrom('test_runs')
    .leftJoin('scripts', 'scripts.hash', 'test_runs.script_hash')
    .select(['test_runs.id', 'test_runs.distribution', 'scripts.bytes'])
    .where('test_runs.status', 'not in', FINAL_RUN_STATUSES)
    .orderBy('test_runs.id')
    .execute();
  return rows
    .filter((r) => runNeedsLoadZone(k6Id, { distribution: r.distribution === null ? null : (JSON.parse(r.distribution) as DistributionZone[]), script: r.bytes ?? null }))
    .map((r) => r.id);
}

function inUse(zone: LoadZoneRecord, runIds: readonly number[], change: string): StampedeError {
  const shown = runIds.slice(0, 10).join(', ') + (runIds.length > 10 ? ', …' : '');
  return new StampedeError('STAMPEDE_ERR_CONFLICT', `Load zone ${zone.k6LoadZoneId} ${change} while unfinished test runs need it (${runIds.length === 1 ? 'run' : 'runs'} ${shown}); wait for them to end or abort them`);
}

export function loadZonesRepo(db: Kysely<Database>): LoadZonesRepo {
  const getIn = async (trx: Kysely<Database>, id: number) => {
    const row = await trx.selectFrom('load_zones').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toZone(row);
  };
  const listIn = async (trx: Kysely<Database>) => (await trx.selectFrom('load_zones').selectAll().orderBy('id').execute()).map(toZone);

  return {
    list: () => listIn(db),
    get: (id) => getIn(db, id),

    async create(input) {
      try {
        return toZone(await db.insertInto('load_zones').values({ name: input.name, k6_load_zone_id: input.k6LoadZoneId, available: input.available ? 1 : 0, public: input.public ? 1 : 0, custom_image: input.customLoadRunnerImage }).returningAll().executeTakeFirstOrThrow());
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicate(input.k6LoadZoneId);
        throw err;
      }
    },

    async update(id, patch) {
      try {
        return await db.transaction().execute(async (trx) => {
          const zone = await getIn(trx, id);
          if (zone === null) throw notFound();
          const renamed = patch.k6LoadZoneId !== undefined && patch.k6LoadZoneId !== zone.k6LoadZoneId;
          const disabled = patch.available === false && zone.available;
          if (disabled && defaultLoadZone(await listIn(trx))?.id === id) {
            throw new StampedeError('STAMPEDE_ERR_CONFLICT', `Load zone ${zone.k6LoadZoneId} is the default zone (runs without options.cloud.distribution run in it): it must stay available`, { target: 'available' });
          }
          if (renamed || disabled) {
            const runIds = await runsNeeding(trx, zone.k6LoadZoneId);
            if (runIds.length > 0) throw inUse(zone, runIds, renamed ? 'cannot change its k6_load_zone_id' : 'cannot become unavailable');
          }
          const row = toRow(patch);
          if (Object.keys(row).length === 0) return zone;
          const updated = await trx.updateTable('load_zones').set(row).where('id', '=', id).returningAll().executeTakeFirst();
          // Removed by a concurrent request after the read above (PostgreSQL reads committed rows).
          if (updated === undefined) throw notFound();
          return toZone(updated);
        });
      } catch (err) {
        if (isUniqueViolation(err) && patch.k6LoadZoneId !== undefined) throw duplicate(patch.k6LoadZoneId);
        throw err;
      }
    },

    async remove(id) {
      await db.transaction().execute(async (trx) => {
        const zones = await listIn(trx);
        const zone = zones.find((z) => z.id === id);
        if (zone === undefined) throw notFound();
        if (zones.length === 1) throw new StampedeError('STAMPEDE_ERR_CONFLICT', `Load zone ${zone.k6LoadZoneId} is the installation's last load zone: runs need at least one`);
        if (defaultLoadZone(zones)?.id === id) {
          throw new StampedeError('STAMPEDE_ERR_CONFLICT', `Load zone ${zone.k6LoadZoneId} is the default zone (runs without options.cloud.distribution run in it) and cannot be removed`);
        }
        const runIds = await runsNeeding(trx, zone.k6LoadZoneId);
        if (runIds.length > 0) throw inUse(zone, runIds, 'cannot be removed');
        await trx.deleteFrom('load_zones').where('id', '=', id).execute();
      });
    },
  };
}
