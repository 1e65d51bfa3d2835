// Per-second metric aggregates of a run, one row per (second, series). Tags are stored as JSON with
// sorted keys so one series always has one spelling.
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { RunMetricsRepo, StoredMetricDef, StoredMetricsBatch, StoredSeriesAggregate } from './store.ts';

// Keeps multi-row inserts under SQLite's bound-parameter limit (5 columns per row).
const ROWS_PER_INSERT = 500;

function canonicalTags(tags: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

type Aggregate = Omit<StoredSeriesAggregate, 'metric' | 'tags'>;

export function runMetricsRepo(db: Kysely<Database>): RunMetricsRepo {
  return {
    async append(runId, batch) {
      const rows = batch.series.map((s) => {
        const { metric, tags, ...aggregate } = s;
        return { run_id: runId, time: batch.time, metric, tags: canonicalTags(tags), aggregate: JSON.stringify(aggregate) };
      });
      await db.transaction().execute(async (trx) => {
        if (batch.metrics.length > 0) {
          await trx
            .insertInto('run_metric_defs')
            .values(batch.metrics.map((m) => ({ run_id: runId, name: m.name, type: m.type, contains: m.contains })))
            .onConflict((oc) => oc.columns(['run_id', 'name']).doNothing())
            .execute();
        }
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
          await trx.insertInto('run_metrics').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
        }
      });
    },
    async read(runId, opts = {}) {
      let q = db.selectFrom('run_metrics').select(['time', 'metric', 'tags', 'aggregate']).where('run_id', '=', runId);
      if (opts.metric !== undefined) q = q.where('metric', '=', opts.metric);
      if (opts.from !== undefined) q = q.where('time', '>=', opts.from);
      if (opts.to !== undefined) q = q.where('time', '<', opts.to);
      const [rows, defs] = await Promise.all([q.orderBy('time').orderBy('id').execute(), this.listMetrics(runId)]);
      const defByName = new Map(defs.map((d) => [d.name, d]));
      const batches: StoredMetricsBatch[] = [];
      let current: StoredMetricsBatch | undefined;
      let seen = new Set<string>();
      for (const row of rows) {
        if (current === undefined || current.time !== row.time) {
          current = { time: row.time, metrics: [], series: [] };
          seen = new Set();
          batches.push(current);
        }
        const def = defByName.get(row.metric);
        if (def !== undefined && !seen.has(row.metric)) {
          seen.add(row.metric);
          current.metrics.push(def);
        }
        current.series.push({ metric: row.metric, tags: JSON.parse(row.tags) as Record<string, string>, ...(JSON.parse(row.aggregate) as Aggregate) });
      }
      return batches;
    },
    async listMetrics(runId) {
      const rows = await db.selectFrom('run_metric_defs').select(['name', 'type', 'contains']).where('run_id', '=', runId).orderBy('name').execute();
      return rows.map((r) => ({ name: r.name, type: r.type, contains: r.contains }) as StoredMetricDef);
    },
  };
}
