// Secrets that act for one run only (local-execution runs): the test run token and the archive
// upload secret. Only SHA-256 hashes are stored; the clear secret leaves the store once, when issued.
import type { Kysely } from 'kysely';
import { hashToken, newToken, StampedeError } from '../core/index.ts';
import type { Database } from './schema.ts';
import type { RunTokenPurpose, RunTokensRepo } from './store.ts';

const PREFIX: Record<RunTokenPurpose, string> = { run: 'stprun', archive: 'stpupl' };

function isPurpose(value: string): value is RunTokenPurpose {
  return value === 'run' || value === 'archive';
}

export function runTokensRepo(db: Kysely<Database>): RunTokensRepo {
  return {
    async issue(runId, purpose, now = new Date()) {
      const run = await db.selectFrom('test_runs').select('id').where('id', '=', runId).executeTakeFirst();
      if (run === undefined) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Test run not found');
      const token = newToken(PREFIX[purpose]);
      await db.insertInto('run_tokens').values({ token_hash: hashToken(token), run_id: runId, purpose, created: now.getTime() }).execute();
      return token;
    },

    async resolve(token) {
      const row = await db.selectFrom('run_tokens').select(['run_id', 'purpose']).where('token_hash', '=', hashToken(token)).executeTakeFirst();
      if (row === undefined || !isPurpose(row.purpose)) return null;
      return { runId: Number(row.run_id), purpose: row.purpose };
    },

    async isLocalExecution(runId) {
      const row = await db.selectFrom('run_tokens').select('run_id').where('run_id', '=', runId).where('purpose', '=', 'run').executeTakeFirst();
      return row !== undefined;
    },

    async revoke(runId, purpose) {
      await db.deleteFrom('run_tokens').where('run_id', '=', runId).where('purpose', '=', purpose).execute();
    },
  };
}
