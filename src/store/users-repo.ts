import type { Kysely } from 'kysely';
import { StampedeError } from '../core/index.ts';
import type { Database } from './schema.ts';
import { isUniqueViolation } from './sql-errors.ts';
import type { UserRecord, UsersRepo } from './store.ts';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function toUser(row: { id: number; email: string; created: number }): UserRecord {
  return { id: row.id, email: row.email, created: new Date(row.created) };
}

export function usersRepo(db: Kysely<Database>): UsersRepo {
  return {
    async create(email) {
      const normalized = email.trim().toLowerCase();
      if (!EMAIL.test(normalized) || normalized.length > 254) {
        throw new StampedeError('STAMPEDE_ERR_VALIDATION', 'email must be an email address', { target: 'email', details: [{ target: 'email', message: 'email must be an email address' }] });
      }
      try {
        const row = await db.insertInto('users').values({ email: normalized, created: Date.now() }).returning(['id', 'email', 'created']).executeTakeFirstOrThrow();
        return toUser(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw new StampedeError('STAMPEDE_ERR_CONFLICT', `A user with email ${normalized} already exists`);
        throw err;
      }
    },
    async get(id) {
      const row = await db.selectFrom('users').select(['id', 'email', 'created']).where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : toUser(row);
    },
    async getByEmail(email) {
      const row = await db.selectFrom('users').select(['id', 'email', 'created']).where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
      return row === undefined ? null : toUser(row);
    },
  };
}
