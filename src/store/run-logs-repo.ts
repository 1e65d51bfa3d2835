// The log lines of runs (migration 0005). Lines are appended in the order they arrive and read by id
// cursor, forward (tailing) or backward (the latest lines), optionally narrowed by level and by
// substrings of the message (what Loki's `level` matchers and `|=`/`!=` line filters push down); and
// the distinct label sets of a time window (Loki's labels, label values and series).
import { sql, type Kysely } from 'kysely';
import { StampedeError } from '../core/index.ts';
import type { Database, Dialect } from './schema.ts';
import { isForeignKeyViolation } from './sql-errors.ts';
import type { RunLogLine, RunLogsRepo, StoredRunLogLine } from './store.ts';

/** Rows per multi-row insert: 5 columns each, under SQLite's bound-parameter limit. */
const ROWS_PER_INSERT = 500;
export const MAX_LOG_READ = 5_000;
/** How far a run's lines may lie outside its created…ended span (clock skew, late pushes of a local run). */
const RUN_LOG_SLACK_MS = 10 * 60_000;

function canonicalLabels(labels: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

function parseLabels(text: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export function runLogsRepo(db: Kysely<Database>, dialect: Dialect): RunLogsRepo {
  // Exact, case-sensitive substring position (LIKE is case-insensitive in SQLite and needs escaping).
  const position = (needle: string) => (dialect === 'sqlite' ? sql<number>`instr(message, ${needle})` : sql<number>`strpos(message, ${needle})`);
  return {
    async append(runId, lines: readonly RunLogLine[]) {
      for (let i = 0; i < lines.length; i += ROWS_PER_INSERT) {
        const rows = lines.slice(i, i + ROWS_PER_INSERT).map((l) => ({
          run_id: runId,
          time_us: Math.trunc(l.time),
          level: l.level,
          message: l.message,
          labels: canonicalLabels(l.labels),
        }));
        try {
          await db.insertInto('run_logs').values(rows).execute();
        } catch (err) {
          // The run was deleted by a concurrent request (its lines went with it).
          if (isForeignKeyViolation(err)) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Test run not found');
          throw err;
        }
      }
    },

    async read(runId, opts = {}) {
      const limit = Math.min(Math.max(Math.trunc(opts.limit ?? MAX_LOG_READ), 1), MAX_LOG_READ);
      const backward = opts.direction === 'backward';
      let q = db.selectFrom('run_logs').select(['id', 'time_us', 'level', 'message', 'labels']).where('run_id', '=', runId);
      if (opts.after !== undefined) q = q.where('id', backward ? '<' : '>', opts.after);
      if (opts.since !== undefined) q = q.where('time_us', '>=', Math.trunc(opts.since));
      if (opts.until !== undefined) q = q.where('time_us', '<', Math.trunc(opts.until));
      if (opts.level !== undefined) q = q.where('level', '=', opts.level);
      for (const level of opts.notLevels ?? []) q = q.where('level', '<>', level);
      for (const needle of opts.contains ?? []) q = q.where(position(needle), '>', 0);
      for (const needle of opts.excludes ?? []) q = q.where(position(needle), '=', 0);
      const rows = await q.orderBy('id', backward ? 'desc' : 'asc').limit(limit).execute();
      return rows.map((r): StoredRunLogLine => ({ id: Number(r.id), time: Number(r.time_us), level: r.level, message: r.message, labels: parseLabels(r.labels) }));
    },

    async labelSets(scope, window) {
      let q = db.selectFrom('run_logs').select(['run_id', 'level', 'labels']).distinct()
        .where('time_us', '>=', Math.trunc(window.since)).where('time_us', '<', Math.trunc(window.until));
      if ('runIds' in scope) {
        if (scope.runIds.length === 0) return [];
        q = q.where('run_id', 'in', [...scope.runIds]);
      } else {
        // A run's lines are logged while it runs: runs created after the window or ended well before
        // it (a local run's last pushes may land a little after its end) have none in it.
        const runs = db.selectFrom('test_runs').select('id').where('stack_id', '=', scope.stackId)
          .where('created', '<=', Math.ceil(window.until / 1000) + RUN_LOG_SLACK_MS)
          .where((eb) => eb.or([eb('ended', 'is', null), eb('ended', '>=', Math.floor(window.since / 1000) - RUN_LOG_SLACK_MS)]));
        q = q.where('run_id', 'in', runs);
      }
      const rows = await q.execute();
      return rows.map((r) => ({ ...parseLabels(r.labels), level: r.level, test_run_id: String(r.run_id) }));
    },

    async count(runId) {
      const row = await db.selectFrom('run_logs').select((eb) => eb.fn.countAll<number | string>().as('n')).where('run_id', '=', runId).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
