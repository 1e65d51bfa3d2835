// A table's `id` column as both dialects make it: AUTOINCREMENT (SQLite) or an identity (PostgreSQL),
// so a deleted row's id is never handed out again.
import type { CreateTableBuilder } from 'kysely';
import type { Dialect } from './schema.ts';

export function withId<T extends string>(dialect: Dialect, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, never> {
  return dialect === 'sqlite'
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity());
}
