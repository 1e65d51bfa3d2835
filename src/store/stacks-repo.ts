import type { Kysely } from 'kysely';
import { StampedeError } from '../core/index.ts';
import { isRole, type Role } from '../domain/index.ts';
import { ReadCache } from './read-cache.ts';
import type { Database } from './schema.ts';
import type { MembershipRecord, StackRecord, StacksRepo } from './store.ts';

export const DEFAULT_PROJECT_NAME = 'Default project';

/** How long a (stack, user) role is reused without a query; membership changes through this store clear it at once. */
export const ROLE_CACHE_MS = 5_000;
const ROLE_CACHE_ENTRIES = 10_000;

type StackRow = { id: number; name: string; created: number; default_project_id: number | null };

function toStack(row: StackRow): StackRecord {
  return { id: row.id, name: row.name, created: new Date(row.created), defaultProjectId: row.default_project_id ?? 0 };
}

function toRole(value: string): Role {
  if (!isRole(value)) throw new StampedeError('STAMPEDE_ERR_INTERNAL', `stored role ${value} is not a role`);
  return value;
}

export function stacksRepo(db: Kysely<Database>): StacksRepo {
  const roles = new ReadCache<string, Role | null>(ROLE_CACHE_MS, ROLE_CACHE_ENTRIES);
  const selectStacks = () =>
    db
      .selectFrom('stacks')
      .leftJoin('projects', (join) => join.onRef('projects.stack_id', '=', 'stacks.id').on('projects.is_default', '=', 1))
      .select(['stacks.id', 'stacks.name', 'stacks.created', 'projects.id as default_project_id']);

  return {
    async create(name) {
      const now = Date.now();
      return db.transaction().execute(async (trx) => {
        const stack = await trx.insertInto('stacks').values({ name, created: now }).returning(['id', 'name', 'created']).executeTakeFirstOrThrow();
        const project = await trx
          .insertInto('projects')
          .values({ stack_id: stack.id, name: DEFAULT_PROJECT_NAME, is_default: 1, created: now, updated: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('project_limits').values({ project_id: project.id, vuh_max_per_month: null, vu_max_per_test: null, vu_browser_max_per_test: null, duration_max_per_test: null }).execute();
        return toStack({ ...stack, default_project_id: project.id });
      });
    },
    async get(id) {
      const row = await selectStacks().where('stacks.id', '=', id).executeTakeFirst();
      return row === undefined ? null : toStack(row);
    },
    async list() {
      const rows = await selectStacks().orderBy('stacks.id').execute();
      return rows.map(toStack);
    },
    async setMember(stackId, userId, role) {
      const stack = await db.selectFrom('stacks').select('id').where('id', '=', stackId).executeTakeFirst();
      if (stack === undefined) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Stack not found');
      const user = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      if (user === undefined) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'User not found');
      try {
        await db
          .insertInto('stack_members')
          .values({ stack_id: stackId, user_id: userId, role })
          .onConflict((oc) => oc.columns(['stack_id', 'user_id']).doUpdateSet({ role }))
          .execute();
      } finally {
        roles.invalidate();
      }
    },
    async removeMember(stackId, userId) {
      try {
        const res = await db.deleteFrom('stack_members').where('stack_id', '=', stackId).where('user_id', '=', userId).executeTakeFirst();
        return Number(res.numDeletedRows) > 0;
      } finally {
        roles.invalidate();
      }
    },
    getRole(stackId, userId) {
      return roles.read(`${stackId}:${userId}`, async () => {
        const row = await db.selectFrom('stack_members').select('role').where('stack_id', '=', stackId).where('user_id', '=', userId).executeTakeFirst();
        return row === undefined ? null : toRole(row.role);
      });
    },
    async listMemberships(userId) {
      const rows = await db.selectFrom('stack_members').select(['stack_id', 'user_id', 'role']).where('user_id', '=', userId).orderBy('stack_id').execute();
      return rows.map((r): MembershipRecord => ({ stackId: r.stack_id, userId: r.user_id, role: toRole(r.role) }));
    },
  };
}
