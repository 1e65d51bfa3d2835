// Migration 0003: project labels, as the v6 API has them.
//
// - `label_keys`: a stack's label keys (`environment`, `team`, …), each with an optional description;
//   a key is unique within its stack.
// - `project_labels`: one value per (project, key). Deleting a key or a project deletes its labels.
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from './schema.ts';

export function labelsMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const keys = db.schema.createTable('label_keys');
      await (dialect === 'sqlite'
        ? keys.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        : keys.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()))
        .addColumn('stack_id', 'bigint', (c) => c.notNull().references('stacks.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addUniqueConstraint('label_keys_stack_key', ['stack_id', 'key'])
        .execute();
      await db.schema
        .createTable('project_labels')
        .addColumn('project_id', 'bigint', (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('key_id', 'bigint', (c) => c.notNull().references('label_keys.id').onDelete('cascade'))
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('project_labels_pk', ['project_id', 'key_id'])
        .execute();
      await db.schema.createIndex('project_labels_key').on('project_labels').column('key_id').execute();
    },
  };
}
