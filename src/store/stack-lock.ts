// Serialising the changes of one stack whose rules span rows (limits, uniqueness checked by reading).
import type { Transaction } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Holds the stack's row lock until the transaction ends (a no-op update, which both dialects take a
 * row lock for; `SELECT … FOR UPDATE` is not SQLite). PostgreSQL's READ COMMITTED would otherwise let
 * two transactions read the same state and both write; SQLite has one writer anyway.
 */
export async function lockStack(trx: Transaction<Database>, stackId: number): Promise<void> {
  await trx.updateTable('stacks').set((eb) => ({ name: eb.ref('name') })).where('id', '=', stackId).execute();
}
