// Label keys per stack and project labels. Limits and the uniqueness of names are checked inside the
// transaction that changes them, and every such transaction first locks its stack's row: PostgreSQL's
// READ COMMITTED would otherwise let two of them read the same state and both write (two PUTs of one
// project's labels collided on its primary key; a PUT racing a key's DELETE hit the foreign key; both
// were 500s), and concurrent calls could push a stack past its limits. SQLite has one writer anyway.
import type { Kysely, Transaction } from 'kysely';
import { StampedeError } from '../core/index.ts';
import type { Database } from './schema.ts';
import { isForeignKeyViolation, isUniqueViolation } from './sql-errors.ts';
import { lockStack } from './stack-lock.ts';
import { LABEL_LIMITS } from './store.ts';
import type { LabelKeyRecord, LabelsRepo, ProjectLabelRecord } from './store.ts';

const keyNotFound = () => new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Label key not found');
const keyTaken = (key: string) => new StampedeError('STAMPEDE_ERR_CONFLICT', `A label key named ${JSON.stringify(key)} already exists`, { target: 'key' });

function invalid(target: string, message: string): StampedeError {
  return new StampedeError('STAMPEDE_ERR_VALIDATION', message, { target, details: [{ target, message }] });
}

export function labelsRepo(db: Kysely<Database>): LabelsRepo {
  const keysOf = (trx: Kysely<Database>, stackId: number) =>
    trx.selectFrom('label_keys').select(['id', 'key', 'description']).where('stack_id', '=', stackId).orderBy('id').execute();

  const labelsOf = async (trx: Kysely<Database>, projectId: number): Promise<ProjectLabelRecord[]> => {
    const rows = await trx
      .selectFrom('project_labels')
      .innerJoin('label_keys', 'label_keys.id', 'project_labels.key_id')
      .select(['project_labels.key_id', 'label_keys.key', 'project_labels.value'])
      .where('project_labels.project_id', '=', projectId)
      .orderBy('label_keys.key')
      .execute();
    return rows.map((r) => ({ keyId: r.key_id, key: r.key, value: r.value }));
  };

  const getKey = async (trx: Kysely<Database>, stackId: number, id: number): Promise<LabelKeyRecord> => {
    const row = await trx.selectFrom('label_keys').select(['id', 'key', 'description']).where('stack_id', '=', stackId).where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw keyNotFound();
    return row;
  };

  return {
    listKeys: (stackId) => keysOf(db, stackId),

    async createKeys(stackId, keys) {
      try {
        return await db.transaction().execute(async (trx) => {
          await lockStack(trx, stackId);
          const existing = await keysOf(trx, stackId);
          const taken = keys.find((k) => existing.some((e) => e.key === k.key));
          if (taken !== undefined) throw keyTaken(taken.key);
          if (existing.length + keys.length > LABEL_LIMITS.keysPerStack) {
            throw new StampedeError('STAMPEDE_ERR_CONFLICT', `A stack holds at most ${LABEL_LIMITS.keysPerStack} label keys (it has ${existing.length})`);
          }
          const created: LabelKeyRecord[] = [];
          for (const k of keys) {
            created.push(await trx.insertInto('label_keys').values({ stack_id: stackId, key: k.key, description: k.description }).returning(['id', 'key', 'description']).executeTakeFirstOrThrow());
          }
          return created;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new StampedeError('STAMPEDE_ERR_CONFLICT', 'A label key of that name already exists', { target: 'key' });
        throw err;
      }
    },

    async updateKey(stackId, id, patch) {
      try {
        return await db.transaction().execute(async (trx) => {
          await lockStack(trx, stackId);
          const current = await getKey(trx, stackId, id);
          const next = { key: patch.key ?? current.key, description: patch.description === undefined ? current.description : patch.description };
          await trx.updateTable('label_keys').set(next).where('id', '=', id).execute();
          return { id, ...next };
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw keyTaken(patch.key ?? '');
        throw err;
      }
    },

    async deleteKey(stackId, id) {
      await db.transaction().execute(async (trx) => {
        await lockStack(trx, stackId);
        await getKey(trx, stackId, id);
        await trx.deleteFrom('project_labels').where('key_id', '=', id).execute();
        await trx.deleteFrom('label_keys').where('id', '=', id).execute();
      });
    },

    async labelsByProject(stackId) {
      const rows = await db
        .selectFrom('project_labels')
        .innerJoin('label_keys', 'label_keys.id', 'project_labels.key_id')
        .select(['project_labels.project_id', 'label_keys.key', 'project_labels.value'])
        .where('label_keys.stack_id', '=', stackId)
        .orderBy('label_keys.key')
        .execute();
      const byProject = new Map<number, Record<string, string>>();
      for (const r of rows) {
        const labels = byProject.get(r.project_id) ?? {};
        labels[r.key] = r.value;
        byProject.set(r.project_id, labels);
      }
      return byProject;
    },

    listProjectLabels: (projectId) => labelsOf(db, projectId),

    async replaceProjectLabels(stackId, projectId, labels) {
      try {
        return await db.transaction().execute(async (trx) => {
          await lockStack(trx, stackId);
          const keys = await keysOf(trx, stackId);
          const resolved = labels.map((label, i) => {
            const byId = label.keyId === null ? undefined : keys.find((k) => k.id === label.keyId);
            const byName = label.key === null ? undefined : keys.find((k) => k.key === label.key);
            if (label.keyId === null && label.key === null) throw invalid(`value.${i}`, `Label ${i} names no key: give key_id or key`);
            if (label.keyId !== null && byId === undefined) throw invalid(`value.${i}.key_id`, `No label key has id ${label.keyId}`);
            if (label.key !== null && byName === undefined) throw invalid(`value.${i}.key`, `No label key is named ${JSON.stringify(label.key)}; create it with POST /cloud/v6/labels first`);
            const key = (byId ?? byName) as LabelKeyRecord;
            if (byId !== undefined && byName !== undefined && byId.id !== byName.id) throw invalid(`value.${i}`, `key_id ${byId.id} and key ${JSON.stringify(label.key)} name different keys`);
            return { key, value: label.value, index: i };
          });
          const seen = new Set<number>();
          for (const r of resolved) {
            if (seen.has(r.key.id)) throw invalid(`value.${r.index}`, `Label key ${JSON.stringify(r.key.key)} is given more than once`);
            seen.add(r.key.id);
          }
          await assertPairsWithinLimit(trx, stackId, projectId, resolved.map((r) => `${r.key.id}\u0000${r.value}`));
          await trx.deleteFrom('project_labels').where('project_id', '=', projectId).execute();
          if (resolved.length > 0) await trx.insertInto('project_labels').values(resolved.map((r) => ({ project_id: projectId, key_id: r.key.id, value: r.value }))).execute();
          return labelsOf(trx, projectId);
        });
      } catch (err) {
        // The project went away (deleted by a concurrent request) after the caller looked it up.
        if (isForeignKeyViolation(err)) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Project not found');
        throw err;
      }
    },

    async removeProjectLabel(stackId, projectId, key) {
      return db.transaction().execute(async (trx) => {
        await lockStack(trx, stackId);
        const row = await trx.selectFrom('label_keys').select('id').where('stack_id', '=', stackId).where('key', '=', key).executeTakeFirst();
        if (row === undefined) return false;
        const res = await trx.deleteFrom('project_labels').where('project_id', '=', projectId).where('key_id', '=', row.id).executeTakeFirst();
        return Number(res.numDeletedRows) > 0;
      });
    },
  };
}

/** CONFLICT when the stack's other projects and `pairs` (key id + value) use more distinct pairs than allowed. */
async function assertPairsWithinLimit(trx: Transaction<Database>, stackId: number, projectId: number, pairs: readonly string[]): Promise<void> {
  const others = await trx
    .selectFrom('project_labels')
    .innerJoin('label_keys', 'label_keys.id', 'project_labels.key_id')
    .select(['project_labels.key_id', 'project_labels.value'])
    .where('label_keys.stack_id', '=', stackId)
    .where('project_labels.project_id', '!=', projectId)
    .execute();
  const distinct = new Set([...others.map((o) => `${o.key_id}\u0000${o.value}`), ...pairs]);
  if (distinct.size > LABEL_LIMITS.pairsPerStack) {
    throw new StampedeError('STAMPEDE_ERR_CONFLICT', `A stack uses at most ${LABEL_LIMITS.pairsPerStack} distinct label key and value pairs; these labels would make ${distinct.size}`);
  }
}
